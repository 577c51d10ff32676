//! Optional client-side throttling, so that a busy application waits a few
//! milliseconds instead of collecting 429s. Zoom meters each rate-limit label
//! separately, at rates that depend on the account's plan; a
//! [`RateLimitPlan`] states those rates and `Throttle` keeps one limiter per
//! label, shared by every clone of a runtime. Before each attempt the
//! runtime waits for its slot (FIFO: each caller reserves a slot, then
//! sleeps on the tokio clock until it).
//!
//! A limiter holds two rules, and a request goes when both allow it:
//!
//! - **a sliding window**: the send times of the last `requests` grants are
//!   kept, and the next grant comes no earlier than `per` plus the plan's
//!   [`margin`](RateLimitPlan::margin) after the oldest of them. So no window
//!   of length `per` ever holds more than `requests` grants, whatever the
//!   start state and however many callers race: Zoom counts per second, and a
//!   plain token bucket (full at the start, refilling at the rate) lets up to
//!   `2 × requests − 1` through in the first second. The margin absorbs the
//!   delay between a grant and the request's arrival at Zoom, which varies
//!   from request to request (a new connection, a busy executor).
//! - **a token bucket** of capacity `burst`, refilled at the rate, for a plan
//!   that wants requests spread out rather than sent in bursts of up to
//!   `requests` (`burst: 1` spaces them evenly).
//!
//! Memory is one `Instant` per request of the rate, per label (30 for Pro's
//! LIGHT).
//!
//! HEAVY and RESOURCE-INTENSIVE operations can also draw on a daily budget
//! that resets at 00:00 UTC, as Zoom's daily limits do; once it is spent,
//! requests fail at once with [`crate::ErrorKind::BudgetExhausted`] rather
//! than wait for hours. The server's own 429 handling (see [`crate::retry`])
//! stays the backstop: the throttle only knows about this process.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::time::Instant;

use crate::meta::RateLimitLabel;

/// A request rate: at most `requests` in any window of `per`, with up to
/// `burst` back to back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    pub requests: u32,
    pub per: Duration,
    pub burst: u32,
}

impl Rate {
    /// `requests` per second, bursting up to `requests`.
    pub const fn per_second(requests: u32) -> Self {
        Rate {
            requests,
            per: Duration::from_secs(1),
            burst: requests,
        }
    }

    /// `requests` per minute, bursting up to `requests`.
    pub const fn per_minute(requests: u32) -> Self {
        Rate {
            requests,
            per: Duration::from_secs(60),
            burst: requests,
        }
    }

    /// The time one request's worth of tokens takes to refill.
    fn interval(&self) -> Duration {
        self.per / self.requests.max(1)
    }
}

/// The rates to hold each label to. A label without a rate is not throttled.
///
/// Start from a preset and change what differs:
/// ```
/// use zoom_api_runtime::{Rate, RateLimitPlan};
/// let plan = RateLimitPlan {
///     resource_intensive: Some(Rate::per_minute(20)),
///     daily_budget: Some(60_000),
///     ..RateLimitPlan::business()
/// };
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateLimitPlan {
    pub light: Option<Rate>,
    pub medium: Option<Rate>,
    pub heavy: Option<Rate>,
    /// `None`: RESOURCE-INTENSIVE operations draw from HEAVY's bucket, so the
    /// two labels together stay within HEAVY's rate.
    pub resource_intensive: Option<Rate>,
    /// Requests per UTC day shared by HEAVY and RESOURCE-INTENSIVE.
    pub daily_budget: Option<u32>,
    /// Added to each rate's window, so that a request granted late in one
    /// window and sent at once still arrives at Zoom outside the window of
    /// the request `requests` grants later, even if that one went out
    /// faster. Default [`DEFAULT_THROTTLE_MARGIN`]; it costs about
    /// `margin / per` of the rate when requests keep the throttle busy.
    pub margin: Duration,
}

/// [`RateLimitPlan::margin`] unless set: 50 ms, several times the spread of
/// the grant-to-arrival delay of requests on a busy machine (a new
/// connection, a task that waits for its executor), and 5% of a
/// per-second rate.
pub const DEFAULT_THROTTLE_MARGIN: Duration = Duration::from_millis(50);

impl Default for RateLimitPlan {
    fn default() -> Self {
        RateLimitPlan {
            light: None,
            medium: None,
            heavy: None,
            resource_intensive: None,
            daily_budget: None,
            margin: DEFAULT_THROTTLE_MARGIN,
        }
    }
}

