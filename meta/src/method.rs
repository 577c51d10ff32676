//! HTTP methods as OpenAPI path items name them.

use std::fmt;
use std::str::FromStr;

/// The method of an operation: the key it has in its path item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum HttpMethod {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
}

impl HttpMethod {
    /// Every method, in the order OpenAPI lists a path item's fields (the
    /// canonical spec's order).
    pub const ALL: [HttpMethod; 8] = [
        HttpMethod::Get,
        HttpMethod::Put,
        HttpMethod::Post,
        HttpMethod::Delete,
        HttpMethod::Options,
        HttpMethod::Head,
        HttpMethod::Patch,
        HttpMethod::Trace,
    ];

    /// The path-item key: `get`, `post`, ...
    pub const fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "get",
            HttpMethod::Put => "put",
            HttpMethod::Post => "post",
            HttpMethod::Delete => "delete",
            HttpMethod::Options => "options",
            HttpMethod::Head => "head",
            HttpMethod::Patch => "patch",
            HttpMethod::Trace => "trace",
        }
    }

    /// As HTTP writes it: `GET`, `POST`, ...
    pub const fn as_upper(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Put => "PUT",
            HttpMethod::Post => "POST",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Options => "OPTIONS",
            HttpMethod::Head => "HEAD",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Trace => "TRACE",
        }
    }

    /// The method a path-item key names (`get`), if any. Path-item keys are
    /// lower-case; `GET` is not one.
    pub fn from_path_item_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == key)
    }
}

impl fmt::Display for HttpMethod {
    /// As HTTP writes it (`GET`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_upper())
    }
}

/// A string that names no HTTP method.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownHttpMethod(pub String);

impl fmt::Display for UnknownHttpMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown HTTP method {:?}", self.0)
    }
}

impl std::error::Error for UnknownHttpMethod {}

impl FromStr for HttpMethod {
    type Err = UnknownHttpMethod;

    /// Any case: `get`, `GET`, `Get`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|m| m.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| UnknownHttpMethod(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings() {
        for m in HttpMethod::ALL {
            assert_eq!(HttpMethod::from_path_item_key(m.as_str()), Some(m));
            assert_eq!(m.as_upper().parse(), Ok(m));
            assert_eq!(m.to_string(), m.as_upper());
        }
        assert_eq!(HttpMethod::from_path_item_key("GET"), None);
        assert_eq!(HttpMethod::from_path_item_key("parameters"), None);
        assert_eq!("Patch".parse(), Ok(HttpMethod::Patch));
        assert!("fetch".parse::<HttpMethod>().is_err());
    }
}
