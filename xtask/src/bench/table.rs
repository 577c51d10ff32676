//! The results table: samples, their medians, and the table printed at the end.

/// One timed run: seconds, the 1-min load average when it started, and
/// whether cargo waited for another build's lock.
#[derive(Debug, Clone, Copy)]
pub(super) struct Sample {
    pub(super) seconds: f64,
    pub(super) load: f64,
    pub(super) lock_wait: bool,
}

#[derive(Default)]
pub(super) struct Table {
    pub(super) rows: Vec<Row>,
}

pub(super) struct Row {
    pub(super) what: String,
    pub(super) samples: Vec<Sample>,
    pub(super) target: String,
    pub(super) verdict: String,
}

impl Table {
    /// A row of timings against an upper bound in seconds and the figure
    /// measured with plain progenitor, where the issue gives them.
    pub(super) fn timing(
        &mut self,
        what: &str,
        samples: Vec<Sample>,
        target: Option<f64>,
        baseline: Option<f64>,
    ) {
        let m = median(&samples);
        let mut verdict = match (target, m) {
            (Some(limit), Some(m)) if m <= limit => {
                format!("met ({:.0}% of target)", 100.0 * m / limit)
            }
            (Some(limit), Some(m)) => {
                format!(
                    "MISSED by {:.2} s ({:.0}%)",
                    m - limit,
                    100.0 * (m - limit) / limit
                )
            }
            _ => String::new(),
        };
        if let (Some(base), Some(m)) = (baseline, m) {
            if !verdict.is_empty() {
                verdict.push_str("; ");
            }
            verdict.push_str(&format!("{:.2}x the baseline", m / base));
        }
        let mut goal = target.map(|t| format!("<= {t} s")).unwrap_or_default();
        if let Some(base) = baseline {
            if !goal.is_empty() {
                goal.push(' ');
            }
            goal.push_str(&format!("(baseline {base} s)"));
        }
        self.rows.push(Row {
            what: what.to_owned(),
            samples,
            target: goal,
            verdict,
        });
    }

    /// A row whose result is a fact, not a time.
    pub(super) fn fact(&mut self, what: &str, result: &str, target: &str, met: bool) {
        self.rows.push(Row {
            what: what.to_owned(),
            samples: Vec::new(),
            target: target.to_owned(),
            verdict: format!("{} {result}", if met { "met:" } else { "MISSED:" }),
        });
    }

    pub(super) fn print(&self) {
        println!(
            "| measurement | runs | median | min | max | load (1-min) | target | result |\n\
             | --- | ---: | ---: | ---: | ---: | --- | --- | --- |"
        );
        for row in &self.rows {
            let (runs, med, min, max, load) = if row.samples.is_empty() {
                Default::default()
            } else {
                let secs: Vec<f64> = row.samples.iter().map(|s| s.seconds).collect();
                let loads: Vec<f64> = row.samples.iter().map(|s| s.load).collect();
                let waited = row.samples.iter().filter(|s| s.lock_wait).count();
                let runs = if waited > 0 {
                    format!("{} ({waited} waited for a lock)", secs.len())
                } else {
                    secs.len().to_string()
                };
                (
                    runs,
                    format!("{:.2} s", median(&row.samples).unwrap_or(f64::NAN)),
                    format!(
                        "{:.2} s",
                        secs.iter().copied().fold(f64::INFINITY, f64::min)
                    ),
                    format!("{:.2} s", secs.iter().copied().fold(0.0, f64::max)),
                    format!(
                        "{:.2}-{:.2}",
                        loads.iter().copied().fold(f64::INFINITY, f64::min),
                        loads.iter().copied().fold(0.0, f64::max)
                    ),
                )
            };
            println!(
                "| {} | {runs} | {med} | {min} | {max} | {load} | {} | {} |",
                row.what, row.target, row.verdict
            );
        }
    }
}

pub(super) fn median(samples: &[Sample]) -> Option<f64> {
    let mut secs: Vec<f64> = samples.iter().map(|s| s.seconds).collect();
    secs.sort_by(f64::total_cmp);
    match secs.len() {
        0 => None,
        n if n % 2 == 1 => Some(secs[n / 2]),
        n => Some((secs[n / 2 - 1] + secs[n / 2]) / 2.0),
    }
}

pub(super) fn show(samples: &[Sample]) -> String {
    let secs: Vec<String> = samples
        .iter()
        .map(|s| format!("{:.2}{}", s.seconds, if s.lock_wait { "*" } else { "" }))
        .collect();
    format!(
        "[{}] s, median {:.2} s",
        secs.join(", "),
        median(samples).unwrap_or(f64::NAN)
    )
}
