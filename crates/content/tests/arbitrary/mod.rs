//! proptest strategies for valid scenarios: every field varied across its whole accepted
//! range (edges included), timelines with every kind of action, and hostile user text.
#![allow(dead_code)] // each test file uses a different subset

use poolsim_content::link::{MAX_SPEED_TIMES, SharedState, ViewOptions};
use poolsim_engine::scenario::validate::{
    MAX_CONNECT_MS, MAX_CORES, MAX_DB_CONNECTIONS, MAX_DURATION_S, MAX_HEALTH_COUNT, MAX_HEALTH_INTERVAL_S,
    MAX_HOLD_MS, MAX_INSTANCES, MAX_LOGNORMAL_SIGMA, MAX_NO_DB_MS, MAX_POOL_SIZE, MAX_RATE_PER_S,
    MAX_RETRY_ATTEMPTS, MAX_THREADS, MAX_TIMEOUT_MS, MAX_WAITING, MAX_WINDOW_S,
};
use poolsim_engine::time::ClockTime;
use poolsim_engine::{
    Action, AlertMetric, AlertRule, AppConfig, Backoff, Balancer, BreakerConfig, Choice, DatabaseConfig,
    Flavour, FleetConfig, HealthCheckConfig, HealthMode, HoldDistribution, Jitter, LeakConfig, PoolConfig,
    RetryBudget, RetryConfig, RetryOn, Rollout, Scenario, Target, TimedEvent, TrafficConfig, WaitOrder,
    WorkConfig,
};
use proptest::prelude::*;

/// Any text a user could type or paste: any printable characters, with Markdown, HTML
/// and JSON specials and line breaks mixed in, up to `max` characters.
pub fn text(max: usize) -> impl Strategy<Value = String> {
    let specials = prop::sample::select(vec![
        "|", "`", "<script>", ">", "\n", "\r\n", "\\", "\"", "[x](y)", "*", "_", "#", "&amp;", "\u{0}", "é",
        "🔥",
    ]);
    let piece = prop_oneof![3 => "\\PC{0,8}", 1 => specials.prop_map(str::to_owned)];
    prop::collection::vec(piece, 0..8).prop_map(move |parts| parts.concat().chars().take(max).collect())
}

/// Text with at least one visible character (notes and alert names may not be blank).
pub fn non_blank_text(max: usize) -> impl Strategy<Value = String> {
    text(max - 1).prop_map(|t| format!("x{t}"))
}

/// A float in `lo..=hi`, with the edges and tiny values drawn often.
fn f64_in(lo: f64, hi: f64) -> impl Strategy<Value = f64> {
    prop_oneof![4 => lo..=hi, 1 => Just(lo), 1 => Just(hi)]
}

/// A float in `(0, hi]`: never zero, sometimes the smallest positive values.
fn positive_f64(hi: f64) -> impl Strategy<Value = f64> {
    prop_oneof![
        4 => f64::MIN_POSITIVE..=hi,
        1 => Just(hi),
        1 => Just(5e-324),
        1 => Just(0.1),
    ]
}

/// A duration in ms, `lo..=MAX_TIMEOUT_MS`.
fn ms(lo: u64) -> impl Strategy<Value = u64> {
    prop_oneof![4 => lo..=MAX_TIMEOUT_MS, 1 => Just(lo), 1 => Just(MAX_TIMEOUT_MS)]
}

fn clock() -> impl Strategy<Value = ClockTime> {
    (0u32..24, 0u32..60, prop::option::of(0u32..60))
        .prop_map(|(h, m, s)| ClockTime::from_seconds_of_day(h * 3600 + m * 60 + s.unwrap_or(0)))
}

fn pool() -> impl Strategy<Value = PoolConfig> {
    let flavour = prop::sample::select(Flavour::ALL.to_vec());
    let order = prop_oneof![Just(WaitOrder::Fifo), Just(WaitOrder::Random)];
    let extras = (flavour, order, prop::option::of(0..=MAX_WAITING), prop::option::of(any::<u32>()));
    (hikari_pool(), extras).prop_map(|(pool, (flavour, wait_order, max_waiting, spare_idle))| {
        // `max_idle` may not be below `min_idle`: draw how many above.
        let max_idle = spare_idle.map(|spare| pool.effective_min_idle().saturating_add(spare));
        PoolConfig { flavour, wait_order, max_waiting, max_idle, ..pool }
    })
}

