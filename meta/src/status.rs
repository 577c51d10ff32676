//! Response status keys (`200`, `4XX`, `default`).

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

/// The key of a response in an OpenAPI `responses` map.
///
/// Ordered as the canonical spec and the generated code list responses:
/// codes by number, a range after the codes of its class, `default` last.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// One status code, `100` to `599`.
    Code(u16),
    /// A class of codes: `4XX` is `Range(4)`.
    Range(u8),
    /// `default`: every status the others do not name.
    Default,
}

impl Status {
    /// The class of the status (`2` for `204` and `2XX`); `None` for
    /// `default`.
    pub const fn class(self) -> Option<u8> {
        match self {
            Status::Code(code) => Some((code / 100) as u8),
            Status::Range(class) => Some(class),
            Status::Default => None,
        }
    }

    /// A 2xx code or the `2XX` range.
    pub const fn is_success(self) -> bool {
        matches!(self.class(), Some(2))
    }

    /// A 4xx or 5xx code or range.
    pub const fn is_error(self) -> bool {
        matches!(self.class(), Some(4 | 5))
    }

    /// The codes the key stands for: `Code(c)` is `c..=c`, `Range(4)` is
    /// `400..=499`; `None` for `default`.
    pub const fn codes(self) -> Option<(u16, u16)> {
        match self {
            Status::Code(code) => Some((code, code)),
            Status::Range(class) => {
                let low = class as u16 * 100;
                Some((low, low + 99))
            }
            Status::Default => None,
        }
    }

    /// Where the key sorts: codes by number, a range right after the codes
    /// of its class, `default` after everything.
    const fn sort_key(self) -> (u16, u8) {
        match self {
            Status::Code(code) => (code, 0),
            Status::Range(class) => (class as u16 * 100 + 99, 1),
            Status::Default => (u16::MAX, 2),
        }
    }
}

impl Ord for Status {
    fn cmp(&self, other: &Self) -> Ordering {
        self.sort_key().cmp(&other.sort_key())
    }
}

impl PartialOrd for Status {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Status {
    /// As OpenAPI writes the key: `200`, `4XX`, `default`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Status::Code(code) => write!(f, "{code}"),
            Status::Range(class) => write!(f, "{class}XX"),
            Status::Default => f.write_str("default"),
        }
    }
}

/// A response key that is not a status (`100`-`599`, `1XX`-`5XX` or
/// `default`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidStatus(pub String);

impl fmt::Display for InvalidStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:?} is not a response status (100-599, 1XX-5XX or default)",
            self.0
        )
    }
}

impl std::error::Error for InvalidStatus {}

impl FromStr for Status {
    type Err = InvalidStatus;

    /// `200`, `2XX` (also `2xx`) or `default`, as OpenAPI allows them.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s == "default" {
            return Ok(Status::Default);
        }
        let invalid = || InvalidStatus(s.to_owned());
        let b = s.as_bytes();
        if b.len() != 3 || !(b'1'..=b'5').contains(&b[0]) {
            return Err(invalid());
        }
        if b[1..].eq_ignore_ascii_case(b"XX") {
            return Ok(Status::Range(b[0] - b'0'));
        }
        if b[1..].iter().all(u8::is_ascii_digit) {
            return s.parse().map(Status::Code).map_err(|_| invalid());
        }
        Err(invalid())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_every_kind() {
        for (text, status) in [
            ("200", Status::Code(200)),
            ("4XX", Status::Range(4)),
            ("default", Status::Default),
        ] {
            assert_eq!(text.parse(), Ok(status));
            assert_eq!(status.to_string(), text);
        }
        assert_eq!("5xx".parse(), Ok(Status::Range(5)));
        for bad in ["600", "099", "ok", "2X", "20", "2000", "+20", "Default"] {
            assert_eq!(
                bad.parse::<Status>(),
                Err(InvalidStatus(bad.into())),
                "{bad}"
            );
        }
        assert_eq!(
            InvalidStatus("600".into()).to_string(),
            "\"600\" is not a response status (100-599, 1XX-5XX or default)"
        );
    }

    #[test]
    fn sorts_codes_then_their_range_then_default() {
        let mut keys: Vec<Status> = ["default", "404", "2XX", "201", "200", "4XX", "300"]
            .iter()
            .map(|s| s.parse().unwrap())
            .collect();
        keys.sort();
        let texts: Vec<String> = keys.iter().map(Status::to_string).collect();
        assert_eq!(texts, ["200", "201", "2XX", "300", "404", "4XX", "default"]);
    }

    #[test]
    fn classes_and_codes() {
        assert_eq!(Status::Code(204).class(), Some(2));
        assert_eq!(Status::Range(5).class(), Some(5));
        assert_eq!(Status::Default.class(), None);
        assert!(Status::Range(2).is_success() && !Status::Code(302).is_success());
        assert!(Status::Code(404).is_error() && !Status::Default.is_error());
        assert_eq!(Status::Range(4).codes(), Some((400, 499)));
        assert_eq!(Status::Code(201).codes(), Some((201, 201)));
        assert_eq!(Status::Default.codes(), None);
    }
}