impl RateLimitPlan {
    /// Zoom's Pro plan: LIGHT 30/s, MEDIUM 20/s, HEAVY 10/s.
    pub fn pro() -> Self {
        RateLimitPlan::per_second(30, 20, 10)
    }

    /// Zoom's Business plan: LIGHT 80/s, MEDIUM 60/s, HEAVY 40/s.
    pub fn business() -> Self {
        RateLimitPlan::per_second(80, 60, 40)
    }

    /// Zoom's Business+ (and higher) plans: the same rates as Business.
    pub fn business_plus() -> Self {
        RateLimitPlan::business()
    }

    fn per_second(light: u32, medium: u32, heavy: u32) -> Self {
        RateLimitPlan {
            light: Some(Rate::per_second(light)),
            medium: Some(Rate::per_second(medium)),
            heavy: Some(Rate::per_second(heavy)),
            ..RateLimitPlan::default()
        }
    }

    /// The rate `label` is held to, after RESOURCE-INTENSIVE's fallback to
    /// HEAVY.
    pub fn rate(&self, label: RateLimitLabel) -> Option<Rate> {
        match label {
            RateLimitLabel::Light => self.light,
            RateLimitLabel::Medium => self.medium,
            RateLimitLabel::Heavy => self.heavy,
            RateLimitLabel::ResourceIntensive => self.resource_intensive.or(self.heavy),
        }
    }

    /// What is wrong with the plan, if anything.
    pub(crate) fn validate(&self) -> Result<(), String> {
        for label in RateLimitLabel::ALL {
            if let Some(rate) = self.rate(label)
                && (rate.requests == 0 || rate.per.is_zero())
            {
                return Err(format!(
                    "the {label} rate {rate:?} allows no requests; leave it unset to not throttle"
                ));
            }
        }
        Ok(())
    }
}

/// Why [`Throttle::acquire`] refused a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct BudgetSpent {
    pub(crate) budget: u32,
    pub(crate) resets_in: Duration,
}

/// The limiters of one runtime.
#[derive(Debug)]
pub(crate) struct Throttle {
    plan: RateLimitPlan,
    /// Indexed like [`RateLimitLabel::ALL`]; RESOURCE-INTENSIVE may share
    /// HEAVY's limiter.
    limiters: [Option<Arc<Limiter>>; 4],
    daily: Option<DailyBudget>,
}

impl Throttle {
    pub(crate) fn new(plan: RateLimitPlan) -> Self {
        let now = Instant::now();
        let margin = plan.margin;
        let limiter = |rate: Option<Rate>| rate.map(|r| Arc::new(Limiter::new(r, margin, now)));
        let heavy = limiter(plan.heavy);
        let resource_intensive = match plan.resource_intensive {
            Some(rate) => limiter(Some(rate)),
            None => heavy.clone(),
        };
        Throttle {
            limiters: [
                limiter(plan.light),
                limiter(plan.medium),
                heavy,
                resource_intensive,
            ],
            daily: plan.daily_budget.map(DailyBudget::new),
            plan,
        }
    }

    pub(crate) fn plan(&self) -> &RateLimitPlan {
        &self.plan
    }

    fn limiter(&self, label: RateLimitLabel) -> Option<&Limiter> {
        let index = match label {
            RateLimitLabel::Light => 0,
            RateLimitLabel::Medium => 1,
            RateLimitLabel::Heavy => 2,
            RateLimitLabel::ResourceIntensive => 3,
        };
        self.limiters[index].as_deref()
    }

    /// Waits until a request of `label` may go; returns how long it waited.
    /// Counts it against the daily budget first, so a spent budget fails
    /// without waiting.
    pub(crate) async fn acquire(&self, label: RateLimitLabel) -> Result<Duration, BudgetSpent> {
        if matches!(
            label,
            RateLimitLabel::Heavy | RateLimitLabel::ResourceIntensive
        ) && let Some(daily) = &self.daily
        {
            daily.take(SystemTime::now())?;
        }
        let Some(limiter) = self.limiter(label) else {
            return Ok(Duration::ZERO);
        };
        let now = Instant::now();
        let at = limiter.reserve(now);
        if at > now {
            tokio::time::sleep_until(at).await;
        }
        Ok(at.saturating_duration_since(now))
    }
}

/// One label's limiter: a sliding window over the last `requests` grants
/// and a token bucket of `burst` (see the module docs). Callers reserve
/// their slot under one lock, in arrival order, and sleep until it: no
/// wake-ups to coordinate, FIFO, and grant times never decrease.
#[derive(Debug)]
struct Limiter {
    rate: Rate,
    /// `per` plus the plan's margin.
    window: Duration,
    state: Mutex<LimiterState>,
}