fn hikari_pool() -> impl Strategy<Value = PoolConfig> {
    (1..=MAX_POOL_SIZE)
        .prop_flat_map(|max_size| {
            (
                Just(max_size),
                prop::option::of(0..=max_size),
                ms(0),
                ms(0),
                ms(0),
                f64_in(0.0, MAX_CONNECT_MS),
                ms(0),
                ms(0),
            )
        })
        .prop_map(
            |(
                max_size,
                min_idle,
                connection_timeout_ms,
                idle_timeout_ms,
                max_lifetime_ms,
                connect_ms,
                leak_detection_threshold_ms,
                abandoned_timeout_ms,
            )| PoolConfig {
                max_size,
                min_idle,
                connection_timeout_ms,
                idle_timeout_ms,
                max_lifetime_ms,
                connect_ms,
                leak_detection_threshold_ms,
                abandoned_timeout_ms,
                ..PoolConfig::default()
            },
        )
}

fn traffic() -> impl Strategy<Value = TrafficConfig> {
    let deadline_ms = prop_oneof![Just(0), ms(0)];
    (f64_in(0.0, MAX_RATE_PER_S), deadline_ms, retry(), prop::option::of(breaker())).prop_map(
        |(rate_per_s, deadline_ms, retry, breaker)| TrafficConfig { rate_per_s, deadline_ms, retry, breaker },
    )
}

/// One of a [`Choice`]'s values.
fn one_of<C: Choice + std::fmt::Debug>() -> impl Strategy<Value = C> {
    prop::sample::select(C::ALL.to_vec())
}

/// A retry policy: any backoff, a cap no shorter than an exponential backoff's first
/// pause, jitter where there is a pause to spread, maybe a budget.
fn retry() -> impl Strategy<Value = RetryConfig> {
    (0..=MAX_RETRY_ATTEMPTS, ms(0), one_of::<Backoff>(), one_of::<Jitter>(), one_of::<RetryOn>())
        .prop_flat_map(|(attempts, backoff_ms, backoff, jitter, on)| {
            let floor = if backoff == Backoff::Exponential { backoff_ms } else { 0 };
            let jitter = if backoff == Backoff::Immediate { Jitter::None } else { jitter };
            (ms(floor), prop::option::of(budget())).prop_map(move |(max_backoff_ms, budget)| RetryConfig {
                attempts,
                backoff_ms,
                backoff,
                max_backoff_ms,
                jitter,
                on,
                budget,
            })
        })
}

fn budget() -> impl Strategy<Value = RetryBudget> {
    (f64_in(0.0, f64::from(MAX_RETRY_ATTEMPTS)), 1..=MAX_WINDOW_S, f64_in(0.0, MAX_RATE_PER_S))
        .prop_map(|(ratio, window_s, min_per_s)| RetryBudget { ratio, window_s, min_per_s })
}

fn breaker() -> impl Strategy<Value = BreakerConfig> {
    (positive_f64(1.0), 1..=MAX_WINDOW_S, 1..=u32::MAX, positive_f64(MAX_DURATION_S as f64), 1..=u32::MAX)
        .prop_map(|(failure_ratio, window_s, min_calls, open_s, half_open_calls)| BreakerConfig {
            failure_ratio,
            window_s,
            min_calls,
            open_s,
            half_open_calls,
        })
}

fn distribution() -> impl Strategy<Value = HoldDistribution> {
    prop_oneof![
        Just(HoldDistribution::Exponential),
        Just(HoldDistribution::Constant),
        Just(HoldDistribution::Lognormal)
    ]
}

fn work() -> impl Strategy<Value = WorkConfig> {
    (
        positive_f64(MAX_HOLD_MS),
        distribution(),
        positive_f64(MAX_LOGNORMAL_SIGMA),
        f64_in(0.0, 1.0),
        positive_f64(MAX_HOLD_MS),
    )
        .prop_map(|(hold_ms, hold_distribution, lognormal_sigma, slow_share, slow_hold_ms)| WorkConfig {
            hold_ms,
            hold_distribution,
            lognormal_sigma,
            slow_share,
            slow_hold_ms,
        })
}

fn metric() -> impl Strategy<Value = AlertMetric> {
    prop_oneof![
        Just(AlertMetric::Usage),
        Just(AlertMetric::Active),
        Just(AlertMetric::Pending),
        Just(AlertMetric::Timeouts),
        Just(AlertMetric::AcquireP99Ms),
        Just(AlertMetric::Failed),
    ]
}

/// A metric with a threshold it accepts (usage is a share, 0..=1).
fn metric_above() -> impl Strategy<Value = (AlertMetric, f64)> {
    metric().prop_flat_map(|m| {
        let hi = if m == AlertMetric::Usage { 1.0 } else { 1e9 };
        (Just(m), f64_in(0.0, hi))
    })
}

fn alerts() -> impl Strategy<Value = Vec<AlertRule>> {
    prop::collection::vec((non_blank_text(40), metric_above(), 0..=MAX_DURATION_S), 0..4).prop_map(|rules| {
        rules
            .into_iter()
            .enumerate()
            // Names must be unique: number them.
            .map(|(i, (name, (metric, above), for_s))| AlertRule {
                name: format!("{i}{name}"),
                metric,
                above,
                for_s,
            })
            .collect()
    })
}

