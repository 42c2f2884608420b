//! Timeline actions in words: the sentence a row of the timeline (and a fix button) says —
//! "Pool resized to 200 connections", "Restart the app (15 min down)" — and the few
//! words that label a chart's marker ("pool → 200"). The words of every action kind live
//! here and nowhere else.

use poolsim_engine::{Action, Backoff, Choice, HealthMode, Jitter, RetryOn, Target};

use super::{count, duration_ms_words, duration_s_words, one_in_n, percent, short_number};

/// One line describing `action`. A note is its own text (shown as text, never markup).
pub fn sentence(action: &Action) -> String {
    match action {
        Action::SetRate { rate_per_s } => format!("Traffic → {} requests/s", short_number(*rate_per_s)),
        Action::DeployLeak { probability } if *probability > 0.0 => {
            format!("Leaky deploy: {}", one_in_n(*probability).trim_end_matches('.'))
        }
        Action::DeployLeak { .. } => "Deploy without a leak".to_owned(),
        Action::Rollback => "Roll back the leaky deploy".to_owned(),
        Action::ResizePool { max_size, min_idle: None } => format!("Pool resized to {max_size} connections"),
        Action::ResizePool { max_size, min_idle: Some(min_idle) } => {
            format!("Pool resized to {max_size} connections (min idle {min_idle})")
        }
        Action::RestartApp { downtime_s } if *downtime_s > 0.0 => {
            format!("Restart the app ({} down)", duration_s_words(*downtime_s))
        }
        Action::RestartApp { .. } => "Restart the app".to_owned(),
        Action::SetHold { hold_ms } => format!("Mean hold time → {} ms", short_number(*hold_ms)),
        Action::SetLeakDetection { threshold_ms: 0 } => "Leak detection off".to_owned(),
        Action::SetLeakDetection { threshold_ms } => {
            format!("Leak detection on: flag connections out > {}", duration_ms_words(*threshold_ms))
        }
        Action::SetAbandonedTimeout { timeout_ms: 0 } => "Abandoned-connection reclaim off".to_owned(),
        Action::SetAbandonedTimeout { timeout_ms } => {
            format!("Reclaim connections out > {}", duration_ms_words(*timeout_ms))
        }
        Action::SetConnectionTimeout { timeout_ms } => {
            format!("Connection timeout → {}", duration_ms_words(*timeout_ms))
        }
        Action::AddAlert { name, metric, above, for_s } => format!(
            "Alert rule {name}: {} > {} for {}",
            metric.name(),
            short_number(*above),
            duration_s_words(*for_s as f64)
        ),
        Action::Note { text } => text.clone(),
        Action::SetDeadline { deadline_ms: 0 } => "Callers wait for ever (no deadline)".to_owned(),
        Action::SetDeadline { deadline_ms } => {
            format!("Callers give up after {}", duration_ms_words(*deadline_ms))
        }
        Action::SetRetry { attempts: 0, .. } => "Callers do not retry".to_owned(),
        &Action::SetRetry { attempts, backoff_ms, backoff, max_backoff_ms, jitter, on } => {
            let times = if attempts == 1 { "once".to_owned() } else { format!("{attempts} times") };
            let on = match on {
                RetryOn::Timeout => "on timeouts",
                RetryOn::Refusal => "on refusals",
                RetryOn::Both => "on any failure",
            };
            let pause = match backoff {
                Backoff::Immediate => "at once".to_owned(),
                Backoff::Fixed => format!("after {}", duration_ms_words(backoff_ms)),
                Backoff::Exponential => format!(
                    "after {}, doubling up to {}",
                    duration_ms_words(backoff_ms),
                    duration_ms_words(max_backoff_ms)
                ),
            };
            let jitter = if jitter == Jitter::Full { ", with full jitter" } else { "" };
            format!("Callers retry {times} {on}, {pause}{jitter}")
        }
        &Action::SetRetryBudget { ratio, window_s, min_per_s } => format!(
            "Retry budget: {} of requests, {} a second more, over {}",
            percent(ratio),
            short_number(min_per_s),
            duration_s_words(window_s as f64)
        ),
        &Action::SetBreaker { failure_ratio, window_s, min_calls, open_s, .. } => format!(
            "Circuit breaker: open for {} when {} of {min_calls}+ calls in {} fail",
            duration_s_words(open_s),
            percent(failure_ratio),
            duration_s_words(window_s as f64)
        ),
        Action::SetThreads { threads, accept_queue: None } => {
            format!("Request threads → {}", count(u64::from(*threads)))
        }
        Action::SetThreads { threads, accept_queue: Some(queue) } => {
            format!(
                "Request threads → {}, accept queue {}",
                count(u64::from(*threads)),
                count(u64::from(*queue))
            )
        }
        Action::SetHealthCheck { mode: HealthMode::Shallow } => {
            "Health checks without the database".to_owned()
        }
        Action::SetHealthCheck { mode: HealthMode::Deep } => {
            "Health checks through the database (SELECT 1)".to_owned()
        }
    }
}

