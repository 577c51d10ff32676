//! Zoom's metadata prose <-> our `x-zoom-*` data.
//!
//! Zoom publishes an operation's scopes, granular scopes, rate-limit label
//! and prerequisites as Markdown lines inside its `description`, and a
//! response's error codes inside the response `description`. Import reads
//! them out ([`split_operation_description`], [`error_codes`]); the
//! Zoom-style renderer used by the round-trip test writes them back
//! ([`render_operation_description`]). Both directions live here so that
//! one file says what the published form looks like.
//!
//! What is recognised (case-insensitive labels, link optional, the colon
//! inside or outside the bold):
//!
//! ```text
//! **[Scopes](https://...):** `a`,`b`
//! **Granular Scopes:** `x`
//! **[Rate Limit Label](https://...):** `Medium`
//! **Prerequisites:**            (also Pre-requisites, Prerequisite, a `#` heading)
//! * one item                    (`-` bullets too; an indented line continues an item)
//! ```
//!
//! Several labels on one line separated by `<br>` are read as well.
//!
//! What only describes never stops an import: a rate-limit label that is
//! none of the four, or scopes that do not read as scope names (no
//! backticks, and words without a `:`), stay in the prose as written, and
//! are listed in [`OperationText::unrecognized`] for a note.

use zoom_api_codegen::spec::RateLimitLabel;

/// An operation description taken apart.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OperationText {
    /// The description without the metadata lines.
    pub prose: String,
    pub scopes: Vec<String>,
    pub granular_scopes: Vec<String>,
    /// As written (`Medium`, `RESOURCE-INTENSIVE`), when it is one of the
    /// four labels; see [`rate_limit_label`].
    pub rate_limit: Option<String>,
    pub prerequisites: Vec<String>,
    /// Labelled lines whose value was not understood, kept in `prose`:
    /// `(label, value as written)`.
    pub unrecognized: Vec<(String, String)>,
}

/// A Zoom error code documented in a response description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorCode {
    pub code: i64,
    pub message: String,
}

/// The label Zoom's spelling names (`Heavy`, `Resource intensive`,
/// `` `LIGHT` ``): the backticks of Zoom's Markdown taken off, the rest read
/// by the one parser of labels, [`RateLimitLabel`]'s `FromStr`; `None` when
/// it is none of the four.
pub fn rate_limit_label(raw: &str) -> Option<RateLimitLabel> {
    raw.trim().trim_matches('`').parse().ok()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Label {
    Scopes,
    GranularScopes,
    RateLimit,
    Prerequisites,
}

/// Splits a description into prose and metadata.
pub fn split_operation_description(description: &str) -> OperationText {
    let text = description.replace("\r\n", "\n").replace('\r', "\n");
    let lines: Vec<&str> = text.split('\n').collect();
    let mut out = OperationText::default();
    let mut prose: Vec<String> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let segments = split_br(line);
        let labelled: Vec<Option<(Label, String)>> =
            segments.iter().map(|s| parse_label(s)).collect();
        if labelled.iter().all(Option::is_none) {
            prose.push(line.to_string());
            i += 1;
            continue;
        }
        let mut wants_list = false;
        for (segment, parsed) in segments.iter().zip(&labelled) {
            // A labelled value not understood: the segment stays prose.
            let mut kept: Option<(&str, &str)> = None;
            match parsed {
                Some((Label::Scopes, rest)) => match scope_values(rest) {
                    Some(found) => push_unique(&mut out.scopes, found),
                    None => kept = Some(("scopes", rest)),
                },
                Some((Label::GranularScopes, rest)) => match scope_values(rest) {
                    Some(found) => push_unique(&mut out.granular_scopes, found),
                    None => kept = Some(("granular scopes", rest)),
                },
                Some((Label::RateLimit, rest)) => {
                    let raw = values(rest).into_iter().next().unwrap_or_default();
                    if rate_limit_label(&raw).is_none() {
                        kept = Some(("rate-limit label", rest));
                    } else if out.rate_limit.is_none() {
                        out.rate_limit = Some(raw);
                    }
                }
                Some((Label::Prerequisites, rest)) => {
                    let inline = rest.trim();
                    if inline.is_empty() {
                        wants_list = true;
                    } else if let Some(item) = bullet(inline) {
                        out.prerequisites.push(item.to_string());
                        wants_list = true;
                    } else {
                        out.prerequisites.push(inline.to_string());
                    }
                }
                // Text sharing a line with a label (rare): keep it as prose.
                None if !segment.trim().is_empty() => prose.push(segment.trim().to_string()),
                None => {}
            }
            if let Some((label, rest)) = kept {
                prose.push(segment.trim().to_string());
                out.unrecognized
                    .push((label.to_string(), rest.trim().to_string()));
            }
        }
        i += 1;
        if wants_list {
            i = read_list(&lines, i, &mut out.prerequisites);
        }
    }
    out.prose = tidy_prose(&prose);
    out
}