/// Every kind of action, each with values across its accepted range.
pub fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        f64_in(0.0, MAX_RATE_PER_S).prop_map(|rate_per_s| Action::SetRate { rate_per_s }),
        f64_in(0.0, 1.0).prop_map(|probability| Action::DeployLeak { probability }),
        Just(Action::Rollback),
        (1..=MAX_POOL_SIZE)
            .prop_flat_map(|max_size| (Just(max_size), prop::option::of(0..=max_size)))
            .prop_map(|(max_size, min_idle)| Action::ResizePool { max_size, min_idle }),
        f64_in(0.0, MAX_DURATION_S as f64).prop_map(|downtime_s| Action::RestartApp { downtime_s }),
        positive_f64(MAX_HOLD_MS).prop_map(|hold_ms| Action::SetHold { hold_ms }),
        ms(0).prop_map(|threshold_ms| Action::SetLeakDetection { threshold_ms }),
        ms(0).prop_map(|timeout_ms| Action::SetAbandonedTimeout { timeout_ms }),
        ms(1).prop_map(|timeout_ms| Action::SetConnectionTimeout { timeout_ms }),
        (non_blank_text(40), metric_above(), 0..=MAX_DURATION_S)
            .prop_map(|(name, (metric, above), for_s)| { Action::AddAlert { name, metric, above, for_s } }),
        non_blank_text(120).prop_map(|text| Action::Note { text }),
        ms(0).prop_map(|deadline_ms| Action::SetDeadline { deadline_ms }),
        retry().prop_map(|r| Action::set_retry(&r)),
        budget().prop_map(|b| Action::set_retry_budget(&b)),
        breaker().prop_map(|b| Action::set_breaker(&b)),
        (1..=MAX_THREADS, prop::option::of(0..=MAX_WAITING))
            .prop_map(|(threads, accept_queue)| Action::SetThreads { threads, accept_queue }),
        prop::sample::select(vec![HealthMode::Shallow, HealthMode::Deep])
            .prop_map(|mode| Action::SetHealthCheck { mode }),
    ]
}

/// No database (unlimited capacity), or one anywhere in its accepted range.
fn database() -> impl Strategy<Value = Option<DatabaseConfig>> {
    let slots = (1..=MAX_DB_CONNECTIONS).prop_flat_map(|max| (Just(max), 0..max));
    let usl = (1..=MAX_CORES, f64_in(0.0, 1.0), f64_in(0.0, 0.999), f64_in(0.0, 1.0));
    let cpu = || prop_oneof![Just(0.0), f64_in(0.0, MAX_CONNECT_MS)];
    prop::option::of((usl, slots, cpu(), cpu()).prop_map(
        |(
            (cores, db_share, contention, coherency),
            (max_connections, reserved_connections),
            connect_cpu_ms,
            close_cpu_ms,
        )| {
            DatabaseConfig {
                cores,
                db_share,
                contention,
                coherency,
                max_connections,
                reserved_connections,
                connect_cpu_ms,
                close_cpu_ms,
            }
        },
    ))
}

/// No fleet (one instance), or one anywhere in its accepted range.
fn fleet() -> impl Strategy<Value = Option<FleetConfig>> {
    let balancer = prop::sample::select(Balancer::ALL.map(|(b, _)| b).to_vec());
    prop::option::of(
        (1..=MAX_INSTANCES, balancer).prop_map(|(instances, balancer)| FleetConfig { instances, balancer }),
    )
}

/// Unlimited threads, or an application server anywhere in its accepted range.
fn app() -> impl Strategy<Value = Option<AppConfig>> {
    prop::option::of(
        (1..=MAX_THREADS, 0..=MAX_WAITING, f64_in(0.0, 1.0), positive_f64(MAX_NO_DB_MS)).prop_map(
            |(threads, accept_queue, no_db_share, no_db_ms)| AppConfig {
                threads,
                accept_queue,
                no_db_share,
                no_db_ms,
            },
        ),
    )
}

/// No health checks, or checks anywhere in their accepted range.
fn health_check() -> impl Strategy<Value = Option<HealthCheckConfig>> {
    let mode = prop::sample::select(vec![HealthMode::Shallow, HealthMode::Deep]);
    let counts = (1..=MAX_HEALTH_COUNT, 1..=MAX_HEALTH_COUNT);
    let restart =
        (prop::option::of(positive_f64(MAX_DURATION_S as f64)), prop::option::of(0..=MAX_TIMEOUT_MS));
    prop::option::of(
        (f64_in(1.0, MAX_HEALTH_INTERVAL_S), mode, positive_f64(MAX_HOLD_MS), counts, restart).prop_flat_map(
            |(
                interval_s,
                mode,
                query_ms,
                (unhealthy_after, healthy_after),
                (restart_unhealthy_after_s, startup_timeout_ms),
            )| {
                let below_interval = ((interval_s * 1000.0).ceil() as u64 - 1).max(1);
                (1..=below_interval).prop_map(move |timeout_ms| HealthCheckConfig {
                    interval_s,
                    mode,
                    timeout_ms,
                    query_ms,
                    unhealthy_after,
                    healthy_after,
                    restart_unhealthy_after_s,
                    startup_timeout_ms,
                })
            },
        ),
    )
}

