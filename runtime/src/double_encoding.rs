//! Zoom's double URL-encoding rule. A meeting or webinar UUID may begin with
//! `/` or contain `//` (UUIDs are base64), and Zoom's router decodes such a
//! path segment one time too many: it must be URL-encoded twice to arrive
//! intact. The same holds for a survey `instance_id` in a query. Generated
//! code encodes every value once (progenitor's `encode_path`, serde's form
//! encoding for queries); [`crate::Runtime::execute`] then calls
//! [`double_encode_url`] with the operation's path template, so that the rule
//! lives in one place and every generated method gets it.
//!
//! The rule applies to a value only when it needs it: a segment or
//! `instance_id` whose decoded value begins with `/` or contains `//` has its
//! once-encoded form encoded again (`%2F` becomes `%252F`); everything else,
//! and every other part of the URL, is left byte for byte as it was. A value
//! the caller already encoded twice decodes to something without a `/`, so
//! it is not encoded a third time.

use std::borrow::Cow;

use percent_encoding::percent_decode_str;
use reqwest::Url;

/// The query parameter Zoom wants double-encoded when it needs it.
pub const DOUBLE_ENCODED_QUERY_PARAMS: &[&str] = &["instance_id"];

/// Whether Zoom wants `value` (decoded) double-encoded: it begins with `/`
/// or contains `//`.
pub fn needs_double_encoding(value: &str) -> bool {
    value.starts_with('/') || value.contains("//")
}

/// `encoded` (a once-encoded path segment or query value) encoded again
/// when its decoded value [needs it](needs_double_encoding), else `None`.
///
/// Once-encoded text holds no character that needs escaping except the `%`
/// of its escapes, so encoding it again is escaping `%` as `%25`.
pub fn double_encode_value(encoded: &str) -> Option<String> {
    let decoded = percent_decode_str(encoded).decode_utf8_lossy();
    needs_double_encoding(&decoded).then(|| encoded.replace('%', "%25"))
}

/// `path` with each segment that stands for a `{param}` of `template`
/// double-encoded where Zoom wants it; `None` when nothing changes.
///
/// `path` is the URL's path, which may start with the base URL's own path
/// (`/v2`): the template is matched against its last segments, and only if
/// every literal segment of the template matches there. A path that does not
/// fit its template is left alone rather than guessed at.
pub fn double_encode_path(path: &str, template: &str) -> Option<String> {
    let template: Vec<&str> = template.strip_prefix('/')?.split('/').collect();
    let mut segments: Vec<Cow<'_, str>> = path.split('/').map(Cow::Borrowed).collect();
    // The first element of a split absolute path is the empty string before
    // the leading `/`; it is never a template segment.
    let offset = segments.len().checked_sub(template.len())?;
    if offset == 0 {
        return None;
    }
    let mut changed = false;
    for (index, pattern) in template.iter().enumerate() {
        let segment = &mut segments[offset + index];
        if !pattern.contains('{') {
            if *pattern != segment.as_ref() {
                return None;
            }
            continue;
        }
        // A segment that mixes a parameter with literal text (`{id}.json`)
        // has no value of its own to test; Zoom's paths have none.
        let whole_param = pattern.starts_with('{')
            && pattern.ends_with('}')
            && pattern[1..pattern.len() - 1].find(['{', '}']).is_none();
        if !whole_param {
            continue;
        }
        if let Some(encoded) = double_encode_value(segment) {
            *segment = Cow::Owned(encoded);
            changed = true;
        }
    }
    changed.then(|| segments.join("/"))
}

/// `query` with the value of each parameter in
/// [`DOUBLE_ENCODED_QUERY_PARAMS`] double-encoded where Zoom wants it;
/// `None` when nothing changes. Every other byte, parameter order included,
/// stays as it was.
pub fn double_encode_query(query: &str) -> Option<String> {
    let mut changed = false;
    let pairs: Vec<Cow<'_, str>> = query
        .split('&')
        .map(|pair| {
            let Some((name, value)) = pair.split_once('=') else {
                return Cow::Borrowed(pair);
            };
            // Form encoding writes a space as `+`; the names we look for
            // have none, but decode the name the way the server will.
            let name = percent_decode_str(&name.replace('+', " "))
                .decode_utf8_lossy()
                .into_owned();
            if !DOUBLE_ENCODED_QUERY_PARAMS.contains(&name.as_str()) {
                return Cow::Borrowed(pair);
            }
            match double_encode_value(value) {
                Some(encoded) => {
                    changed = true;
                    let raw_name = &pair[..pair.len() - value.len() - 1];
                    Cow::Owned(format!("{raw_name}={encoded}"))
                }
                None => Cow::Borrowed(pair),
            }
        })
        .collect();
    changed.then(|| pairs.join("&"))
}

