//! The action catalogue: every kind of timeline action, written down once — the
//! [`Action`] itself (its values), its kind, JSON name, what a page calls it, whether it
//! is a fix, and its fields (name, label, unit, how the value is read, whether it is
//! required, which rule validation applies, help naming the real pool setting), how an
//! action is built from its fields and a sensible new one for a scenario.
//!
//! Everything else is driven from here: the reader (`read.rs`) takes an action's tag and
//! fields, validation (`validate.rs`) applies each field's [`Check`], the timeline form
//! offers these kinds and fields and builds actions with [`ActionKind::build`], the
//! what-ifs drop the kinds that are fixes. A new action touches this file, the
//! simulator's effect (`sim/actions.rs`) and its words (`poolsim_content::words::action`);
//! `docs/architecture.md` says how.

use serde::{Deserialize, Serialize};

use super::app::{DEFAULT_THREADS, HealthMode};
use super::callers::{Backoff, BreakerConfig, Choice, Jitter, RetryBudget, RetryConfig, RetryOn};
use super::validate::MAX_POOL_SIZE;
use super::{AlertMetric, Scenario};

/// Something that changes the running system at a point in simulated time.
///
/// JSON: `{ "action": "deploy_leak", "probability": 0.0003 }`. `Deserialize` is written
/// by hand (`read.rs`) so that unknown fields are refused for every action and
/// errors name the field (`events[3].probability`).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    /// Change the mean arrival rate [requests/s].
    SetRate { rate_per_s: f64 },
    /// Ship a leaky deploy: each served request leaks its connection with this probability.
    DeployLeak { probability: f64 },
    /// Roll the leaky deploy back: no new leaks (already-leaked connections stay leaked).
    Rollback,
    /// Change `maximumPoolSize` (and optionally `minimumIdle`) at runtime.
    ResizePool {
        max_size: u32,
        #[serde(skip_serializing_if = "Option::is_none")]
        min_idle: Option<u32>,
    },
    /// Restart the application: every connection closes (leaked ones too), waiters and
    /// in-flight requests fail, arrivals fail during `downtime_s`, then the pool refills.
    RestartApp {
        /// [s]; 0 when omitted.
        downtime_s: f64,
    },
    /// Change the mean hold time of normal requests [ms] (a slow database).
    SetHold { hold_ms: f64 },
    /// Change `leakDetectionThreshold` [ms] (0 = off).
    SetLeakDetection { threshold_ms: u64 },
    /// Change Tomcat's `removeAbandonedTimeout` [ms] (0 = off).
    SetAbandonedTimeout { timeout_ms: u64 },
    /// Change `connectionTimeout` [ms] for requests that start waiting from now on.
    SetConnectionTimeout { timeout_ms: u64 },
    /// Start evaluating a new alert rule.
    AddAlert {
        name: String,
        metric: AlertMetric,
        above: f64,
        /// [s]; 0 when omitted.
        for_s: u64,
    },
    /// An annotation on the timeline; changes nothing.
    Note { text: String },
    /// Change how long callers wait for an answer [ms] (0 = for ever), for attempts sent
    /// from now on.
    SetDeadline { deadline_ms: u64 },
    /// Change the callers' retry policy (a budget, if any, stays).
    SetRetry {
        attempts: u32,
        backoff_ms: u64,
        /// `fixed` when omitted.
        backoff: Backoff,
        /// [ms]; 20,000 when omitted.
        max_backoff_ms: u64,
        /// `none` when omitted.
        jitter: Jitter,
        /// `both` when omitted.
        on: RetryOn,
    },
    /// Give the callers a retry budget (replacing any), counting from now.
    SetRetryBudget {
        ratio: f64,
        /// [s]; Finagle's 10 when omitted.
        window_s: u64,
        /// Finagle's 10 when omitted.
        min_per_s: f64,
    },
    /// Give the callers a circuit breaker (replacing any), closed; every field omitted
    /// takes resilience4j's default.
    SetBreaker { failure_ratio: f64, window_s: u64, min_calls: u32, open_s: f64, half_open_calls: u32 },
    /// Change the application's request threads (Tomcat `maxThreads`) and, if given, its
    /// accept queue (`acceptCount`); on a scenario without `app`, it starts modelling them.
    SetThreads {
        threads: u32,
        #[serde(skip_serializing_if = "Option::is_none")]
        accept_queue: Option<u32>,
    },
    /// Switch the load balancer's health checks to `mode` (a fleet without health checks
    /// gets them, with the other settings' defaults).
    SetHealthCheck { mode: HealthMode },
}

/// The kind of an [`Action`], without its values: its tag in JSON (`"action": "rollback"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    /// [`Action::SetRate`].
    SetRate,
    /// [`Action::DeployLeak`].
    DeployLeak,
    /// [`Action::Rollback`].
    Rollback,
    /// [`Action::ResizePool`].
    ResizePool,
    /// [`Action::RestartApp`].
    RestartApp,
    /// [`Action::SetHold`].
    SetHold,
    /// [`Action::SetLeakDetection`].
    SetLeakDetection,
    /// [`Action::SetAbandonedTimeout`].
    SetAbandonedTimeout,
    /// [`Action::SetConnectionTimeout`].
    SetConnectionTimeout,
    /// [`Action::AddAlert`].
    AddAlert,
    /// [`Action::Note`].
    Note,
    /// [`Action::SetDeadline`].
    SetDeadline,
    /// [`Action::SetRetry`].
    SetRetry,
    /// [`Action::SetRetryBudget`].
    SetRetryBudget,
    /// [`Action::SetBreaker`].
    SetBreaker,
    /// [`Action::SetThreads`].
    SetThreads,
    /// [`Action::SetHealthCheck`].
    SetHealthCheck,
}

