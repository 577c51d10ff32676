//! JSON pointers (RFC 6901): how every stage names a place in the spec.

/// Escapes one reference token of a JSON pointer (RFC 6901).
pub fn escape_pointer_token(token: &str) -> String {
    if token.contains(['~', '/']) {
        token.replace('~', "~0").replace('/', "~1")
    } else {
        token.to_string()
    }
}

/// Undoes [`escape_pointer_token`].
pub fn unescape_pointer_token(token: &str) -> String {
    if token.contains('~') {
        token.replace("~1", "/").replace("~0", "~")
    } else {
        token.to_string()
    }
}

/// `parent` + `/` + escaped `token`.
pub fn child_pointer(parent: &str, token: &str) -> String {
    let mut out = String::with_capacity(parent.len() + token.len() + 1);
    out.push_str(parent);
    out.push('/');
    out.push_str(&escape_pointer_token(token));
    out
}

/// `/paths/<path>/<method>`: where an operation is.
pub fn operation_pointer(path: &str, method: crate::spec::HttpMethod) -> String {
    child_pointer(&child_pointer("/paths", path), method.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_tokens_escape_and_unescape() {
        assert_eq!(escape_pointer_token("/a~b"), "~1a~0b");
        assert_eq!(unescape_pointer_token("~1a~0b"), "/a~b");
        assert_eq!(
            child_pointer("/paths", "/users/{id}"),
            "/paths/~1users~1{id}"
        );
        assert_eq!(
            operation_pointer("/a/{id}", crate::spec::HttpMethod::Get),
            "/paths/~1a~1{id}/get"
        );
    }
}
