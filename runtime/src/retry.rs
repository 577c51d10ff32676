//! When and how long to wait before trying a request again. The runtime asks
//! [`RetryPolicy`] after every failed attempt: a 429 is always worth another
//! try (Zoom did not process the request) and its `Retry-After` is honoured;
//! a 5xx or a lost connection is retried only for idempotent methods unless
//! the policy says otherwise, because a POST that reached Zoom may have taken
//! effect. A connection that could not even be opened is safe to retry for
//! any method. Waits use exponential backoff with full jitter and never run
//! past the policy's overall deadline: when the next wait would, the last
//! answer is returned instead.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::{Method, StatusCode};

/// How often and how long to retry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt; 0 turns retrying off. A token
    /// refresh after a 401 is not counted.
    pub max_retries: u32,
    /// The backoff cap of the first retry; it doubles with each retry.
    pub base_delay: Duration,
    /// No backoff wait is longer (a server's `Retry-After` may be).
    pub max_delay: Duration,
    /// How long one `execute` may take in all, retries and waits included.
    pub deadline: Duration,
    /// Retry 5xx answers and lost connections for POST and PATCH too.
    pub retry_non_idempotent: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 3,
            base_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(10),
            deadline: Duration::from_secs(60),
            retry_non_idempotent: false,
        }
    }
}

impl RetryPolicy {
    /// Never retry (a 401 still gets its one token refresh).
    pub fn never() -> Self {
        RetryPolicy {
            max_retries: 0,
            ..RetryPolicy::default()
        }
    }

    /// A random wait before retry number `retry` (0 for the first retry):
    /// uniform in `[0, min(max_delay, base_delay * 2^retry)]` ("full
    /// jitter"), so that clients that failed together do not retry together.
    pub fn backoff(&self, retry: u32) -> Duration {
        self.backoff_at(retry, fastrand::f64())
    }

    /// [`RetryPolicy::backoff`] with the random draw `unit` in `[0, 1)`.
    pub(crate) fn backoff_at(&self, retry: u32, unit: f64) -> Duration {
        let growth = 2u32.checked_pow(retry.min(31)).unwrap_or(u32::MAX);
        let cap = self.base_delay.saturating_mul(growth).min(self.max_delay);
        cap.mul_f64(unit.clamp(0.0, 1.0))
    }

    /// Whether a request with `method` may be sent again after its outcome
    /// became uncertain (5xx, connection lost mid-request, timeout).
    pub(crate) fn may_repeat(&self, method: &Method) -> bool {
        self.retry_non_idempotent || is_idempotent(method)
    }

    /// Whether an answer with `status` is worth another attempt.
    pub(crate) fn retries_status(&self, status: StatusCode, method: &Method) -> bool {
        status == StatusCode::TOO_MANY_REQUESTS
            || (status.is_server_error() && self.may_repeat(method))
    }

    /// Whether a failed send is worth another attempt.
    pub(crate) fn retries_error(&self, error: &reqwest::Error, method: &Method) -> bool {
        if error.is_builder() || error.is_redirect() || error.is_status() || error.is_decode() {
            return false;
        }
        // A connection that never opened carried no request.
        error.is_connect() || self.may_repeat(method)
    }
}

/// GET, HEAD, PUT, DELETE, OPTIONS and TRACE: sending one twice has the
/// effect of sending it once (RFC 9110 §9.2.2).
pub fn is_idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS | Method::TRACE
    )
}

/// How long a `Retry-After` value asks to wait, from `now`.
///
/// Understands delta-seconds (`120`), an HTTP-date (`Sun, 06 Nov 1994
/// 08:49:37 GMT`, and the obsolete RFC 850 and asctime forms), and the
/// RFC 3339 timestamp Zoom sends when a daily limit is hit
/// (`2020-05-31T00:00:00Z`). A time in the past means no wait. Anything else
/// is `None`.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    if value.bytes().all(|b| b.is_ascii_digit()) {
        return value.parse().ok().map(Duration::from_secs);
    }
    let at = httpdate::parse_http_date(value)
        .ok()
        .or_else(|| parse_rfc3339(value))?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// An RFC 3339 timestamp: `YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)`, `T` and