/// A few words for a timeline action, short enough to label a chart marker.
pub fn marker_label(action: &Action) -> String {
    match action {
        Action::SetRate { rate_per_s } => format!("traffic {rate_per_s}/s"),
        Action::DeployLeak { probability } => {
            format!("leaky deploy ({} %)", short_number(probability * 100.0))
        }
        Action::Rollback => "rollback".to_owned(),
        Action::ResizePool { max_size, .. } => format!("pool → {max_size}"),
        Action::RestartApp { .. } => "restart".to_owned(),
        Action::SetHold { hold_ms } => format!("hold {hold_ms} ms"),
        Action::SetLeakDetection { threshold_ms } => format!("leak detection {threshold_ms} ms"),
        Action::SetAbandonedTimeout { timeout_ms } => format!("reclaim after {timeout_ms} ms"),
        Action::SetConnectionTimeout { timeout_ms } => format!("timeout {timeout_ms} ms"),
        Action::AddAlert { name, .. } => format!("alert rule {name}"),
        Action::Note { text } => text.clone(),
        Action::SetDeadline { deadline_ms } => format!("deadline {deadline_ms} ms"),
        Action::SetRetry { attempts, jitter, .. } => {
            format!("retries {attempts}{}", if *jitter == Jitter::Full { " + jitter" } else { "" })
        }
        Action::SetRetryBudget { ratio, .. } => format!("retry budget {}", percent(*ratio)),
        Action::SetBreaker { .. } => "circuit breaker".to_owned(),
        Action::SetThreads { threads, .. } => format!("threads → {threads}"),
        Action::SetHealthCheck { mode } => format!("health check {}", mode.name()),
    }
}

/// Where a fleet's action goes, in words ("on app-1, app-2 — 1 at a time, every 60 s"),
/// or `None` for every instance at once.
pub fn target_words(target: &Target) -> Option<String> {
    let on = target.instances.as_ref().map(|list| {
        let names: Vec<String> = list.iter().map(|n| format!("app-{n}")).collect();
        format!("on {}", names.join(", "))
    });
    let rollout = target
        .rollout
        .as_ref()
        .map(|r| format!("rolled out {} at a time, every {}", r.batch, duration_s_words(r.every_s)));
    match (on, rollout) {
        (None, None) => None,
        (Some(on), None) => Some(on),
        (None, Some(rollout)) => Some(rollout),
        (Some(on), Some(rollout)) => Some(format!("{on}, {rollout}")),
    }
}

#[cfg(test)]
mod tests {
    use poolsim_engine::AlertMetric;

    use super::*;