/// Some of `instances` instances, in any order, maybe rolled out in batches.
fn target(instances: u32) -> impl Strategy<Value = Target> {
    let numbers: Vec<u32> = (1..=instances).collect();
    let list =
        prop::option::of(prop::sample::subsequence(numbers, 1..=instances.min(8) as usize).prop_shuffle());
    let rollout = prop::option::of(
        (1..=instances, f64_in(0.0, 3600.0)).prop_map(|(batch, every_s)| Rollout { batch, every_s }),
    );
    (list, rollout).prop_map(|(instances, rollout)| Target { instances, rollout })
}

fn events(duration_s: u64, instances: u32) -> impl Strategy<Value = Vec<TimedEvent>> {
    let end = duration_s as f64;
    prop::collection::vec((f64_in(0.0, end), action(), target(instances)), 0..16).prop_map(|events| {
        events
            .into_iter()
            .map(|(at_s, action, target)| {
                // Only actions on instances take a target.
                let target = if action.kind().per_instance() { target } else { Target::default() };
                TimedEvent { at_s, action, target }
            })
            .collect()
    })
}

/// A valid scenario: every field anywhere in its accepted range.
pub fn scenario() -> impl Strategy<Value = Scenario> {
    let duration = prop_oneof![4 => 1..=MAX_DURATION_S, 1 => Just(1u64), 1 => Just(MAX_DURATION_S)];
    let head = (text(80), text(200), clock(), any::<u64>());
    let body = (pool(), traffic(), work(), database(), f64_in(0.0, 1.0), alerts());
    (duration, head, body, (fleet(), app(), health_check()))
        .prop_flat_map(|(duration_s, head, body, fleet)| {
            let instances = fleet.0.as_ref().map_or(1, |f| f.instances);
            // Health checks take instances out of a fleet's balancer: only with two or more.
            let fleet = (fleet.0, fleet.1, fleet.2.filter(|_| instances > 1));
            (Just(duration_s), Just(head), Just(body), Just(fleet), events(duration_s, instances))
        })
        .prop_map(
            |(
                duration_s,
                (name, description, clock_start, seed),
                (pool, traffic, work, database, p, alerts),
                (fleet, app, health_check),
                events,
            )| {
                Scenario {
                    name,
                    description,
                    clock_start,
                    duration_s,
                    seed,
                    pool,
                    traffic,
                    work,
                    database,
                    fleet,
                    app,
                    health_check,
                    leak: LeakConfig { probability: p },
                    alerts,
                    events,
                }
            },
        )
}

/// View options a page would write for a scenario of `duration_s` (all kept by `decode`).
pub fn view(duration_s: u64) -> impl Strategy<Value = ViewOptions> {
    let speed = prop_oneof![Just("max".to_owned()), (1..=MAX_SPEED_TIMES).prop_map(|n| format!("{n}x"))];
    (
        prop::option::of(f64_in(0.0, duration_s as f64)),
        prop::option::of(speed),
        any::<(bool, bool, bool)>(),
        prop::option::of("[a-z0-9][a-z0-9-]{0,30}"),
    )
        .prop_map(|(at_s, speed, (autoplay, embed, hide_controls), preset)| ViewOptions {
            at_s,
            speed,
            autoplay,
            embed,
            hide_controls,
            preset,
        })
}

/// View options as anything could write them: absurd times, any speed and preset text.
pub fn wild_view() -> impl Strategy<Value = ViewOptions> {
    (
        prop::option::of(prop_oneof![any::<f64>(), Just(f64::NAN), Just(-1.0), Just(1e300)]),
        prop::option::of(text(24)),
        any::<(bool, bool, bool)>(),
        prop::option::of(text(80)),
    )
        .prop_map(|(at_s, speed, (autoplay, embed, hide_controls), preset)| ViewOptions {
            at_s,
            speed,
            autoplay,
            embed,
            hide_controls,
            preset,
        })
}

/// A valid scenario and a view a page would write for it.
pub fn shared_state() -> impl Strategy<Value = SharedState> {
    scenario().prop_flat_map(|scenario| {
        let duration_s = scenario.duration_s;
        (Just(scenario), view(duration_s)).prop_map(|(scenario, view)| SharedState { scenario, view })
    })
}