/// `Z` in either case, a space allowed for `T`. A missing offset is read as
/// UTC, which is what Zoom means.
pub(crate) fn parse_rfc3339(text: &str) -> Option<SystemTime> {
    let bytes = text.as_bytes();
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        let digits = bytes.get(range)?;
        if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        std::str::from_utf8(digits).ok()?.parse().ok()
    };
    let expect = |at: usize, allowed: &[u8]| bytes.get(at).is_some_and(|b| allowed.contains(b));

    let year = number(0..4)?;
    let month = number(5..7)?;
    let day = number(8..10)?;
    let hour = number(11..13)?;
    let minute = number(14..16)?;
    let second = number(17..19)?;
    if !(expect(4, b"-")
        && expect(7, b"-")
        && expect(10, b"Tt ")
        && expect(13, b":")
        && expect(16, b":"))
    {
        return None;
    }
    let mut rest = &text[19..];
    let mut nanos = 0u32;
    if let Some(fraction) = rest.strip_prefix('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        for (i, b) in fraction.bytes().take(digits.min(9)).enumerate() {
            nanos += u32::from(b - b'0') * 10u32.pow(8 - i as u32);
        }
        rest = &fraction[digits..];
    }
    let offset_secs: i64 = match rest {
        "" | "Z" | "z" => 0,
        _ => {
            let (sign, hhmm) = match rest.as_bytes().first()? {
                b'+' => (1, &rest[1..]),
                b'-' => (-1, &rest[1..]),
                _ => return None,
            };
            let hhmm = hhmm.as_bytes();
            if hhmm.len() != 5 || hhmm[2] != b':' {
                return None;
            }
            let part = |r: std::ops::Range<usize>| -> Option<i64> {
                let d = &hhmm[r];
                d.iter()
                    .all(u8::is_ascii_digit)
                    .then(|| i64::from(d[0] - b'0') * 10 + i64::from(d[1] - b'0'))
            };
            let (h, m) = (part(0..2)?, part(3..5)?);
            if h > 23 || m > 59 {
                return None;
            }
            sign * (h * 3600 + m * 60)
        }
    };
    if !(1..=12).contains(&month)
        || day == 0
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
    {
        return None;
    }
    if second > 60 {
        return None;
    }
    // A leap second is read as the last second of its minute.
    let second = second.min(59);
    let days = days_from_civil(i64::from(year), month, day);
    let local = days * 86_400 + i64::from(hour) * 3600 + i64::from(minute) * 60 + i64::from(second);
    let utc = u64::try_from(local - offset_secs).ok()?;
    Some(UNIX_EPOCH + Duration::new(utc, nanos))
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days from 1970-01-01 to the given proleptic Gregorian date (Howard
/// Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month = i64::from(month);
    let day_of_year =
        (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(secs)
    }

    // 1994-11-06T08:49:37Z, the example of RFC 9110.
    const RFC_EXAMPLE: u64 = 784_111_777;

    #[test]
    fn retry_after_delta_seconds() {
        let now = at(1_000);
        assert_eq!(parse_retry_after("1", now), Some(Duration::from_secs(1)));
        assert_eq!(
            parse_retry_after(" 120 ", now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(parse_retry_after("0", now), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("99999999999999999999999", now), None);
    }

    #[test]
    fn retry_after_http_date_in_all_three_forms() {
        let now = at(RFC_EXAMPLE - 30);
        for form in [
            "Sun, 06 Nov 1994 08:49:37 GMT",
            "Sunday, 06-Nov-94 08:49:37 GMT",
            "Sun Nov  6 08:49:37 1994",
        ] {
            assert_eq!(
                parse_retry_after(form, now),
                Some(Duration::from_secs(30)),
                "{form}"
            );
        }
        // Already past: go ahead now.
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", at(RFC_EXAMPLE + 5)),
            Some(Duration::ZERO)
        );
    }

    #[test]
    fn retry_after_rfc3339_as_zoom_sends_for_daily_limits() {
        let midnight = 1_590_883_200; // 2020-05-31T00:00:00Z
        let now = at(midnight - 3600);
        assert_eq!(
            parse_retry_after("2020-05-31T00:00:00Z", now),
            Some(Duration::from_secs(3600))
        );
        assert_eq!(
            parse_retry_after("2020-05-31t00:00:00z", now),
            Some(Duration::from_secs(3600))
        );
        assert_eq!(
            parse_retry_after("2020-05-31 00:00:00Z", now),
            Some(Duration::from_secs(3600))
        );
        assert_eq!(
            parse_retry_after("2020-05-31T00:00:00", now),
            Some(Duration::from_secs(3600))
        );
        assert_eq!(
            parse_retry_after("2020-05-31T02:00:00+02:00", now),
            Some(Duration::from_secs(3600))
        );
        assert_eq!(
            parse_retry_after("2020-05-30T23:00:00-01:00", now),
            Some(Duration::from_secs(3600))
        );
        assert_eq!(
            parse_retry_after("2020-05-31T00:00:00.5Z", now),
            Some(Duration::from_millis(3_600_500))
        );
        assert_eq!(
            parse_retry_after("2020-05-30T00:00:00Z", now),
            Some(Duration::ZERO)
        );
    }

    #[test]
    fn rfc3339_matches_known_instants() {
        assert_eq!(parse_rfc3339("1970-01-01T00:00:00Z"), Some(UNIX_EPOCH));
        assert_eq!(parse_rfc3339("1994-11-06T08:49:37Z"), Some(at(RFC_EXAMPLE)));
        assert_eq!(parse_rfc3339("2000-02-29T00:00:00Z"), Some(at(951_782_400)));
        assert_eq!(
            parse_rfc3339("2016-12-31T23:59:60Z"),
            Some(at(1_483_228_799))
        );
        assert_eq!(
            parse_rfc3339("2024-01-01T00:00:00.123456789123Z"),
            Some(at(1_704_067_200) + Duration::from_nanos(123_456_789))
        );
    }

    #[test]
    fn retry_after_garbage_is_none() {
        let now = at(1_000);
        for garbage in [
            "",
            "   ",
            "-1",
            "1.5",
            "soon",
            "0x10",
            "Sun, 06 Nov 1994",
            "Sun, 32 Nov 1994 08:49:37 GMT",
            "2020-13-01T00:00:00Z",
            "2021-02-29T00:00:00Z",
            "2020-05-31T24:00:00Z",
            "2020-05-31T00:00:00+2:00",
            "2020-05-31T00:00:00+24:00",
            "2020-05-31T00:00:00.Z",
            "2020-05-31T00:00:00ZZ",
            "2020-05-31X00:00:00Z",
            "20200531T000000Z",
            "1969-12-31T23:59:59Z",
            "２０２０-05-31T00:00:00Z",
            "2020-05-31T00:00:0é",
        ] {
            assert_eq!(parse_retry_after(garbage, now), None, "{garbage:?}");
        }
    }

    #[test]
    fn backoff_is_full_jitter_under_a_doubling_cap() {
        let policy = RetryPolicy {
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(500),
            ..RetryPolicy::default()
        };
        assert_eq!(policy.backoff_at(0, 0.0), Duration::ZERO);
        assert_eq!(policy.backoff_at(0, 0.5), Duration::from_millis(50));
        assert_eq!(policy.backoff_at(1, 1.0), Duration::from_millis(200));
        assert_eq!(policy.backoff_at(2, 1.0), Duration::from_millis(400));
        assert_eq!(policy.backoff_at(3, 1.0), Duration::from_millis(500));
        assert_eq!(policy.backoff_at(u32::MAX, 1.0), Duration::from_millis(500));
        for retry in 0..40 {
            assert!(policy.backoff(retry) <= Duration::from_millis(500));
        }
    }

    #[test]
    fn which_failures_are_retried() {
        let policy = RetryPolicy::default();
        assert!(policy.retries_status(StatusCode::TOO_MANY_REQUESTS, &Method::POST));
        assert!(policy.retries_status(StatusCode::INTERNAL_SERVER_ERROR, &Method::GET));
        assert!(policy.retries_status(StatusCode::BAD_GATEWAY, &Method::DELETE));
        assert!(!policy.retries_status(StatusCode::INTERNAL_SERVER_ERROR, &Method::POST));
        assert!(!policy.retries_status(StatusCode::SERVICE_UNAVAILABLE, &Method::PATCH));
        assert!(!policy.retries_status(StatusCode::BAD_REQUEST, &Method::GET));
        assert!(!policy.retries_status(StatusCode::NOT_FOUND, &Method::GET));
        let bold = RetryPolicy {
            retry_non_idempotent: true,
            ..RetryPolicy::default()
        };
        assert!(bold.retries_status(StatusCode::INTERNAL_SERVER_ERROR, &Method::POST));
        assert!(is_idempotent(&Method::PUT) && !is_idempotent(&Method::PATCH));
    }
}