/// How a field's value is written (in JSON), typed (in a form) and held.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldInput {
    /// A decimal number (`0.0003`, `150`): an `f64`.
    Decimal,
    /// A whole number ≥ 0: a `u64`.
    Whole,
    /// A count (of connections, attempts, calls): a `u32`.
    Count,
    /// A number of connections, or nothing for "keep as it is": an `Option<u32>`.
    OptionalCount,
    /// Free text (a note, an alert name).
    Text,
    /// One of the alert metrics (`usage`, `pending` …).
    Metric,
    /// One of these names (a [`Choice`]: `fixed`, `exponential` …).
    Choice(&'static [&'static str]),
}

/// The rule validation applies to a field's value (`validate.rs` says each in full).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Check {
    /// Any value of its type.
    Any,
    /// An arrival rate: 0 to `MAX_RATE_PER_S` requests/s.
    Rate,
    /// A probability, 0 to 1.
    Probability,
    /// A pool size: 1 to `MAX_POOL_SIZE` connections.
    PoolSize,
    /// At most the action's own `max_size`.
    AtMostMaxSize,
    /// A length of time [s], 0 to 7 days.
    Seconds,
    /// A mean hold time [ms], above 0 and at most an hour.
    Hold,
    /// A timeout or threshold [ms], at most 7 days (0 = off).
    Timeout,
    /// An alert rule's name: some text, not too long.
    AlertName,
    /// An alert rule's threshold: ≥ 0, and a share ≤ 1 for `usage`.
    AlertAbove,
    /// How long an alert's condition must hold [s], at most 7 days.
    AlertFor,
    /// A note's text: some text, not too long.
    Note,
    /// Retries per request: at most `MAX_RETRY_ATTEMPTS`.
    RetryAttempts,
    /// The cap of an exponential backoff: at least its `backoff_ms`, at most 7 days.
    MaxBackoff,
    /// Jitter needs a pause to spread: not with `immediate` retries.
    Jitter,
    /// Retries per first try of a budget: 0 to `MAX_RETRY_ATTEMPTS`.
    BudgetRatio,
    /// A counting window [s]: 1 to `MAX_WINDOW_S`.
    Window,
    /// A breaker's failure ratio: above 0, at most 1.
    FailureRatio,
    /// A count of at least 1.
    AtLeastOne,
    /// Request threads: 1 to `MAX_THREADS`.
    Threads,
    /// An accept queue: at most `MAX_WAITING` connections.
    AcceptQueue,
    /// How long a breaker stays open [s]: above 0, at most 7 days.
    OpenSeconds,
}

/// One field of an action.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ActionField {
    /// The JSON field name (`max_size`): error paths and the pages' test hooks use it.
    pub name: &'static str,
    /// What a form calls it.
    pub label: &'static str,
    /// Unit shown beside the value; empty for none.
    pub unit: &'static str,
    /// How the value is written, typed and held.
    pub input: FieldInput,
    /// Whether a timeline event must give it (otherwise [`ActionKind::build`] has a default).
    pub required: bool,
    /// The rule its value must pass.
    pub check: Check,
    /// One line of help, naming the real pool setting where there is one.
    pub help: &'static str,
}

const fn field(
    name: &'static str,
    label: &'static str,
    unit: &'static str,
    (input, required, check): (FieldInput, bool, Check),
    help: &'static str,
) -> ActionField {
    ActionField { name, label, unit, input, required, check, help }
}

use FieldInput::{Count, Decimal, Metric, OptionalCount, Text, Whole};

const fn choice<C: Choice>() -> FieldInput {
    FieldInput::Choice(C::NAMES)
}

const RATE: [ActionField; 1] =
    [field("rate_per_s", "Traffic rate", "req/s", (Decimal, true, Check::Rate), "New mean arrival rate.")];
