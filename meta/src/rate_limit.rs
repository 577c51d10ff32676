//! Zoom's rate-limit labels.

use std::fmt;
use std::str::FromStr;

/// Zoom's rate-limit label of an operation (`x-zoom-rate-limit` in the spec).
///
/// Zoom meters each label separately; the runtime's `RateLimitPlan` holds
/// the rates per account plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RateLimitLabel {
    Light,
    Medium,
    Heavy,
    ResourceIntensive,
}

impl RateLimitLabel {
    /// Every label, in Zoom's order (lightest first).
    pub const ALL: [RateLimitLabel; 4] = [
        RateLimitLabel::Light,
        RateLimitLabel::Medium,
        RateLimitLabel::Heavy,
        RateLimitLabel::ResourceIntensive,
    ];

    /// The label as Zoom spells it in its documentation and in the
    /// `X-RateLimit-Category` header: `LIGHT`, `MEDIUM`, `HEAVY`,
    /// `RESOURCE-INTENSIVE`. The spec's `x-zoom-rate-limit` uses this
    /// spelling too.
    pub const fn as_str(self) -> &'static str {
        match self {
            RateLimitLabel::Light => "LIGHT",
            RateLimitLabel::Medium => "MEDIUM",
            RateLimitLabel::Heavy => "HEAVY",
            RateLimitLabel::ResourceIntensive => "RESOURCE-INTENSIVE",
        }
    }

    /// The variant's name (`ResourceIntensive`), as generated code names it.
    pub const fn variant_name(self) -> &'static str {
        match self {
            RateLimitLabel::Light => "Light",
            RateLimitLabel::Medium => "Medium",
            RateLimitLabel::Heavy => "Heavy",
            RateLimitLabel::ResourceIntensive => "ResourceIntensive",
        }
    }
}

impl fmt::Display for RateLimitLabel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A string that names no rate-limit label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownRateLimitLabel(pub String);

impl fmt::Display for UnknownRateLimitLabel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown Zoom rate-limit label {:?} (expected LIGHT, MEDIUM, HEAVY or RESOURCE-INTENSIVE)",
            self.0
        )
    }
}

impl std::error::Error for UnknownRateLimitLabel {}

impl FromStr for RateLimitLabel {
    type Err = UnknownRateLimitLabel;

    /// Accepts Zoom's spellings regardless of case and of the separator in
    /// "resource-intensive" (`-`, `_`, a space or none), since the docs,
    /// headers and specs are not consistent about either. Surrounding
    /// whitespace is ignored; anything else (a trailing dot, backticks) is
    /// not a label.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let folded: String = s
            .trim()
            .chars()
            .filter(|c| !matches!(c, '-' | '_' | ' '))
            .map(|c| c.to_ascii_uppercase())
            .collect();
        match folded.as_str() {
            "LIGHT" => Ok(RateLimitLabel::Light),
            "MEDIUM" => Ok(RateLimitLabel::Medium),
            "HEAVY" => Ok(RateLimitLabel::Heavy),
            "RESOURCEINTENSIVE" => Ok(RateLimitLabel::ResourceIntensive),
            _ => Err(UnknownRateLimitLabel(s.to_owned())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_round_trips_through_its_zoom_spelling() {
        for label in RateLimitLabel::ALL {
            assert_eq!(label.as_str().parse::<RateLimitLabel>(), Ok(label));
            assert_eq!(label.to_string(), label.as_str());
            assert_eq!(format!("{label:?}"), label.variant_name());
        }
    }

    #[test]
    fn label_parsing_forgives_case_and_separators() {
        for s in [
            "resource-intensive",
            "Resource Intensive",
            "RESOURCE_INTENSIVE",
            "ResourceIntensive",
            "Resource-intensive",
        ] {
            assert_eq!(s.parse(), Ok(RateLimitLabel::ResourceIntensive), "{s}");
        }
        assert_eq!(" light ".parse(), Ok(RateLimitLabel::Light));
        for bad in ["EXTREME", "LIGHT.", "`LIGHT`", ""] {
            assert!(bad.parse::<RateLimitLabel>().is_err(), "{bad}");
        }
        let err = "EXTREME".parse::<RateLimitLabel>().unwrap_err();
        assert_eq!(err, UnknownRateLimitLabel("EXTREME".into()));
        assert!(err.to_string().contains("\"EXTREME\""));
    }
}
