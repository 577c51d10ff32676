//! Media types, as far as the client generator distinguishes them.

/// Request media types the generated client can send.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum RequestMedia {
    Json,
    Multipart,
    FormUrlencoded,
    OctetStream,
    Text,
}

impl RequestMedia {
    /// Classifies a request media type (parameters such as `charset`
    /// ignored); `None` when the client cannot send it.
    pub fn of(media: &str) -> Option<Self> {
        let essence = media.split(';').next().unwrap_or("").trim();
        match essence.to_ascii_lowercase().as_str() {
            "application/json" => Some(RequestMedia::Json),
            "multipart/form-data" => Some(RequestMedia::Multipart),
            "application/x-www-form-urlencoded" => Some(RequestMedia::FormUrlencoded),
            "application/octet-stream" => Some(RequestMedia::OctetStream),
            "text/plain" | "text/x-markdown" => Some(RequestMedia::Text),
            _ => None,
        }
    }
}

/// Whether a response media type is JSON as the engine decides it.
pub fn is_json_media(media: &str) -> bool {
    media == "application/json" || media.starts_with("application/json;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_by_essence() {
        assert_eq!(
            RequestMedia::of("application/json; charset=utf-8"),
            Some(RequestMedia::Json)
        );
        assert_eq!(
            RequestMedia::of("Multipart/Form-Data"),
            Some(RequestMedia::Multipart)
        );
        assert_eq!(RequestMedia::of("application/xml"), None);
        assert!(is_json_media("application/json;charset=utf-8"));
        assert!(!is_json_media("application/problem+json"));
    }
}
