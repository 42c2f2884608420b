//! Alert rules as the pages suggest them: the usual names and thresholds, and a name made
//! unique in a scenario (firings are reported by name). Evaluating rules over a run's
//! samples is the engine's (`poolsim_engine::alerts`).

use crate::scenario::{Action, AlertMetric, AlertRule, Scenario};

/// The name of the usual pool-usage alert (the rule a HikariCP dashboard starts with).
pub const USAGE_ALERT_NAME: &str = "PoolUsageHigh";
/// The usual pool-usage alert's threshold: usage above 80 % of `maximumPoolSize`.
pub const USAGE_ALERT_ABOVE: f64 = 0.8;
/// How long usage must stay above [`USAGE_ALERT_ABOVE`] before the usual alert fires [s].
pub const USAGE_ALERT_FOR_S: u64 = 120;

/// `base`, or `base2`, `base3` … when a rule of `scenario` (or an `add_alert` event of its
/// timeline) already has that name: firings are reported by name.
pub fn unique_rule_name(base: &str, scenario: &Scenario) -> String {
    let taken = |name: &str| {
        scenario.alerts.iter().any(|a| a.name == name)
            || scenario
                .events
                .iter()
                .any(|e| matches!(&e.action, Action::AddAlert { name: n, .. } if n == name))
    };
    if !taken(base) {
        return base.to_owned();
    }
    (2..).map(|n| format!("{base}{n}")).find(|n| !taken(n)).unwrap_or_else(|| base.to_owned())
}

/// A new rule on `metric` as the pages suggest it: the usual name (`PoolUsageHigh` …),
/// made unique in `scenario` ([`unique_rule_name`]), and a threshold that suits the metric.
pub fn suggested_rule(metric: AlertMetric, scenario: &Scenario) -> AlertRule {
    let (base, above, for_s) = match metric {
        AlertMetric::Usage => (USAGE_ALERT_NAME, USAGE_ALERT_ABOVE, USAGE_ALERT_FOR_S),
        // 80 % of the pool, as the usage rule.
        AlertMetric::Active => (
            "PoolActiveHigh",
            (f64::from(scenario.pool.max_size) * USAGE_ALERT_ABOVE).floor(),
            USAGE_ALERT_FOR_S,
        ),
        AlertMetric::Pending => ("PendingRequests", 0.0, 60),
        AlertMetric::Timeouts => ("AcquireTimeouts", 0.0, 0),
        AlertMetric::AcquireP99Ms => ("SlowAcquire", 1000.0, 60),
        AlertMetric::Failed => ("FailedRequests", 0.0, 60),
    };
    AlertRule { name: unique_rule_name(base, scenario), metric, above, for_s }
}