const LEAK: [ActionField; 1] = [field(
    "probability",
    "Leak probability",
    "0–1",
    (Decimal, true, Check::Probability),
    "Chance that a served request never returns its connection (0.001 = 1 in 1,000).",
)];
const RESIZE: [ActionField; 2] = [
    field(
        "max_size",
        "Max pool size",
        "conns",
        (Count, true, Check::PoolSize),
        "HikariCP maximumPoolSize, applied at once.",
    ),
    field(
        "min_idle",
        "Min idle",
        "conns",
        (OptionalCount, false, Check::AtMostMaxSize),
        "minimumIdle; leave empty to keep it.",
    ),
];
const RESTART: [ActionField; 1] = [field(
    "downtime_s",
    "Downtime",
    "s",
    (Decimal, false, Check::Seconds),
    "Requests fail while the app is down; then the pool refills.",
)];
const HOLD: [ActionField; 1] = [field(
    "hold_ms",
    "Mean hold time",
    "ms",
    (Decimal, true, Check::Hold),
    "How long a normal request holds its connection (a slow database holds longer).",
)];
const LEAK_DETECTION: [ActionField; 1] = [field(
    "threshold_ms",
    "Leak detection threshold",
    "ms",
    (Whole, true, Check::Timeout),
    "HikariCP leakDetectionThreshold: log connections out longer than this (0 = off; HikariCP wants ≥ 2000).",
)];
const ABANDONED: [ActionField; 1] = [field(
    "timeout_ms",
    "Reclaim after",
    "ms",
    (Whole, true, Check::Timeout),
    "Tomcat removeAbandonedTimeout: close connections out longer than this (0 = off).",
)];
const CONNECTION_TIMEOUT: [ActionField; 1] = [field(
    "timeout_ms",
    "Connection timeout",
    "ms",
    (Whole, true, Check::Timeout),
    "HikariCP connectionTimeout for requests that start waiting from then on.",
)];
const ALERT: [ActionField; 4] = [
    field("name", "Rule name", "", (Text, true, Check::AlertName), "Shown in the log and the outcome."),
    field("metric", "Metric", "", (Metric, true, Check::Any), "What the rule watches."),
    field(
        "above",
        "Above",
        "",
        (Decimal, true, Check::AlertAbove),
        "Fires when the metric is above this (usage: 0.8 = 80 %).",
    ),
    field(
        "for_s",
        "For",
        "s",
        (Whole, false, Check::AlertFor),
        "How long the condition must hold (Prometheus for:).",
    ),
];
const NOTE: [ActionField; 1] =
    [field("text", "Note", "", (Text, true, Check::Note), "An annotation; it changes nothing in the run.")];

const DEADLINE: [ActionField; 1] = [field(
    "deadline_ms",
    "Caller deadline",
    "ms",
    (Whole, true, Check::Timeout),
    "How long a caller waits for an answer before it gives up (0 = for ever); the pool still serves what it gave up on.",
)];
const RETRY: [ActionField; 6] = [
    field(
        "attempts",
        "Retries",
        "",
        (Count, true, Check::RetryAttempts),
        "Further attempts after a failure (0 = none).",
    ),
    field(
        "backoff_ms",
        "Backoff",
        "ms",
        (Whole, true, Check::Timeout),
        "Pause before a retry; the first pause of an exponential backoff.",
    ),
    field(
        "backoff",
        "Backoff kind",
        "",
        (choice::<Backoff>(), false, Check::Any),
        "immediate, fixed, or exponential (doubling each retry).",
    ),
    field(
        "max_backoff_ms",
        "Longest backoff",
        "ms",
        (Whole, false, Check::MaxBackoff),
        "The cap of an exponential backoff (AWS SDKs: 20 s).",
    ),
    field(
        "jitter",
        "Jitter",
        "",
        (choice::<Jitter>(), false, Check::Jitter),
        "full: each pause drawn between 0 and the backoff (AWS's full jitter), so retries do not come in waves.",
    ),
    field(
        "on",
        "Retry on",
        "",
        (choice::<RetryOn>(), false, Check::Any),
        "timeout (the pool's or the caller's), refusal (refused, restarting, reclaimed) or both.",
    ),
];
const BUDGET: [ActionField; 3] = [
    field(
        "ratio",
        "Retries per request",
        "",
        (Decimal, true, Check::BudgetRatio),
        "Finagle percentCanRetry: 0.1 = at most one retry per ten first tries.",
    ),
    field(
        "window_s",
        "Window",
        "s",
        (Whole, false, Check::Window),
        "How long a first try's deposit counts (Finagle ttl, 10 s).",
    ),
    field(
        "min_per_s",
        "Minimum retries",
        "per s",
        (Decimal, false, Check::Rate),
        "Retries allowed each second whatever the traffic (Finagle minRetriesPerSec, 10).",
    ),
];
const BREAKER: [ActionField; 5] = [
    field(
        "failure_ratio",
        "Failure ratio",
        "0–1",
        (Decimal, false, Check::FailureRatio),
        "Share of failed calls that opens it (resilience4j failureRateThreshold, 0.5).",
    ),
    field(
        "window_s",
        "Window",
        "s",
        (Whole, false, Check::Window),
        "How long calls and failures are counted (10 s).",
    ),
    field(
        "min_calls",
        "Minimum calls",
        "",
        (Count, false, Check::AtLeastOne),
        "Calls in the window before the ratio counts (resilience4j minimumNumberOfCalls, 100).",
    ),
    field(
        "open_s",
        "Open for",
        "s",
        (Decimal, false, Check::OpenSeconds),
        "How long every call fails at once (resilience4j waitDurationInOpenState, 60 s).",
    ),
    field(
        "half_open_calls",
        "Probe calls",
        "",
        (Count, false, Check::AtLeastOne),
        "Calls let through half open (resilience4j permittedNumberOfCallsInHalfOpenState, 10).",
    ),
];