/// Reads `* item` lines from `start`; returns the index after the list.
fn read_list(lines: &[&str], start: usize, items: &mut Vec<String>) -> usize {
    let mut i = start;
    let mut in_list = false;
    while i < lines.len() {
        let line = lines[i];
        let trimmed = line.trim();
        if let Some(item) = bullet(trimmed) {
            items.push(item.to_string());
            in_list = true;
            i += 1;
        } else if trimmed.is_empty() {
            // A blank line ends the list unless another bullet follows it.
            let next = lines[i..].iter().find(|l| !l.trim().is_empty());
            match next {
                Some(l) if bullet(l.trim()).is_some() => i += 1,
                _ => return i,
            }
        } else if in_list && line.starts_with([' ', '\t']) && parse_label(trimmed).is_none() {
            if let Some(last) = items.last_mut() {
                last.push(' ');
                last.push_str(trimmed);
            }
            i += 1;
        } else {
            return i;
        }
    }
    i
}

fn bullet(trimmed: &str) -> Option<&str> {
    ["* ", "- ", "+ ", "• "]
        .iter()
        .find_map(|m| trimmed.strip_prefix(m))
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

fn push_unique(list: &mut Vec<String>, new: Vec<String>) {
    for v in new {
        if !list.contains(&v) {
            list.push(v);
        }
    }
}

/// Trailing blanks off every line, at most one blank line in a row, none
/// at either end: removing the metadata lines leaves gaps behind.
fn tidy_prose(lines: &[String]) -> String {
    let mut out: Vec<&str> = Vec::new();
    for line in lines {
        let line = line.trim_end();
        if line.is_empty() && out.last().is_none_or(|l| l.is_empty()) {
            continue;
        }
        out.push(line);
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    out.join("\n")
}

/// `a <br> b` -> `["a ", " b"]` (`<br>`, `<br/>`, `<br />`, any case).
fn split_br(line: &str) -> Vec<String> {
    let lower = line.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut start = 0;
    let mut search = 0;
    while let Some(found) = lower[search..].find("<br") {
        let at = search + found;
        let Some(close) = lower[at..].find('>') else {
            break;
        };
        let inner = lower[at + 3..at + close].trim();
        if inner.is_empty() || inner == "/" {
            out.push(line[start..at].to_string());
            start = at + close + 1;
        }
        search = at + close + 1;
    }
    out.push(line[start..].to_string());
    out
}

/// `**[Scopes](url):** rest` -> `(Scopes, " rest")`.
fn parse_label(segment: &str) -> Option<(Label, String)> {
    let s = segment.trim().trim_start_matches('#').trim_start();
    let (label, rest) = if let Some(bold) = s.strip_prefix("**") {
        let end = bold.find("**")?;
        let rest = bold[end + 2..]
            .strip_prefix(':')
            .unwrap_or(&bold[end + 2..]);
        (&bold[..end], rest)
    } else {
        // A plain heading line: `Prerequisites:` alone.
        (s, "")
    };
    let label = label.trim().trim_end_matches(':').trim();
    let label = match label.strip_prefix('[') {
        Some(linked) => &linked[..linked.find(']')?],
        None => label,
    };
    let name = label
        .trim()
        .trim_end_matches(':')
        .trim()
        .to_ascii_lowercase();
    let kind = match name.as_str() {
        "scopes" | "scope" | "oauth scopes" => Label::Scopes,
        "granular scopes" | "granular scope" => Label::GranularScopes,
        "rate limit label" | "rate-limit label" | "rate limit" => Label::RateLimit,
        "prerequisites" | "prerequisite" | "pre-requisites" | "pre-requisite" => {
            Label::Prerequisites
        }
        _ => return None,
    };
    // Only a heading may stand without bold, and then alone on its line.
    if !s.starts_with("**") && kind != Label::Prerequisites {
        return None;
    }
    Some((kind, rest.to_string()))
}

/// Scope names after a label: [`values`], when they read as scopes (quoted,
/// or each with a `:` as in `user:read:admin`); `None` for other text.
fn scope_values(rest: &str) -> Option<Vec<String>> {
    let found = values(rest);
    let quoted = rest.contains('`');
    let scope_like = |v: &String| {
        v.contains(':')
            && v.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, ':' | '_' | '-' | '.' | '*'))
    };
    (!found.is_empty() && (quoted || found.iter().all(scope_like))).then_some(found)
}

