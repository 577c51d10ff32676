//! File parts from `file_part_from_path` and `file_part_from_bytes`, sent
//! through `Runtime::execute` as `multipart/form-data`: the scripted server
//! parses the body and checks the `file` part, its file name and its
//! content type.

use std::path::PathBuf;
use std::time::Duration;

use zoom_api_runtime::reqwest::multipart::{Form, Part};
use zoom_api_runtime::{
    Credentials, OperationMeta, RetryPolicy, Runtime, file_part_from_bytes, file_part_from_path,
};
use zoom_test_server::{FormPart, Reply, ScriptedServer, bounded};

const UPLOAD_VB: OperationMeta = OperationMeta::new(
    "uploadVB",
    "POST",
    "/accounts/{accountId}/settings/virtual_backgrounds",
);

/// A PNG signature and the start of an IHDR chunk: binary, with a NUL and
/// bytes that are not UTF-8, so a text round trip would show.
const PNG_BYTES: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe--not-a-boundary\r\n";

/// A file in the temp directory, removed when dropped (also when the test
/// fails).
struct TempFile(PathBuf);

impl TempFile {
    fn new(name: &str, contents: &[u8]) -> Self {
        // A directory of its own, so the file keeps its name and no two
        // tests (threads of this process) share one.
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!(
            "zoom-api-runtime-upload-{}-{n}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        std::fs::write(&path, contents).unwrap();
        TempFile(path)
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
        if let Some(dir) = self.0.parent() {
            let _ = std::fs::remove_dir(dir);
        }
    }
}

/// Uploads `part` as the form field `file` and returns the parts the server
/// received.
async fn upload(part: Part) -> Vec<FormPart> {
    let server = ScriptedServer::start().await;
    server.script("/v2", [Reply::json(201, r#"{"id":"f1"}"#)]);
    let runtime = Runtime::builder()
        .with_credentials(Credentials::bearer_token("fixed-token"))
        .with_api_base_url(format!("{}/v2", server.url()))
        .with_request_timeout(Duration::from_secs(5))
        .with_retry_policy(RetryPolicy::never())
        .build()
        .unwrap();
    let request = runtime
        .http_client()
        .post(format!(
            "{}/accounts/me/settings/virtual_backgrounds",
            runtime.base_url()
        ))
        .multipart(Form::new().part("file", part))
        .build()
        .unwrap();
    let response = runtime.execute(request, &UPLOAD_VB).await.unwrap();
    assert_eq!(response.status(), 201);
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(
        requests[0].request_line,
        "POST /v2/accounts/me/settings/virtual_backgrounds HTTP/1.1"
    );
    requests[0].form_parts().unwrap()
}

#[tokio::test]
async fn a_file_from_a_path_is_sent_with_its_name_and_type() {
    bounded(async {
        let file = TempFile::new("beach.PNG", PNG_BYTES);
        let part = file_part_from_path(&file.0).await.unwrap();
        assert_eq!(
            upload(part).await,
            vec![FormPart {
                name: "file".into(),
                file_name: Some("beach.PNG".into()),
                content_type: Some("image/png".into()),
                body: PNG_BYTES.to_vec(),
            }]
        );
    })
    .await;
}

#[tokio::test]
async fn content_types_follow_the_extension() {
    bounded(async {
        for (name, expected) in [
            ("a.jpg", "image/jpeg"),
            ("a.jpeg", "image/jpeg"),
            ("a.gif", "image/gif"),
            ("a.bin", "application/octet-stream"),
        ] {
            let file = TempFile::new(name, b"data");
            let parts = upload(file_part_from_path(&file.0).await.unwrap()).await;
            assert_eq!(parts.len(), 1);
            assert_eq!(parts[0].file_name.as_deref(), Some(name));
            assert_eq!(parts[0].content_type.as_deref(), Some(expected), "{name}");
        }
    })
    .await;
}

#[tokio::test]
async fn a_file_from_bytes_is_sent_as_given() {
    bounded(async {
        let part = file_part_from_bytes(PNG_BYTES, "office.png", "image/png").unwrap();
        assert_eq!(
            upload(part).await,
            vec![FormPart {
                name: "file".into(),
                file_name: Some("office.png".into()),
                content_type: Some("image/png".into()),
                body: PNG_BYTES.to_vec(),
            }]
        );
    })
    .await;
}