const THREADS: [ActionField; 2] = [
    field(
        "threads",
        "Request threads",
        "threads",
        (Count, true, Check::Threads),
        "Tomcat maxThreads: requests served at once, each holding its thread while it waits for a connection.",
    ),
    field(
        "accept_queue",
        "Accept queue",
        "conns",
        (OptionalCount, false, Check::AcceptQueue),
        "Tomcat acceptCount: connections waiting for a thread before the next is refused; leave empty to keep it.",
    ),
];

const HEALTH_CHECK: [ActionField; 1] = [field(
    "mode",
    "Health check",
    "",
    (choice::<HealthMode>(), true, Check::Any),
    "shallow: the instance answers without the database; deep: SELECT 1 through its own pool, failing when the pool is exhausted.",
)];

/// What the catalogue knows of a kind besides its fields' values.
struct Spec {
    name: &'static str,
    label: &'static str,
    fields: &'static [ActionField],
    /// A remedy an operator applies (the "no fix" what-if drops it), rather than the
    /// world the fixes act on (traffic, deploys, a slow database) or an annotation.
    fix: bool,
}

impl ActionKind {
    /// Every kind, in the order the pages offer them.
    pub const ALL: [Self; 17] = [
        Self::SetRate,
        Self::DeployLeak,
        Self::Rollback,
        Self::ResizePool,
        Self::RestartApp,
        Self::SetHold,
        Self::SetLeakDetection,
        Self::SetAbandonedTimeout,
        Self::SetConnectionTimeout,
        Self::AddAlert,
        Self::Note,
        Self::SetDeadline,
        Self::SetRetry,
        Self::SetRetryBudget,
        Self::SetBreaker,
        Self::SetThreads,
        Self::SetHealthCheck,
    ];

    // One copy, not one per caller: the page's bundle carries every kind's table.
    #[inline(never)]
    fn spec(self) -> Spec {
        let spec = |name, label, fields, fix| Spec { name, label, fields, fix };
        match self {
            Self::SetRate => spec("set_rate", "Change the traffic rate", &RATE, false),
            Self::DeployLeak => spec("deploy_leak", "Deploy a leak", &LEAK, false),
            Self::Rollback => spec("rollback", "Roll back the leak", &[], true),
            Self::ResizePool => spec("resize_pool", "Resize the pool", &RESIZE, true),
            Self::RestartApp => spec("restart_app", "Restart the app", &RESTART, true),
            Self::SetHold => spec("set_hold", "Change the hold time (slow database)", &HOLD, false),
            Self::SetLeakDetection => spec("set_leak_detection", "Set leak detection", &LEAK_DETECTION, true),
            Self::SetAbandonedTimeout => {
                spec("set_abandoned_timeout", "Set abandoned-connection reclaim", &ABANDONED, true)
            }
            Self::SetConnectionTimeout => {
                spec("set_connection_timeout", "Set the connection timeout", &CONNECTION_TIMEOUT, true)
            }
            Self::AddAlert => spec("add_alert", "Add an alert rule", &ALERT, false),
            Self::Note => spec("note", "Note", &NOTE, false),
            Self::SetDeadline => spec("set_deadline", "Set the callers' deadline", &DEADLINE, true),
            Self::SetRetry => spec("set_retry", "Set the callers' retries", &RETRY, true),
            Self::SetRetryBudget => spec("set_retry_budget", "Set a retry budget", &BUDGET, true),
            Self::SetBreaker => spec("set_breaker", "Add a circuit breaker", &BREAKER, true),
            Self::SetThreads => spec("set_threads", "Set the request threads", &THREADS, true),
            Self::SetHealthCheck => spec("set_health_check", "Switch the health checks", &HEALTH_CHECK, true),
        }
    }

    /// The action of this kind from its field values (absent optional fields take their
    /// defaults); `None` when a required field is missing or has another type.
    #[inline(never)]
    pub fn build(self, v: &FieldValues) -> Option<Action> {
        Some(match self {
            Self::SetRate => Action::SetRate { rate_per_s: v.decimal("rate_per_s")? },
            Self::DeployLeak => Action::DeployLeak { probability: v.decimal("probability")? },
            Self::Rollback => Action::Rollback,
            Self::ResizePool => {
                Action::ResizePool { max_size: v.count("max_size")?, min_idle: v.count("min_idle") }
            }
            Self::RestartApp => Action::RestartApp { downtime_s: v.decimal("downtime_s").unwrap_or(0.0) },
            Self::SetHold => Action::SetHold { hold_ms: v.decimal("hold_ms")? },
            Self::SetLeakDetection => Action::SetLeakDetection { threshold_ms: v.whole("threshold_ms")? },
            Self::SetAbandonedTimeout => Action::SetAbandonedTimeout { timeout_ms: v.whole("timeout_ms")? },
            Self::SetConnectionTimeout => Action::SetConnectionTimeout { timeout_ms: v.whole("timeout_ms")? },
            Self::AddAlert => Action::AddAlert {
                name: v.text("name")?.to_owned(),
                metric: v.metric("metric")?,
                above: v.decimal("above")?,
                for_s: v.whole("for_s").unwrap_or(0),
            },
            Self::Note => Action::Note { text: v.text("text")?.to_owned() },
            Self::SetDeadline => Action::SetDeadline { deadline_ms: v.whole("deadline_ms")? },
            Self::SetRetry => Action::SetRetry {
                attempts: v.count("attempts")?,
                backoff_ms: v.whole("backoff_ms")?,
                backoff: v.chosen("backoff")?,
                max_backoff_ms: v.whole("max_backoff_ms").unwrap_or(super::callers::DEFAULT_MAX_BACKOFF_MS),
                jitter: v.chosen("jitter")?,
                on: v.chosen("on")?,
            },
            Self::SetRetryBudget => {
                let d = RetryBudget::default();
                Action::SetRetryBudget {
                    ratio: v.decimal("ratio")?,
                    window_s: v.whole("window_s").unwrap_or(d.window_s),
                    min_per_s: v.decimal("min_per_s").unwrap_or(d.min_per_s),
                }
            }
            Self::SetBreaker => {
                let d = BreakerConfig::default();
                Action::SetBreaker {
                    failure_ratio: v.decimal("failure_ratio").unwrap_or(d.failure_ratio),
                    window_s: v.whole("window_s").unwrap_or(d.window_s),
                    min_calls: v.count("min_calls").unwrap_or(d.min_calls),
                    open_s: v.decimal("open_s").unwrap_or(d.open_s),
                    half_open_calls: v.count("half_open_calls").unwrap_or(d.half_open_calls),
                }
            }
            Self::SetThreads => {
                Action::SetThreads { threads: v.count("threads")?, accept_queue: v.count("accept_queue") }
            }
            Self::SetHealthCheck => Action::SetHealthCheck { mode: v.chosen("mode")? },
        })
    }