/// The values after a label: every `` `quoted` `` one, or else the
/// comma-separated words.
fn values(rest: &str) -> Vec<String> {
    let quoted: Vec<String> = rest
        .split('`')
        .skip(1)
        .step_by(2)
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
        .collect();
    if !quoted.is_empty() {
        return quoted;
    }
    rest.split([',', ' '])
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
        .collect()
}

/// The error codes of a response description:
/// ``**HTTP Status Code:** `400` <br> Bad Request **Error Code:** `1107` <br> Email domain is blocked. <br>``
/// gives `1107: "Email domain is blocked."`. A message runs to the next
/// `**Error Code:**` or `**HTTP Status Code` (or the end); its `<br>`- and
/// line-separated pieces are trimmed and joined with one space.
pub fn error_codes(description: &str) -> Vec<ErrorCode> {
    const MARKER: &str = "**Error Code:**";
    const STOPS: [&str; 2] = ["**Error Code:**", "**HTTP Status Code"];
    let mut out = Vec::new();
    let mut rest = description;
    while let Some(at) = rest.find(MARKER) {
        rest = &rest[at + MARKER.len()..];
        let after = rest.trim_start();
        let (code_text, tail) = match after.strip_prefix('`') {
            Some(q) => match q.find('`') {
                Some(end) => (&q[..end], &q[end + 1..]),
                None => continue,
            },
            None => {
                let end = after
                    .find(|c: char| !c.is_ascii_digit())
                    .unwrap_or(after.len());
                (&after[..end], &after[end..])
            }
        };
        let Ok(code) = code_text.trim().parse::<i64>() else {
            continue;
        };
        let end = STOPS
            .iter()
            .filter_map(|s| tail.find(s))
            .min()
            .unwrap_or(tail.len());
        let message = split_br(&tail[..end])
            .iter()
            .flat_map(|piece| piece.split('\n').map(str::trim).collect::<Vec<_>>())
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        out.push(ErrorCode { code, message });
        rest = &tail[end..];
    }
    out
}

