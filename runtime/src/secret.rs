//! A string that must not leak: OAuth client secrets and access tokens. It is
//! what [`crate::Credentials`] and the token cache hold, so that deriving
//! `Debug` on anything that contains one (credentials, the runtime, its
//! builder, errors) can never print the value. The only way to read it is the
//! deliberately loud [`Secret::expose_secret`].

use std::fmt;

/// A secret string. `Debug` and `Display` print `Secret(***)`.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The value itself, for the one place that must send it.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret(value.to_owned())
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formatting_never_shows_the_value() {
        let s = Secret::new("hunter2");
        assert_eq!(format!("{s:?}"), "Secret(***)");
        assert_eq!(format!("{s:#?}"), "Secret(***)");
        assert_eq!(s.to_string(), "Secret(***)");
        assert_eq!(s.expose_secret(), "hunter2");
        assert_eq!(Secret::from("a"), Secret::from(String::from("a")));
    }
}