    /// A new action of this kind for `scenario`, as a form starts it: the value in force
    /// at the start where there is one, a sensible fix otherwise.
    pub fn example(self, scenario: &Scenario) -> Action {
        match self {
            Self::SetRate => Action::SetRate { rate_per_s: scenario.traffic.rate_per_s },
            Self::DeployLeak => Action::DeployLeak { probability: 0.001 },
            Self::Rollback => Action::Rollback,
            Self::ResizePool => Action::ResizePool {
                max_size: scenario.pool.max_size.saturating_mul(2).min(MAX_POOL_SIZE),
                min_idle: None,
            },
            Self::RestartApp => Action::RestartApp { downtime_s: 0.0 },
            Self::SetHold => Action::SetHold { hold_ms: scenario.work.hold_ms },
            Self::SetLeakDetection => Action::SetLeakDetection { threshold_ms: 60_000 },
            Self::SetAbandonedTimeout => Action::SetAbandonedTimeout { timeout_ms: 60_000 },
            Self::SetConnectionTimeout => {
                Action::SetConnectionTimeout { timeout_ms: scenario.pool.connection_timeout_ms }
            }
            Self::AddAlert => {
                let rule = crate::alerts::suggested_rule(AlertMetric::Usage, scenario);
                Action::AddAlert {
                    name: rule.name,
                    metric: rule.metric,
                    above: rule.above,
                    for_s: rule.for_s,
                }
            }
            Self::Note => Action::Note { text: String::new() },
            Self::SetDeadline => {
                let in_force = scenario.traffic.deadline_ms;
                Action::SetDeadline { deadline_ms: if in_force > 0 { in_force } else { 5_000 } }
            }
            Self::SetRetry => Action::set_retry(&scenario.traffic.retry),
            Self::SetRetryBudget => Action::set_retry_budget(
                &scenario
                    .traffic
                    .retry
                    .budget
                    .clone()
                    .unwrap_or(RetryBudget { ratio: 0.1, ..RetryBudget::default() }),
            ),
            Self::SetBreaker => Action::set_breaker(&scenario.traffic.breaker.clone().unwrap_or_default()),
            Self::SetThreads => Action::SetThreads {
                threads: scenario.app.as_ref().map_or(DEFAULT_THREADS, |a| a.threads),
                accept_queue: None,
            },
            // The remedy: a check that does not call the database.
            Self::SetHealthCheck => Action::SetHealthCheck { mode: HealthMode::Shallow },
        }
    }

    /// The JSON name (`resize_pool`).
    pub fn name(self) -> &'static str {
        self.spec().name
    }

    /// What a page calls it ("Resize the pool").
    pub fn label(self) -> &'static str {
        self.spec().label
    }

    /// Its fields, in the order a form shows them.
    pub fn fields(self) -> &'static [ActionField] {
        self.spec().fields
    }

    /// Whether it acts on each instance of a fleet (a deploy, a pool setting, a restart)
    /// rather than on the whole (the traffic and its callers, an alert rule, a note): only
    /// these take a timeline event's `instances` and `rollout`.
    pub fn per_instance(self) -> bool {
        !matches!(
            self,
            Self::SetRate
                | Self::AddAlert
                | Self::Note
                | Self::SetDeadline
                | Self::SetRetry
                | Self::SetRetryBudget
                | Self::SetBreaker
                | Self::SetHealthCheck
        )
    }

    /// Whether it changes what the callers do (their deadline, retries, budget or breaker):
    /// a run that performs one reports what the callers saw.
    pub fn is_about_callers(self) -> bool {
        matches!(self, Self::SetDeadline | Self::SetRetry | Self::SetRetryBudget | Self::SetBreaker)
    }

    /// Whether it is a fix: a remedy an operator applies (resize, restart, rollback, a
    /// pool setting), not the world the fixes act on nor a note.
    pub fn is_fix(self) -> bool {
        self.spec().fix
    }

    /// The field called `name`, if this kind has one.
    pub fn field(self, name: &str) -> Option<&'static ActionField> {
        self.fields().iter().find(|f| f.name == name)
    }

    /// The field called `name` of any kind (fields of the same name are alike in every kind).
    pub fn any_field(name: &str) -> Option<&'static ActionField> {
        Self::ALL.into_iter().find_map(|k| k.field(name))
    }

    /// The kind whose JSON name is `name`.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.name() == name)
    }

    /// "`probability`", "`max_size`, `min_idle`" or "no fields", for messages.
    pub fn field_list(self) -> String {
        let names: Vec<String> = self.fields().iter().map(|f| format!("`{}`", f.name)).collect();
        if names.is_empty() { "no fields".to_owned() } else { names.join(", ") }
    }
}