/// The JSON object a success response's description gives as the body's
/// example, where the response declares no body: `createRole`'s `200`
/// reads ``**Status Code:** `200` You have created a role. { “id”: “ReP0…”,
/// “name”: “ole001”, … }``. The text from the first `{` to the last `}`,
/// with typographic double quotes read as `"`, must parse as a JSON object;
/// anything else (a `{placeholder}` in a message, say) is no example.
pub fn json_example(description: &str) -> Option<serde_json::Value> {
    let start = description.find('{')?;
    let end = description.rfind('}')?;
    let text: String = description
        .get(start..=end)?
        .chars()
        .map(|c| match c {
            '\u{201C}' | '\u{201D}' => '"',
            other => other,
        })
        .collect();
    match serde_json::from_str(&text) {
        Ok(object @ serde_json::Value::Object(_)) => Some(object),
        _ => None,
    }
}

/// Where Zoom's labels link to.
const SCOPES_URL: &str = "https://developers.zoom.us/docs/integrations/oauth-scopes-overview/";
const RATE_LIMITS_URL: &str = "https://developers.zoom.us/docs/api/rest/rate-limits/";

/// The description as Zoom publishes it: prose, then the prerequisites
/// list, scopes, granular scopes and rate-limit label, blank-line separated.
pub fn render_operation_description(text: &OperationText) -> String {
    let mut blocks: Vec<String> = Vec::new();
    if !text.prose.is_empty() {
        blocks.push(text.prose.clone());
    }
    if !text.prerequisites.is_empty() {
        let items: Vec<String> = text
            .prerequisites
            .iter()
            .map(|p| format!("* {p}"))
            .collect();
        blocks.push(format!("**Prerequisites:**\n{}", items.join("\n")));
    }
    let quoted = |list: &[String]| {
        list.iter()
            .map(|s| format!("`{s}`"))
            .collect::<Vec<_>>()
            .join(",")
    };
    if !text.scopes.is_empty() {
        blocks.push(format!(
            "**[Scopes]({SCOPES_URL}):** {}",
            quoted(&text.scopes)
        ));
    }
    if !text.granular_scopes.is_empty() {
        blocks.push(format!(
            "**[Granular Scopes]({SCOPES_URL}):** {}",
            quoted(&text.granular_scopes)
        ));
    }
    if let Some(label) = &text.rate_limit {
        blocks.push(format!(
            "**[Rate Limit Label]({RATE_LIMITS_URL}):** `{label}`"
        ));
    }
    blocks.join("\n\n")
}