#[derive(Debug)]
struct LimiterState {
    /// Bucket tokens on hand as of `updated`; negative when slots are
    /// reserved ahead.
    tokens: f64,
    updated: Instant,
    /// The last (up to) `requests` grant times, oldest first.
    granted: VecDeque<Instant>,
}

impl Limiter {
    fn new(rate: Rate, margin: Duration, now: Instant) -> Self {
        let requests = rate.requests.max(1) as usize;
        Limiter {
            rate,
            window: rate.per.saturating_add(margin),
            state: Mutex::new(LimiterState {
                tokens: f64::from(rate.burst.max(1)),
                updated: now,
                granted: VecDeque::with_capacity(requests),
            }),
        }
    }

    /// Reserves the next slot and returns when it is (`now` or later).
    fn reserve(&self, now: Instant) -> Instant {
        let interval = self.rate.interval().as_secs_f64();
        let capacity = f64::from(self.rate.burst.max(1));
        let requests = self.rate.requests.max(1) as usize;
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);

        // The bucket: the time its next token is there.
        let refilled = now.saturating_duration_since(state.updated).as_secs_f64() / interval;
        state.tokens = (state.tokens + refilled).min(capacity) - 1.0;
        state.updated = now;
        let bucket_at = if state.tokens >= 0.0 {
            now
        } else {
            now + Duration::from_secs_f64(-state.tokens * interval)
        };

        // The window: after every earlier grant, and a window after the
        // grant `requests` back.
        let mut at = bucket_at.max(state.granted.back().copied().unwrap_or(now));
        if state.granted.len() >= requests
            && let Some(oldest) = state.granted.pop_front()
        {
            at = at.max(oldest + self.window);
        }
        state.granted.push_back(at);
        at
    }
}

const SECONDS_PER_DAY: u64 = 24 * 60 * 60;

/// Requests left today (UTC), shared by HEAVY and RESOURCE-INTENSIVE.
#[derive(Debug)]
struct DailyBudget {
    budget: u32,
    /// (UTC day number, requests counted that day)
    used: Mutex<(u64, u32)>,
}

impl DailyBudget {
    fn new(budget: u32) -> Self {
        DailyBudget {
            budget,
            used: Mutex::new((0, 0)),
        }
    }

