//! Path templates: `/accounts/{accountId}/roles`.

/// One piece of a path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// Text sent as written.
    Literal(String),
    /// `{name}`: the value of the path parameter `name`.
    Parameter(String),
}

/// A parsed path template: literal text and `{parameter}` names, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathTemplate {
    pub segments: Vec<Segment>,
}

impl PathTemplate {
    /// Parses `path`; `Err` with a message when braces do not balance or a
    /// name is empty.
    pub fn parse(path: &str) -> Result<Self, String> {
        let mut segments = Vec::new();
        let mut rest = path;
        while let Some(open) = rest.find(['{', '}']) {
            if rest.as_bytes()[open] == b'}' {
                return Err(format!("unbalanced '}}' in path template {path:?}"));
            }
            if open > 0 {
                segments.push(Segment::Literal(rest[..open].to_string()));
            }
            let after = &rest[open + 1..];
            let close = after
                .find('}')
                .ok_or_else(|| format!("unclosed '{{' in path template {path:?}"))?;
            let name = &after[..close];
            if name.is_empty() || name.contains('{') {
                return Err(format!("bad parameter name in path template {path:?}"));
            }
            segments.push(Segment::Parameter(name.to_string()));
            rest = &after[close + 1..];
        }
        if !rest.is_empty() {
            segments.push(Segment::Literal(rest.to_string()));
        }
        Ok(Self { segments })
    }

    /// The parameter names, in order: `/a/{b}/c/{d}` -> `[b, d]`.
    pub fn parameters(&self) -> impl Iterator<Item = &str> {
        self.segments.iter().filter_map(|s| match s {
            Segment::Parameter(name) => Some(name.as_str()),
            Segment::Literal(_) => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_names_and_rejects_unbalanced_braces() {
        let t = PathTemplate::parse("/a/{b}/c/{d}").unwrap();
        assert_eq!(t.parameters().collect::<Vec<_>>(), ["b", "d"]);
        assert_eq!(
            t.segments,
            [
                Segment::Literal("/a/".into()),
                Segment::Parameter("b".into()),
                Segment::Literal("/c/".into()),
                Segment::Parameter("d".into()),
            ]
        );
        assert_eq!(
            PathTemplate::parse("/a/{b").unwrap_err(),
            "unclosed '{' in path template \"/a/{b\""
        );
        assert!(PathTemplate::parse("/a/b}").is_err());
        assert!(PathTemplate::parse("/a/{}").is_err());
        assert!(PathTemplate::parse("/a/{{b}}").is_err());
    }
}
