//! Alert rules over the per-second samples, with Prometheus `for:` semantics.
//!
//! A rule's condition is `metric > above`. It fires at the first sample where the
//! condition has held continuously for `for_s` seconds (for `for_s = 0`, the first
//! sample where it holds). Only the first firing of each rule is recorded: the page
//! marks it on the timeline and the summary reports it.

use crate::metrics::Sample;
use crate::scenario::{AlertMetric, AlertRule};

pub use poolsim_scenario::alerts::{
    USAGE_ALERT_ABOVE, USAGE_ALERT_FOR_S, USAGE_ALERT_NAME, suggested_rule, unique_rule_name,
};

/// The value of `metric` in `sample`.
pub fn metric_value(metric: AlertMetric, sample: &Sample) -> f64 {
    match metric {
        AlertMetric::Usage => sample.usage(),
        AlertMetric::Active => f64::from(sample.gauges.active),
        AlertMetric::Pending => f64::from(sample.gauges.pending),
        AlertMetric::Timeouts => f64::from(sample.timeouts),
        AlertMetric::AcquireP99Ms => sample.acquire_p99_ms,
        AlertMetric::Failed => f64::from(sample.failed),
    }
}

/// One rule and where it stands.
#[derive(Clone, Debug)]
pub(crate) struct RuleState {
    pub(crate) rule: AlertRule,
    /// First sample of the current run of samples where the condition holds [s].
    holding_since_s: Option<u32>,
    /// First firing [s].
    pub(crate) fired_s: Option<u32>,
}

/// Every rule of the run, in the order they were added.
#[derive(Clone, Debug, Default)]
pub(crate) struct Alerts {
    pub(crate) rules: Vec<RuleState>,
}

impl Alerts {
    /// Start evaluating `rule` from the next sample.
    pub(crate) fn add(&mut self, rule: AlertRule) {
        self.rules.push(RuleState { rule, holding_since_s: None, fired_s: None });
    }

    /// Evaluate every rule on `sample`; call `on_fire(rule, value)` for each first firing.
    pub(crate) fn evaluate(&mut self, sample: &Sample, mut on_fire: impl FnMut(&AlertRule, f64)) {
        for st in &mut self.rules {
            let value = metric_value(st.rule.metric, sample);
            if value > st.rule.above {
                let since = *st.holding_since_s.get_or_insert(sample.t_s);
                let held_s = u64::from(sample.t_s - since);
                if st.fired_s.is_none() && held_s >= st.rule.for_s {
                    st.fired_s = Some(sample.t_s);
                    on_fire(&st.rule, value);
                }
            } else {
                st.holding_since_s = None;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pending(t_s: u32, pending: u32) -> Sample {
        Sample {
            t_s,
            gauges: crate::Gauges { pending, max: 10, ..crate::Gauges::default() },
            ..Sample::default()
        }
    }

    #[test]
    fn fires_once_after_holding_for_the_whole_window() {
        let mut alerts = Alerts::default();
        alerts.add(AlertRule { name: "Pending".into(), metric: AlertMetric::Pending, above: 0.0, for_s: 3 });
        let mut fired = Vec::new();
        // Holds at 1-2, breaks at 3, holds from 4: fires at 7 (4 + 3), never again.
        for (t, p) in [(1, 1), (2, 1), (3, 0), (4, 2), (5, 2), (6, 2), (7, 2), (8, 2)] {
            alerts.evaluate(&pending(t, p), |_, _| fired.push(t));
        }
        assert_eq!(fired, vec![7]);
    }

    #[test]
    fn zero_for_fires_on_the_first_sample_that_holds() {
        let mut alerts = Alerts::default();
        alerts.add(AlertRule { name: "P".into(), metric: AlertMetric::Pending, above: 0.0, for_s: 0 });
        let mut fired = Vec::new();
        for (t, p) in [(1, 0), (2, 5)] {
            alerts.evaluate(&pending(t, p), |_, _| fired.push(t));
        }
        assert_eq!(fired, vec![2]);
    }
}