/// Applies Zoom's double-encoding rule to `url`, whose path was built from
/// `template` (an `OperationMeta::path`, e.g.
/// `/accounts/{accountId}/metrics/meetings/{meetingId}`). An empty template
/// leaves the path alone; the query is checked in any case.
pub fn double_encode_url(url: &mut Url, template: &str) {
    if !template.is_empty()
        && let Some(path) = double_encode_path(url.path(), template)
    {
        url.set_path(&path);
    }
    if let Some(query) = url.query().and_then(double_encode_query) {
        url.set_query(Some(&query));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MEETING: &str = "/accounts/{accountId}/metrics/meetings/{meetingId}";

    #[test]
    fn values_that_begin_with_a_slash_or_hold_a_double_slash() {
        // The once-encoded forms progenitor's `encode_path` produces.
        assert_eq!(
            double_encode_value("%2Fabc==").as_deref(),
            Some("%252Fabc==")
        );
        assert_eq!(
            double_encode_value("ab%2F%2Fc==").as_deref(),
            Some("ab%252F%252Fc==")
        );
        // Lower-case escapes decode the same.
        assert_eq!(double_encode_value("%2fabc").as_deref(), Some("%252fabc"));
        // Other escapes in the value are encoded again with it.
        assert_eq!(
            double_encode_value("%2Fa%2Bb%3D%3D").as_deref(),
            Some("%252Fa%252Bb%253D%253D")
        );
    }

    #[test]
    fn plain_values_are_left_alone() {
        for value in [
            "abc==",
            "4pVq1SnBQqe6ITsCwyDPZQ==",
            "a%2Fb",    // one slash, not at the start
            "%252Fabc", // already double-encoded by the caller
            "",
            "me",
            "85746065432",
        ] {
            assert_eq!(double_encode_value(value), None, "{value}");
        }
    }

    #[test]
    fn path_segments_of_template_parameters() {
        assert_eq!(
            double_encode_path("/v2/accounts/me/metrics/meetings/%2Fabc==", MEETING).as_deref(),
            Some("/v2/accounts/me/metrics/meetings/%252Fabc==")
        );
        assert_eq!(
            double_encode_path("/v2/accounts/me/metrics/meetings/ab%2F%2Fc==", MEETING).as_deref(),
            Some("/v2/accounts/me/metrics/meetings/ab%252F%252Fc==")
        );
        // No base path.
        assert_eq!(
            double_encode_path("/accounts/me/metrics/meetings/%2Fabc==", MEETING).as_deref(),
            Some("/accounts/me/metrics/meetings/%252Fabc==")
        );
        // Every parameter, not just the last.
        assert_eq!(
            double_encode_path(
                "/v2/accounts/me/metrics/meetings/%2F%2Fm/participants/%2Fp/qos",
                "/accounts/{accountId}/metrics/meetings/{meetingId}/participants/{participantId}/qos"
            )
            .as_deref(),
            Some("/v2/accounts/me/metrics/meetings/%252F%252Fm/participants/%252Fp/qos")
        );
    }

    #[test]
    fn paths_that_need_nothing_or_do_not_fit_are_left_alone() {
        // A plain UUID.
        assert_eq!(
            double_encode_path("/v2/accounts/me/metrics/meetings/abc==", MEETING),
            None
        );
        // A literal segment that looks like it needs encoding is not a parameter.
        assert_eq!(
            double_encode_path("/v2/%2Faccounts/me", "/{x}accounts/{accountId}"),
            None
        );
        // A literal of the template is not where it should be.
        assert_eq!(
            double_encode_path("/v2/accounts/me/metrics/webinars/%2Fabc==", MEETING),
            None
        );
        // Fewer segments than the template.
        assert_eq!(double_encode_path("/%2Fabc==", MEETING), None);
        assert_eq!(
            double_encode_path("/v2/accounts/%2Fx", "accounts/{id}"),
            None
        );
    }

    #[test]
    fn instance_id_in_the_query() {
        assert_eq!(
            double_encode_query("page_size=10&instance_id=%2Fabc%3D%3D&next_page_token=x")
                .as_deref(),
            Some("page_size=10&instance_id=%252Fabc%253D%253D&next_page_token=x")
        );
        assert_eq!(
            double_encode_query("instance_id=ab%2F%2Fc%3D%3D").as_deref(),
            Some("instance_id=ab%252F%252Fc%253D%253D")
        );
        for query in [
            "instance_id=abc%3D%3D",
            "instance_id=a%2Fb",
            "instance_id",
            "instance_id=",
            // Only `instance_id` follows the rule.
            "next_page_token=%2Fabc",
            "",
        ] {
            assert_eq!(double_encode_query(query), None, "{query}");
        }
    }

    #[test]
    fn whole_urls() {
        let mut url = Url::parse(
            "http://127.0.0.1:1/v2/accounts/me/metrics/meetings/%2Fabc==?type=past&instance_id=%2F%2Fi",
        )
        .unwrap();
        double_encode_url(&mut url, MEETING);
        assert_eq!(
            url.as_str(),
            "http://127.0.0.1:1/v2/accounts/me/metrics/meetings/%252Fabc==?type=past&instance_id=%252F%252Fi"
        );

        let plain = "http://127.0.0.1:1/v2/accounts/me/metrics/meetings/abc==?type=past";
        let mut url = Url::parse(plain).unwrap();
        double_encode_url(&mut url, MEETING);
        assert_eq!(url.as_str(), plain);

        // Without a template only the query is looked at.
        let mut url = Url::parse("http://h/v2/x/%2Fabc?instance_id=%2Fi").unwrap();
        double_encode_url(&mut url, "");
        assert_eq!(url.as_str(), "http://h/v2/x/%2Fabc?instance_id=%252Fi");
    }
}