impl Action {
    /// The `set_retry` that puts `r`'s policy in force (its budget is `set_retry_budget`'s).
    pub fn set_retry(r: &RetryConfig) -> Self {
        Action::SetRetry {
            attempts: r.attempts,
            backoff_ms: r.backoff_ms,
            backoff: r.backoff,
            max_backoff_ms: r.max_backoff_ms,
            jitter: r.jitter,
            on: r.on,
        }
    }

    /// The `set_retry_budget` that puts budget `b` in force.
    pub fn set_retry_budget(b: &RetryBudget) -> Self {
        Action::SetRetryBudget { ratio: b.ratio, window_s: b.window_s, min_per_s: b.min_per_s }
    }

    /// The `set_breaker` that puts breaker `b` in force.
    pub fn set_breaker(b: &BreakerConfig) -> Self {
        Action::SetBreaker {
            failure_ratio: b.failure_ratio,
            window_s: b.window_s,
            min_calls: b.min_calls,
            open_s: b.open_s,
            half_open_calls: b.half_open_calls,
        }
    }

    /// This action's kind.
    pub fn kind(&self) -> ActionKind {
        match self {
            Self::SetRate { .. } => ActionKind::SetRate,
            Self::DeployLeak { .. } => ActionKind::DeployLeak,
            Self::Rollback => ActionKind::Rollback,
            Self::ResizePool { .. } => ActionKind::ResizePool,
            Self::RestartApp { .. } => ActionKind::RestartApp,
            Self::SetHold { .. } => ActionKind::SetHold,
            Self::SetLeakDetection { .. } => ActionKind::SetLeakDetection,
            Self::SetAbandonedTimeout { .. } => ActionKind::SetAbandonedTimeout,
            Self::SetConnectionTimeout { .. } => ActionKind::SetConnectionTimeout,
            Self::AddAlert { .. } => ActionKind::AddAlert,
            Self::Note { .. } => ActionKind::Note,
            Self::SetDeadline { .. } => ActionKind::SetDeadline,
            Self::SetRetry { .. } => ActionKind::SetRetry,
            Self::SetRetryBudget { .. } => ActionKind::SetRetryBudget,
            Self::SetBreaker { .. } => ActionKind::SetBreaker,
            Self::SetThreads { .. } => ActionKind::SetThreads,
            Self::SetHealthCheck { .. } => ActionKind::SetHealthCheck,
        }
    }

    /// Its field values by name (an optional field left out is absent): the inverse of
    /// [`ActionKind::build`].
    pub fn values(&self) -> FieldValues {
        use FieldValue as V;
        let fields: Vec<(&'static str, FieldValue)> = match self {
            Self::SetRate { rate_per_s } => vec![("rate_per_s", V::Decimal(*rate_per_s))],
            Self::DeployLeak { probability } => vec![("probability", V::Decimal(*probability))],
            Self::Rollback => Vec::new(),
            Self::ResizePool { max_size, min_idle } => {
                let mut v = vec![("max_size", V::Count(*max_size))];
                v.extend(min_idle.map(|m| ("min_idle", V::Count(m))));
                v
            }
            Self::RestartApp { downtime_s } => vec![("downtime_s", V::Decimal(*downtime_s))],
            Self::SetHold { hold_ms } => vec![("hold_ms", V::Decimal(*hold_ms))],
            Self::SetLeakDetection { threshold_ms } => vec![("threshold_ms", V::Whole(*threshold_ms))],
            Self::SetAbandonedTimeout { timeout_ms } | Self::SetConnectionTimeout { timeout_ms } => {
                vec![("timeout_ms", V::Whole(*timeout_ms))]
            }
            Self::AddAlert { name, metric, above, for_s } => vec![
                ("name", V::Text(name.clone())),
                ("metric", V::Metric(*metric)),
                ("above", V::Decimal(*above)),
                ("for_s", V::Whole(*for_s)),
            ],
            Self::Note { text } => vec![("text", V::Text(text.clone()))],
            Self::SetDeadline { deadline_ms } => vec![("deadline_ms", V::Whole(*deadline_ms))],
            Self::SetRetry { attempts, backoff_ms, backoff, max_backoff_ms, jitter, on } => vec![
                ("attempts", V::Count(*attempts)),
                ("backoff_ms", V::Whole(*backoff_ms)),
                ("backoff", V::Choice(backoff.name())),
                ("max_backoff_ms", V::Whole(*max_backoff_ms)),
                ("jitter", V::Choice(jitter.name())),
                ("on", V::Choice(on.name())),
            ],
            Self::SetRetryBudget { ratio, window_s, min_per_s } => vec![
                ("ratio", V::Decimal(*ratio)),
                ("window_s", V::Whole(*window_s)),
                ("min_per_s", V::Decimal(*min_per_s)),
            ],
            Self::SetBreaker { failure_ratio, window_s, min_calls, open_s, half_open_calls } => vec![
                ("failure_ratio", V::Decimal(*failure_ratio)),
                ("window_s", V::Whole(*window_s)),
                ("min_calls", V::Count(*min_calls)),
                ("open_s", V::Decimal(*open_s)),
                ("half_open_calls", V::Count(*half_open_calls)),
            ],
            Self::SetThreads { threads, accept_queue } => {
                let mut v = vec![("threads", V::Count(*threads))];
                v.extend(accept_queue.map(|q| ("accept_queue", V::Count(q))));
                v
            }
            Self::SetHealthCheck { mode } => vec![("mode", V::Choice(mode.name()))],
        };
        FieldValues(fields)
    }
}