    #[test]
    fn every_action_reads_as_a_sentence_an_engineer_would_write() {
        let cases = [
            (Action::SetRate { rate_per_s: 300.0 }, "Traffic → 300 requests/s"),
            (
                Action::DeployLeak { probability: 0.001 },
                "Leaky deploy: 1 in 1,000 requests leaks its connection",
            ),
            (Action::Rollback, "Roll back the leaky deploy"),
            (Action::ResizePool { max_size: 200, min_idle: None }, "Pool resized to 200 connections"),
            (Action::RestartApp { downtime_s: 900.0 }, "Restart the app (15 min down)"),
            (Action::RestartApp { downtime_s: 0.0 }, "Restart the app"),
            (Action::SetHold { hold_ms: 120.0 }, "Mean hold time → 120 ms"),
            (
                Action::SetLeakDetection { threshold_ms: 60_000 },
                "Leak detection on: flag connections out > 60 s",
            ),
            (Action::SetLeakDetection { threshold_ms: 0 }, "Leak detection off"),
            (Action::SetAbandonedTimeout { timeout_ms: 60_000 }, "Reclaim connections out > 60 s"),
            (Action::SetConnectionTimeout { timeout_ms: 30_000 }, "Connection timeout → 30 s"),
            (
                Action::AddAlert {
                    name: "PoolUsageHigh".into(),
                    metric: AlertMetric::Usage,
                    above: 0.8,
                    for_s: 120,
                },
                "Alert rule PoolUsageHigh: usage > 0.8 for 2 min",
            ),
            (Action::Note { text: "<b>not bold</b>".into() }, "<b>not bold</b>"),
            (Action::SetDeadline { deadline_ms: 1000 }, "Callers give up after 1 s"),
            (Action::SetDeadline { deadline_ms: 0 }, "Callers wait for ever (no deadline)"),
            (Action::SetThreads { threads: 200, accept_queue: None }, "Request threads → 200"),
            (Action::SetHealthCheck { mode: HealthMode::Shallow }, "Health checks without the database"),
            (
                Action::SetThreads { threads: 1000, accept_queue: Some(100) },
                "Request threads → 1,000, accept queue 100",
            ),
            (
                Action::SetRetry {
                    attempts: 3,
                    backoff_ms: 100,
                    backoff: Backoff::Exponential,
                    max_backoff_ms: 20_000,
                    jitter: Jitter::Full,
                    on: RetryOn::Timeout,
                },
                "Callers retry 3 times on timeouts, after 100 ms, doubling up to 20 s, with full jitter",
            ),
            (
                Action::SetRetry {
                    attempts: 1,
                    backoff_ms: 0,
                    backoff: Backoff::Immediate,
                    max_backoff_ms: 20_000,
                    jitter: Jitter::None,
                    on: RetryOn::Both,
                },
                "Callers retry once on any failure, at once",
            ),
            (
                Action::SetRetryBudget { ratio: 0.1, window_s: 10, min_per_s: 10.0 },
                "Retry budget: 10 % of requests, 10 a second more, over 10 s",
            ),
            (
                Action::SetBreaker {
                    failure_ratio: 0.5,
                    window_s: 10,
                    min_calls: 100,
                    open_s: 60.0,
                    half_open_calls: 10,
                },
                "Circuit breaker: open for 60 s when 50 % of 100+ calls in 10 s fail",
            ),
        ];
        for (action, words) in cases {
            assert_eq!(sentence(&action), words, "{action:?}");
        }
    }

    #[test]
    fn a_fleet_target_says_where_and_how_fast() {
        use poolsim_engine::Rollout;
        assert_eq!(target_words(&Target::default()), None);
        let on = Target { instances: Some(vec![1, 3]), rollout: None };
        assert_eq!(target_words(&on).as_deref(), Some("on app-1, app-3"));
        let rolling = Target { instances: None, rollout: Some(Rollout { batch: 1, every_s: 60.0 }) };
        assert_eq!(target_words(&rolling).as_deref(), Some("rolled out 1 at a time, every 60 s"));
        let both = Target { rollout: rolling.rollout.clone(), ..on };
        assert_eq!(
            target_words(&both).as_deref(),
            Some("on app-1, app-3, rolled out 1 at a time, every 60 s")
        );
    }

    #[test]
    fn numbers_in_marker_labels_carry_no_float_noise() {
        assert_eq!(marker_label(&Action::DeployLeak { probability: 0.000124 }), "leaky deploy (0.0124 %)");
    }
}