/// `RESOURCE-INTENSIVE` -> `Resource-intensive`, as Zoom often spells it.
pub fn zoom_spelling(label: &str) -> String {
    let lower = label.to_ascii_lowercase();
    let mut chars = lower.chars();
    match chars.next() {
        Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zoom_markdown_is_taken_apart() {
        let text = split_operation_description(
            "Retrieves an account's locked settings. \n\n Account admins can toggle settings.   \n   \n \n**Prerequisites:**\n* Pro or a higher paid account.   \n \n\n\n\n**[Scopes](https://developers.zoom.us/docs/integrations/oauth-scopes-overview/):** `account:read:admin`,`account:master`\n\n**[Granular Scopes](https://x):** `account:read:lock_settings:master`\n\n**[Rate Limit Label](https://y):** `Resource-intensive`",
        );
        assert_eq!(
            text.prose,
            "Retrieves an account's locked settings.\n\n Account admins can toggle settings."
        );
        assert_eq!(text.scopes, ["account:read:admin", "account:master"]);
        assert_eq!(text.granular_scopes, ["account:read:lock_settings:master"]);
        assert_eq!(text.rate_limit.as_deref(), Some("Resource-intensive"));
        assert_eq!(text.prerequisites, ["Pro or a higher paid account."]);
        assert_eq!(
            rate_limit_label("Resource-intensive"),
            Some(RateLimitLabel::ResourceIntensive)
        );
        assert_eq!(rate_limit_label("`Heavy`"), Some(RateLimitLabel::Heavy));
        assert_eq!(rate_limit_label("Huge"), None);
    }

    #[test]
    fn labels_joined_by_br_and_plain_headings() {
        let text = split_operation_description(
            "Intro.\n\n### Pre-requisites\n- A paid plan\n  with a continuation\n- Admin role\n\nMore prose.\n\n**Scopes:** `a:b` <br> **Rate Limit Label:** `Light`",
        );
        assert_eq!(text.prose, "Intro.\n\nMore prose.");
        assert_eq!(
            text.prerequisites,
            ["A paid plan with a continuation", "Admin role"]
        );
        assert_eq!(text.scopes, ["a:b"]);
        assert_eq!(text.rate_limit.as_deref(), Some("Light"));
    }

    #[test]
    fn unrecognized_labels_stay_in_the_prose() {
        let text = split_operation_description(
            "Uploads a file.\n\n**Scopes:** Not needed for this API\n\n**Granular Scopes:** room:write:file\n\n**[Rate Limit Label](https://y):** `20`",
        );
        assert_eq!(
            text.prose,
            "Uploads a file.\n\n**Scopes:** Not needed for this API\n\n**[Rate Limit Label](https://y):** `20`"
        );
        assert!(text.scopes.is_empty());
        assert_eq!(text.granular_scopes, ["room:write:file"]);
        assert_eq!(text.rate_limit, None);
        assert_eq!(
            text.unrecognized,
            [
                ("scopes".to_string(), "Not needed for this API".to_string()),
                ("rate-limit label".to_string(), "`20`".to_string())
            ]
        );
    }

    #[test]
    fn error_codes_from_response_text() {
        let codes = error_codes(
            "**HTTP Status Code:** `400` <br> Bad Request **Error Code:** `1107` <br> Email domain is blocked. <br>**Error Code:** `300` <br> * one <br> * two <br> **HTTP Status Code:** `404` <br> Not Found **Error Code:** `2001` <br> Account does not exist: $subAccountId",
        );
        assert_eq!(
            codes,
            [
                ErrorCode {
                    code: 1107,
                    message: "Email domain is blocked.".into()
                },
                ErrorCode {
                    code: 300,
                    message: "* one * two".into()
                },
                ErrorCode {
                    code: 2001,
                    message: "Account does not exist: $subAccountId".into()
                },
            ]
        );
        let newline_style = error_codes(
            "**Error Code:** `200`  \n \nOnly available for paid account:$accountId.\n\n**HTTP Status Code:** `200`  \n \nLocked settings returned.\n\n",
        );
        assert_eq!(
            newline_style,
            [ErrorCode {
                code: 200,
                message: "Only available for paid account:$accountId.".into()
            }]
        );
    }

    #[test]
    fn render_then_split_is_identity() {
        let text = OperationText {
            prose: "Line one.\n\n- a list in prose\n- second".into(),
            scopes: vec!["a:read".into(), "a:write".into()],
            granular_scopes: vec!["a:read:x".into()],
            rate_limit: Some("Medium".into()),
            prerequisites: vec!["Pro plan.".into(), "Admin.".into()],
            unrecognized: vec![],
        };
        assert_eq!(
            split_operation_description(&render_operation_description(&text)),
            text
        );
    }

    #[test]
    fn a_json_example_in_a_success_description() {
        let described = "**Status Code:** `200` You have created a role. { \u{201C}id\u{201D}: \u{201C}ReP0\u{201D}, \u{201C}total_members\u{201D}: 0, \u{201C}privileges\u{201D}: [ \u{201C}User:Read\u{201D} ] }";
        assert_eq!(
            json_example(described),
            Some(
                serde_json::json!({"id": "ReP0", "total_members": 0, "privileges": ["User:Read"]})
            )
        );
        for none in [
            "**HTTP Status Code:** `200` Account's managed domains returned. **Error Code:** `200` Only available for Paid or ZMP account: {accountId}.",
            "Group policy not found: {0}, to_group_id: {1}.",
            "A list: [1, 2]",
            "No braces at all.",
            "} backwards {",
        ] {
            assert_eq!(json_example(none), None, "{none}");
        }
    }
}