/// One field's value, held as its [`FieldInput`] says.
#[derive(Clone, Debug, PartialEq)]
pub enum FieldValue {
    /// [`FieldInput::Decimal`].
    Decimal(f64),
    /// [`FieldInput::Whole`].
    Whole(u64),
    /// [`FieldInput::Count`] and a given [`FieldInput::OptionalCount`].
    Count(u32),
    /// [`FieldInput::Text`].
    Text(String),
    /// [`FieldInput::Metric`].
    Metric(AlertMetric),
    /// [`FieldInput::Choice`]: the name chosen.
    Choice(&'static str),
}

/// An action's field values by name: what the reader read, what a form's text says,
/// what [`Action::values`] gives back.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FieldValues(Vec<(&'static str, FieldValue)>);

impl FieldValues {
    /// Set field `name` to `value`.
    pub fn set(&mut self, name: &'static str, value: FieldValue) {
        match self.0.iter_mut().find(|(n, _)| *n == name) {
            Some(slot) => slot.1 = value,
            None => self.0.push((name, value)),
        }
    }

    /// The value of field `name`, if given.
    pub fn get(&self, name: &str) -> Option<&FieldValue> {
        self.0.iter().find(|(n, _)| *n == name).map(|(_, v)| v)
    }

    /// Whether field `name` is given.
    pub fn has(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// The values in the order they were set.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &FieldValue)> {
        self.0.iter().map(|(n, v)| (*n, v))
    }

    /// Field `name` as a decimal number.
    pub fn decimal(&self, name: &str) -> Option<f64> {
        match self.get(name)? {
            FieldValue::Decimal(x) => Some(*x),
            _ => None,
        }
    }

    /// Field `name` as a whole number.
    pub fn whole(&self, name: &str) -> Option<u64> {
        match self.get(name)? {
            FieldValue::Whole(n) => Some(*n),
            _ => None,
        }
    }

    /// Field `name` as a number of connections.
    pub fn count(&self, name: &str) -> Option<u32> {
        match self.get(name)? {
            FieldValue::Count(n) => Some(*n),
            _ => None,
        }
    }

    /// Field `name` as text.
    pub fn text(&self, name: &str) -> Option<&str> {
        match self.get(name)? {
            FieldValue::Text(s) => Some(s),
            _ => None,
        }
    }

    /// Field `name` as an alert metric.
    pub fn metric(&self, name: &str) -> Option<AlertMetric> {
        match self.get(name)? {
            FieldValue::Metric(m) => Some(*m),
            _ => None,
        }
    }

    /// Field `name` as the name of a choice.
    pub fn choice(&self, name: &str) -> Option<&'static str> {
        match self.get(name)? {
            FieldValue::Choice(c) => Some(c),
            _ => None,
        }
    }

    /// Field `name` as a [`Choice`]: its default when absent, `None` when it names none.
    fn chosen<C: Choice + Default>(&self, name: &str) -> Option<C> {
        match self.get(name) {
            None => Some(C::default()),
            Some(FieldValue::Choice(c)) => C::from_name(c),
            Some(_) => None,
        }
    }
}

