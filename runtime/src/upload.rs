//! File parts for `multipart/form-data` uploads (Zoom's virtual background
//! upload takes one). A generated upload method accepts a ready
//! `reqwest::multipart::Part`; these constructors build one with the file
//! name and content type Zoom checks, from a file on disk or from bytes in
//! memory. Zoom accepts JPG/JPEG, GIF and PNG images for virtual
//! backgrounds, so those (and a few other common types) get their content
//! type from the file name's extension; anything else is sent as
//! `application/octet-stream` and left for Zoom to judge.

use std::borrow::Cow;
use std::path::Path;

use reqwest::multipart::Part;

use crate::error::{Error, Result};

/// The content type sent when the extension names no known type.
pub const DEFAULT_CONTENT_TYPE: &str = "application/octet-stream";

/// The content type of a file called `file_name`, from its extension (in any
/// case): `image/jpeg` for `.jpg`/`.jpeg`, `image/png`, `image/gif`, and a
/// few others; [`DEFAULT_CONTENT_TYPE`] otherwise.
pub fn content_type_for(file_name: impl AsRef<Path>) -> &'static str {
    let extension = file_name
        .as_ref()
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match extension.as_deref() {
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("png") => "image/png",
        Some("gif") => "image/gif",
        Some("bmp") => "image/bmp",
        Some("webp") => "image/webp",
        Some("mp4") => "video/mp4",
        Some("mov") => "video/quicktime",
        Some("pdf") => "application/pdf",
        Some("txt") => "text/plain",
        Some("json") => "application/json",
        _ => DEFAULT_CONTENT_TYPE,
    }
}

/// A file part with the contents of the file at `path`, named after the
/// file (its last path component) and typed by its extension
/// ([`content_type_for`]).
///
/// The file is read into memory (Zoom's uploads are limited to a few
/// megabytes), so reading errors surface here rather than mid-request.
pub async fn file_part_from_path(path: impl AsRef<Path>) -> Result<Part> {
    let path = path.as_ref();
    let file_name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .ok_or_else(|| {
            Error::invalid_upload(format!("the path {} names no file", path.display()))
        })?;
    let bytes = tokio::fs::read(path)
        .await
        .map_err(|source| Error::read_upload(path, source))?;
    file_part_from_bytes(bytes, file_name, content_type_for(path))
}

/// A file part with `bytes` as its contents, sent as the file `file_name`
/// with the given `content_type` (e.g. `image/png`; see
/// [`content_type_for`] to derive it from the name).
pub fn file_part_from_bytes(
    bytes: impl Into<Cow<'static, [u8]>>,
    file_name: impl Into<String>,
    content_type: &str,
) -> Result<Part> {
    let file_name = file_name.into();
    // The name goes into a header (`Content-Disposition`); reqwest escapes
    // quotes, but a line break or an empty name is never meant.
    if file_name.is_empty() || file_name.chars().any(char::is_control) {
        return Err(Error::invalid_upload(format!(
            "the file name {file_name:?} is empty or holds control characters"
        )));
    }
    Part::bytes(bytes)
        .file_name(file_name)
        .mime_str(content_type)
        .map_err(|_| Error::invalid_upload(format!("{content_type:?} is not a MIME content type")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    #[test]
    fn content_types_from_extensions() {
        for (name, expected) in [
            ("beach.jpg", "image/jpeg"),
            ("beach.JPEG", "image/jpeg"),
            ("dir.d/beach.png", "image/png"),
            ("loop.gif", "image/gif"),
            ("notes.txt", "text/plain"),
            ("archive.tar.gz", DEFAULT_CONTENT_TYPE),
            ("no-extension", DEFAULT_CONTENT_TYPE),
            (".png", DEFAULT_CONTENT_TYPE), // a hidden file called ".png"
        ] {
            assert_eq!(content_type_for(name), expected, "{name}");
        }
    }

    #[test]
    fn bad_parts_are_errors_with_their_reason() {
        let err = file_part_from_bytes(&b"x"[..], "a.png", "not a mime").unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid upload: \"not a mime\" is not a MIME content type"
        );
        let err = file_part_from_bytes(&b"x"[..], "a\r\n.png", "image/png").unwrap_err();
        assert!(matches!(err.kind(), ErrorKind::InvalidUpload(_)), "{err:?}");
        let err = file_part_from_bytes(&b"x"[..], "", "image/png").unwrap_err();
        assert!(matches!(err.kind(), ErrorKind::InvalidUpload(_)), "{err:?}");
        assert!(file_part_from_bytes(vec![1, 2, 3], "a.png", "image/png").is_ok());
    }

    #[tokio::test]
    async fn missing_files_and_paths_without_a_file_name() {
        let missing = std::env::temp_dir().join("zoom-api-runtime-no-such-file.png");
        let err = file_part_from_path(&missing).await.unwrap_err();
        assert!(
            matches!(err.kind(), ErrorKind::ReadUpload { .. })
                && std::error::Error::source(&err)
                    .and_then(|s| s.downcast_ref::<std::io::Error>())
                    .is_some_and(|s| s.kind() == std::io::ErrorKind::NotFound),
            "{err:?}"
        );
        assert_eq!(
            err.to_string(),
            format!("cannot read the file to upload {}", missing.display())
        );
        let err = file_part_from_path("/").await.unwrap_err();
        assert_eq!(err.to_string(), "invalid upload: the path / names no file");
    }
}