    fn take(&self, now: SystemTime) -> Result<(), BudgetSpent> {
        let since_epoch = now.duration_since(UNIX_EPOCH).unwrap_or_default();
        let day = since_epoch.as_secs() / SECONDS_PER_DAY;
        let mut used = self.used.lock().unwrap_or_else(PoisonError::into_inner);
        if used.0 != day {
            *used = (day, 0);
        }
        if used.1 >= self.budget {
            let next_midnight = Duration::from_secs((day + 1) * SECONDS_PER_DAY);
            return Err(BudgetSpent {
                budget: self.budget,
                resets_in: next_midnight.saturating_sub(since_epoch),
            });
        }
        used.1 += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn presets_match_zoom_plans() {
        let pro = RateLimitPlan::pro();
        assert_eq!(pro.rate(RateLimitLabel::Light), Some(Rate::per_second(30)));
        assert_eq!(pro.rate(RateLimitLabel::Medium), Some(Rate::per_second(20)));
        assert_eq!(pro.rate(RateLimitLabel::Heavy), Some(Rate::per_second(10)));
        assert_eq!(
            pro.rate(RateLimitLabel::ResourceIntensive),
            Some(Rate::per_second(10))
        );
        let business = RateLimitPlan::business();
        assert_eq!(
            business.rate(RateLimitLabel::Light),
            Some(Rate::per_second(80))
        );
        assert_eq!(
            business.rate(RateLimitLabel::Medium),
            Some(Rate::per_second(60))
        );
        assert_eq!(
            business.rate(RateLimitLabel::Heavy),
            Some(Rate::per_second(40))
        );
        assert_eq!(RateLimitPlan::business_plus(), business);
        let custom = RateLimitPlan {
            resource_intensive: Some(Rate::per_minute(20)),
            ..RateLimitPlan::pro()
        };
        assert_eq!(
            custom.rate(RateLimitLabel::ResourceIntensive),
            Some(Rate::per_minute(20))
        );
        assert!(
            RateLimitPlan::default()
                .rate(RateLimitLabel::Light)
                .is_none()
        );
    }

    #[test]
    fn zero_rates_are_rejected() {
        let plan = RateLimitPlan {
            light: Some(Rate::per_second(0)),
            ..RateLimitPlan::default()
        };
        assert!(plan.validate().unwrap_err().contains("LIGHT"));
        let plan = RateLimitPlan {
            heavy: Some(Rate {
                per: Duration::ZERO,
                ..Rate::per_second(1)
            }),
            ..RateLimitPlan::default()
        };
        assert!(plan.validate().unwrap_err().contains("HEAVY"));
        assert!(RateLimitPlan::pro().validate().is_ok());
    }

    #[tokio::test(start_paused = true)]
    async fn bucket_bursts_then_paces() {
        let throttle = Throttle::new(RateLimitPlan {
            light: Some(Rate {
                burst: 2,
                ..Rate::per_second(10)
            }),
            ..RateLimitPlan::default()
        });
        let start = Instant::now();
        let mut granted = Vec::new();
        for _ in 0..5 {
            throttle.acquire(RateLimitLabel::Light).await.unwrap();
            granted.push(start.elapsed());
        }
        assert_eq!(granted, [ms(0), ms(0), ms(100), ms(200), ms(300)]);

        // After a quiet second the burst is back, and no more than it.
        tokio::time::advance(Duration::from_secs(1)).await;
        let start = Instant::now();
        for _ in 0..3 {
            throttle.acquire(RateLimitLabel::Light).await.unwrap();
        }
        assert_eq!(start.elapsed(), ms(100));
    }

    /// When each of `callers` tasks, started at once, got its slot, sorted.
    async fn concurrent_grants(
        throttle: Arc<Throttle>,
        label: RateLimitLabel,
        callers: usize,
    ) -> Vec<Duration> {
        let start = Instant::now();
        let tasks: Vec<_> = (0..callers)
            .map(|_| {
                let throttle = throttle.clone();
                tokio::spawn(async move {
                    throttle.acquire(label).await.unwrap();
                    start.elapsed()
                })
            })
            .collect();
        let mut granted = Vec::new();
        for task in tasks {
            granted.push(task.await.unwrap());
        }
        granted.sort();
        granted
    }

    #[tokio::test(start_paused = true)]
    async fn concurrent_callers_are_spread_out() {
        let throttle = Arc::new(Throttle::new(RateLimitPlan {
            medium: Some(Rate {
                burst: 1,
                ..Rate::per_second(20)
            }),
            ..RateLimitPlan::default()
        }));
        let granted = concurrent_grants(throttle, RateLimitLabel::Medium, 4).await;
        assert_eq!(granted, [ms(0), ms(50), ms(100), ms(150)]);
    }

    #[tokio::test(start_paused = true)]
    async fn labels_are_metered_separately_and_unset_labels_are_free() {
        let throttle = Throttle::new(RateLimitPlan {
            light: Some(Rate {
                burst: 1,
                ..Rate::per_second(1)
            }),
            heavy: Some(Rate {
                burst: 1,
                ..Rate::per_second(1)
            }),
            ..RateLimitPlan::default()
        });
        let start = Instant::now();
        throttle.acquire(RateLimitLabel::Light).await.unwrap();
        throttle.acquire(RateLimitLabel::Heavy).await.unwrap();
        for _ in 0..10 {
            throttle.acquire(RateLimitLabel::Medium).await.unwrap();
        }
        assert_eq!(start.elapsed(), Duration::ZERO);
    }

    #[tokio::test(start_paused = true)]
    async fn resource_intensive_shares_heavys_bucket_unless_set() {
        let shared = Throttle::new(RateLimitPlan {
            heavy: Some(Rate {
                burst: 1,
                ..Rate::per_second(10)
            }),
            ..RateLimitPlan::default()
        });
        let start = Instant::now();
        shared.acquire(RateLimitLabel::Heavy).await.unwrap();
        shared
            .acquire(RateLimitLabel::ResourceIntensive)
            .await
            .unwrap();
        assert_eq!(start.elapsed(), ms(100));

        let separate = Throttle::new(RateLimitPlan {
            heavy: Some(Rate {
                burst: 1,
                ..Rate::per_second(10)
            }),
            resource_intensive: Some(Rate {
                burst: 1,
                ..Rate::per_minute(1)
            }),
            ..RateLimitPlan::default()
        });
        let start = Instant::now();
        separate.acquire(RateLimitLabel::Heavy).await.unwrap();
        separate
            .acquire(RateLimitLabel::ResourceIntensive)
            .await
            .unwrap();
        assert_eq!(start.elapsed(), Duration::ZERO);
        separate
            .acquire(RateLimitLabel::ResourceIntensive)
            .await
            .unwrap();
        assert_eq!(
            start.elapsed(),
            Duration::from_secs(60) + DEFAULT_THROTTLE_MARGIN
        );
    }

    /// The largest number of `grants` (sorted) in any half-open window of
    /// length `window`.
    fn busiest_window(grants: &[Duration], window: Duration) -> usize {
        grants
            .iter()
            .enumerate()
            .map(|(i, start)| {
                grants[i..]
                    .iter()
                    .take_while(|g| **g < *start + window)
                    .count()
            })
            .max()
            .unwrap_or(0)
    }

    #[tokio::test(start_paused = true)]
    async fn a_full_start_never_doubles_the_rate() {
        // The case of the issue: Pro's LIGHT is 30/s, and 90 callers arrive
        // at once on a fresh throttle (a full bucket).
        let throttle = Arc::new(Throttle::new(RateLimitPlan::pro()));
        let granted = concurrent_grants(throttle, RateLimitLabel::Light, 90).await;
        assert_eq!(busiest_window(&granted, Duration::from_secs(1)), 30);
        let second = Duration::from_secs(1) + DEFAULT_THROTTLE_MARGIN;
        assert_eq!(granted[..30], [Duration::ZERO; 30]);
        assert_eq!(granted[30..60], [second; 30]);
        assert_eq!(granted[60..], [second * 2; 30]);
    }

    #[tokio::test(start_paused = true)]
    async fn no_window_holds_more_than_the_rate_from_any_start_state() {
        // Random arrivals (bursts, quiet spells, trickles) against random
        // rates and bursts; every window of `per` is checked.
        let mut rng = fastrand::Rng::with_seed(11);
        for round in 0..40 {
            let requests = rng.u32(1..=12);
            let rate = Rate {
                requests,
                per: Duration::from_millis(rng.u64(50..=1000)),
                burst: rng.u32(1..=requests * 2),
            };
            let throttle = Throttle::new(RateLimitPlan {
                medium: Some(rate),
                margin: Duration::ZERO,
                ..RateLimitPlan::default()
            });
            let start = Instant::now();
            let mut granted = Vec::new();
            for _ in 0..rng.usize(1..60) {
                match rng.u8(0..4) {
                    0 => tokio::time::advance(Duration::from_millis(rng.u64(0..2000))).await,
                    1 => tokio::time::advance(Duration::from_millis(rng.u64(0..30))).await,
                    _ => {}
                }
                // Reserved at arrival, as concurrent callers do.
                let at = throttle
                    .limiter(RateLimitLabel::Medium)
                    .unwrap()
                    .reserve(Instant::now());
                granted.push(at - start);
            }
            assert!(
                granted.windows(2).all(|w| w[0] <= w[1]),
                "round {round}: FIFO"
            );
            let busiest = busiest_window(&granted, rate.per);
            assert!(
                busiest <= requests as usize,
                "round {round}: {busiest} grants in one window of {rate:?}: {granted:?}"
            );
        }
    }

    #[test]
    fn daily_budget_resets_at_utc_midnight() {
        let budget = DailyBudget::new(2);
        let day = |d: u64, secs: u64| UNIX_EPOCH + Duration::from_secs(d * SECONDS_PER_DAY + secs);
        assert_eq!(budget.take(day(100, 10)), Ok(()));
        assert_eq!(budget.take(day(100, 20)), Ok(()));
        assert_eq!(
            budget.take(day(100, SECONDS_PER_DAY - 60)),
            Err(BudgetSpent {
                budget: 2,
                resets_in: Duration::from_secs(60)
            })
        );
        assert_eq!(budget.take(day(101, 0)), Ok(()));
    }

    #[tokio::test]
    async fn daily_budget_is_shared_by_heavy_and_resource_intensive_only() {
        let throttle = Throttle::new(RateLimitPlan {
            daily_budget: Some(2),
            ..RateLimitPlan::default()
        });
        throttle.acquire(RateLimitLabel::Heavy).await.unwrap();
        throttle
            .acquire(RateLimitLabel::ResourceIntensive)
            .await
            .unwrap();
        throttle.acquire(RateLimitLabel::Light).await.unwrap();
        let spent = throttle.acquire(RateLimitLabel::Heavy).await.unwrap_err();
        assert_eq!(spent.budget, 2);
        assert!(spent.resets_in <= Duration::from_secs(SECONDS_PER_DAY));
    }
}