/// The names of every kind, for messages: "set_rate, deploy_leak, …, note".
pub fn kind_names() -> String {
    ActionKind::ALL.map(ActionKind::name).join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One action of every kind, in `ActionKind::ALL` order: each kind's example, so a new
    /// kind is covered by these tests as soon as it is in the catalogue.
    fn examples() -> Vec<Action> {
        ActionKind::ALL.iter().map(|k| k.example(&Scenario::default())).collect()
    }

    #[test]
    fn every_kind_has_a_unique_name_that_serde_agrees_with() {
        let mut names: Vec<&str> = ActionKind::ALL.iter().map(|k| k.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), ActionKind::ALL.len());
        for kind in ActionKind::ALL {
            assert_eq!(ActionKind::from_name(kind.name()), Some(kind));
            let json = serde_json::to_string(&kind).expect("serialises");
            assert_eq!(json, format!("\"{}\"", kind.name()));
            assert!(!kind.label().is_empty());
            let mut fields: Vec<&str> = kind.fields().iter().map(|f| f.name).collect();
            fields.sort_unstable();
            fields.dedup();
            assert_eq!(fields.len(), kind.fields().len(), "{kind:?} names a field twice");
        }
    }

    #[test]
    fn fields_of_the_same_name_are_read_alike_in_every_kind() {
        // The reader reads a field before it may know the action's tag.
        for kind in ActionKind::ALL {
            for field in kind.fields() {
                let first = ActionKind::any_field(field.name).expect("found");
                assert_eq!(first.input, field.input, "`{}` of {kind:?}", field.name);
                assert_ne!(field.name, "action");
                assert_ne!(field.name, "at_s");
            }
        }
    }

    #[test]
    fn every_action_serialises_with_its_kinds_name_and_fields() {
        let actions = examples();
        assert_eq!(actions.iter().map(Action::kind).collect::<Vec<_>>(), ActionKind::ALL);
        let with_min_idle = Action::ResizePool { max_size: 2, min_idle: Some(1) };
        for action in actions.into_iter().chain([with_min_idle]) {
            let kind = action.kind();
            let json = serde_json::to_value(&action).expect("serialises");
            let object = json.as_object().expect("an object");
            assert_eq!(object["action"], kind.name());
            for key in object.keys().filter(|k| *k != "action") {
                assert!(kind.field(key).is_some(), "{kind:?} writes `{key}`, which is not its field");
            }
            // A field left out is one that may be: optional, and unset.
            for field in kind.fields().iter().filter(|f| !object.contains_key(f.name)) {
                assert!(
                    !field.required && field.input == OptionalCount,
                    "{kind:?} left out `{}`",
                    field.name
                );
            }
        }
    }

    #[test]
    fn an_action_is_built_back_from_its_values() {
        let with_min_idle = Action::ResizePool { max_size: 5, min_idle: Some(1) };
        for action in examples().into_iter().chain([with_min_idle]) {
            let values = action.values();
            let kind = action.kind();
            assert!(kind.fields().iter().filter(|f| f.required).all(|f| values.has(f.name)), "{action:?}");
            assert_eq!(kind.build(&values), Some(action.clone()));
        }
        let no_min_idle = Action::ResizePool { max_size: 5, min_idle: None };
        assert!(!no_min_idle.values().has("min_idle"));
        assert_eq!(ActionKind::ResizePool.build(&no_min_idle.values()), Some(no_min_idle));
    }

    #[test]
    fn a_form_starts_from_a_valid_action_wherever_nothing_must_be_typed() {
        for action in examples() {
            if let Err(e) = crate::scenario::validate::validate_action(&action, "") {
                let field = action.kind().field(&e.path).map(|f| f.input);
                assert_eq!(field, Some(Text), "{action:?}: {e}");
            }
        }
    }

    #[test]
    fn a_required_field_missing_or_of_another_type_builds_nothing() {
        let mut values = FieldValues::default();
        assert_eq!(ActionKind::SetRate.build(&values), None);
        values.set("rate_per_s", FieldValue::Whole(3));
        assert_eq!(ActionKind::SetRate.build(&values), None);
        values.set("rate_per_s", FieldValue::Decimal(3.0));
        assert_eq!(ActionKind::SetRate.build(&values), Some(Action::SetRate { rate_per_s: 3.0 }));
        // Optional fields take their defaults.
        assert_eq!(
            ActionKind::RestartApp.build(&FieldValues::default()),
            Some(Action::RestartApp { downtime_s: 0.0 })
        );
    }

    #[test]
    fn every_kind_has_an_example_of_its_own_kind() {
        let scenario = Scenario::default();
        for kind in ActionKind::ALL {
            assert_eq!(kind.example(&scenario).kind(), kind);
        }
        assert_eq!(
            ActionKind::ResizePool.example(&scenario),
            Action::ResizePool { max_size: scenario.pool.max_size * 2, min_idle: None }
        );
    }

    #[test]
    fn alert_metric_names_are_their_json_names() {
        for metric in AlertMetric::ALL {
            let json = serde_json::to_string(&metric).expect("serialises");
            assert_eq!(json, format!("\"{}\"", metric.name()));
            assert_eq!(AlertMetric::from_name(metric.name()), Some(metric));
            assert!(!metric.meaning().is_empty());
        }
    }

    #[test]
    fn fixes_are_the_remedies_an_operator_applies() {
        let fixes: Vec<ActionKind> = ActionKind::ALL.into_iter().filter(|k| k.is_fix()).collect();
        assert_eq!(
            fixes,
            [
                ActionKind::Rollback,
                ActionKind::ResizePool,
                ActionKind::RestartApp,
                ActionKind::SetLeakDetection,
                ActionKind::SetAbandonedTimeout,
                ActionKind::SetConnectionTimeout,
                ActionKind::SetDeadline,
                ActionKind::SetRetry,
                ActionKind::SetRetryBudget,
                ActionKind::SetBreaker,
                ActionKind::SetThreads,
                ActionKind::SetHealthCheck,
            ]
        );
    }
}
