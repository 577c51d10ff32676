//! Optional client-side throttling, so that a busy application waits a few
//! milliseconds instead of collecting 429s. Zoom meters each rate-limit label
//! separately, at rates that depend on the account's plan; a
//! [`RateLimitPlan`] states those rates and `Throttle` keeps one token
//! bucket per label, shared by every clone of a runtime. Before each attempt
//! the runtime waits for a token of the operation's label (FIFO: each caller
//! reserves its slot, then sleeps on the tokio clock). HEAVY and
//! RESOURCE-INTENSIVE operations can also draw on a daily budget that resets
//! at 00:00 UTC, as Zoom's daily limits do; once it is spent, requests fail at
//! once with [`crate::Error::DailyBudgetExhausted`] rather than wait for hours.
//! The server's own 429 handling (see [`crate::retry`]) stays the backstop:
//! the throttle only knows about this process.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::time::Instant;

use crate::meta::RateLimitLabel;

/// A request rate: `requests` per `per`, with up to `burst` at once after a
/// quiet spell.
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
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RateLimitPlan {
    pub light: Option<Rate>,
    pub medium: Option<Rate>,
    pub heavy: Option<Rate>,
    /// `None`: RESOURCE-INTENSIVE operations draw from HEAVY's bucket, so the
    /// two labels together stay within HEAVY's rate.
    pub resource_intensive: Option<Rate>,
    /// Requests per UTC day shared by HEAVY and RESOURCE-INTENSIVE.
    pub daily_budget: Option<u32>,
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
            resource_intensive: None,
            daily_budget: None,
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

/// The buckets of one runtime.
#[derive(Debug)]
pub(crate) struct Throttle {
    plan: RateLimitPlan,
    /// Indexed like [`RateLimitLabel::ALL`]; RESOURCE-INTENSIVE may share
    /// HEAVY's bucket.
    buckets: [Option<Arc<TokenBucket>>; 4],
    daily: Option<DailyBudget>,
}

impl Throttle {
    pub(crate) fn new(plan: RateLimitPlan) -> Self {
        let now = Instant::now();
        let bucket = |rate: Option<Rate>| rate.map(|r| Arc::new(TokenBucket::new(r, now)));
        let heavy = bucket(plan.heavy);
        let resource_intensive = match plan.resource_intensive {
            Some(rate) => Some(Arc::new(TokenBucket::new(rate, now))),
            None => heavy.clone(),
        };
        Throttle {
            buckets: [
                bucket(plan.light),
                bucket(plan.medium),
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

    fn bucket(&self, label: RateLimitLabel) -> Option<&TokenBucket> {
        let index = match label {
            RateLimitLabel::Light => 0,
            RateLimitLabel::Medium => 1,
            RateLimitLabel::Heavy => 2,
            RateLimitLabel::ResourceIntensive => 3,
        };
        self.buckets[index].as_deref()
    }

    /// Waits until a request of `label` may go. Counts it against the daily
    /// budget first, so a spent budget fails without waiting.
    pub(crate) async fn acquire(&self, label: RateLimitLabel) -> Result<(), BudgetSpent> {
        if matches!(
            label,
            RateLimitLabel::Heavy | RateLimitLabel::ResourceIntensive
        ) && let Some(daily) = &self.daily
        {
            daily.take(SystemTime::now())?;
        }
        if let Some(bucket) = self.bucket(label) {
            let wait = bucket.reserve(Instant::now());
            if !wait.is_zero() {
                tokio::time::sleep(wait).await;
            }
        }
        Ok(())
    }
}

/// A token bucket that lets callers reserve a token ahead of time: the
/// balance may go negative, and a caller that takes it below zero sleeps
/// until its token has refilled. One lock, no wake-ups to coordinate, FIFO.
#[derive(Debug)]
struct TokenBucket {
    rate: Rate,
    state: Mutex<BucketState>,
}

#[derive(Debug)]
struct BucketState {
    /// Tokens on hand; negative when callers are waiting for refills.
    tokens: f64,
    updated: Instant,
}

impl TokenBucket {
    fn new(rate: Rate, now: Instant) -> Self {
        TokenBucket {
            rate,
            state: Mutex::new(BucketState {
                tokens: f64::from(rate.burst.max(1)),
                updated: now,
            }),
        }
    }

    /// Takes one token and says how long to wait before using it.
    fn reserve(&self, now: Instant) -> Duration {
        let interval = self.rate.interval().as_secs_f64();
        let capacity = f64::from(self.rate.burst.max(1));
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let refilled = now.saturating_duration_since(state.updated).as_secs_f64() / interval;
        state.tokens = (state.tokens + refilled).min(capacity) - 1.0;
        state.updated = now;
        if state.tokens >= 0.0 {
            Duration::ZERO
        } else {
            Duration::from_secs_f64(-state.tokens * interval)
        }
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

    #[tokio::test(start_paused = true)]
    async fn concurrent_callers_are_spread_out() {
        let throttle = Arc::new(Throttle::new(RateLimitPlan {
            medium: Some(Rate {
                burst: 1,
                ..Rate::per_second(20)
            }),
            ..RateLimitPlan::default()
        }));
        let start = Instant::now();
        let tasks: Vec<_> = (0..4)
            .map(|_| {
                let throttle = throttle.clone();
                tokio::spawn(async move {
                    throttle.acquire(RateLimitLabel::Medium).await.unwrap();
                    start.elapsed()
                })
            })
            .collect();
        let mut granted = Vec::new();
        for task in tasks {
            granted.push(task.await.unwrap());
        }
        granted.sort();
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
        assert_eq!(start.elapsed(), Duration::from_secs(60));
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
