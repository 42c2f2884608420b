//! The knobs: every setting of a scenario the panel edits, with how it is labelled,
//! its unit and range, the real setting it mirrors, how it is read from and written
//! into a [`Scenario`], and the engine [`Action`] that applies it to a running pool.
//!
//! Pure data and functions (no Yew): tested natively.

use poolsim_engine::scenario::validate::{
    MAX_CONNECT_MS, MAX_CORES, MAX_DB_CONNECTIONS, MAX_DURATION_S, MAX_HOLD_MS, MAX_INSTANCES,
    MAX_LOGNORMAL_SIGMA, MAX_POOL_SIZE, MAX_RATE_PER_S, MAX_RETRY_ATTEMPTS, MAX_THREADS, MAX_TIMEOUT_MS,
    MAX_WAITING,
};
use poolsim_engine::{
    Action, AlertMetric, AppConfig, Balancer, DatabaseConfig, FleetConfig, HealthCheckConfig, HealthMode,
    HoldDistribution, Scenario, Settings,
};

use super::field::{Entry, FieldSpec, Panel};
use super::parse;

/// One editable setting of a scenario.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Knob {
    /// `traffic.rate_per_s`.
    Rate,
    /// `traffic.retry.attempts`.
    RetryAttempts,
    /// `traffic.retry.backoff_ms`.
    RetryBackoff,
    /// `traffic.deadline_ms`.
    Deadline,
    /// `app.threads` (empty = request threads not modelled).
    Threads,
    /// `app.accept_queue` (shown with threads).
    AcceptQueue,
    /// `health_check.mode`, or none (shown with a fleet).
    HealthCheck,
    /// `work.hold_ms`.
    Hold,
    /// `work.hold_distribution`.
    HoldDistribution,
    /// `work.lognormal_sigma`.
    LognormalSigma,
    /// `work.slow_share`.
    SlowShare,
    /// `work.slow_hold_ms`.
    SlowHold,
    /// `pool.max_size`.
    MaxSize,
    /// `pool.min_idle` (empty = same as `max_size`).
    MinIdle,
    /// `pool.connection_timeout_ms`.
    ConnectionTimeout,
    /// `pool.idle_timeout_ms`.
    IdleTimeout,
    /// `pool.max_lifetime_ms`.
    MaxLifetime,
    /// `pool.connect_ms`.
    Connect,
    /// `database`: modelled (on, starting from [`DatabaseConfig::default`]) or not (off:
    /// unlimited capacity).
    Database,
    /// `database.cores`.
    DbCores,
    /// `database.db_share`.
    DbShare,
    /// `database.contention`.
    DbContention,
    /// `database.coherency`.
    DbCoherency,
    /// `database.max_connections`.
    DbMaxConnections,
    /// `database.reserved_connections`.
    DbReserved,
    /// `database.connect_cpu_ms`.
    DbConnectCpu,
    /// `fleet.instances` (1 = no fleet).
    Instances,
    /// `fleet.balancer` (shown with a fleet).
    Balancer,
    /// `leak.probability`.
    LeakProbability,
    /// `pool.leak_detection_threshold_ms`.
    LeakDetection,
    /// `pool.abandoned_timeout_ms`.
    Abandoned,
    /// `alerts[i].above`.
    AlertAbove(usize),
    /// `alerts[i].for_s`.
    AlertFor(usize),
    /// `seed`.
    Seed,
    /// `duration_s`.
    Duration,
}

/// The hold-time distributions offered, as (JSON name, label).
pub const DISTRIBUTIONS: [(HoldDistribution, &str, &str); 3] = [
    (HoldDistribution::Exponential, "exponential", "Exponential (M/M/c)"),
    (HoldDistribution::Constant, "constant", "Constant"),
    (HoldDistribution::Lognormal, "lognormal", "Log-normal (long tail)"),
];

fn distribution_name(d: HoldDistribution) -> &'static str {
    DISTRIBUTIONS.iter().find(|(x, ..)| *x == d).map_or("exponential", |(_, name, _)| name)
}

impl Knob {
    /// The field path [`Scenario::validate`] names in its errors.
    pub fn path(self) -> String {
        match self {
            Self::Rate => "traffic.rate_per_s".into(),
            Self::RetryAttempts => "traffic.retry.attempts".into(),
            Self::RetryBackoff => "traffic.retry.backoff_ms".into(),
            Self::Deadline => "traffic.deadline_ms".into(),
            Self::Threads => "app.threads".into(),
            Self::AcceptQueue => "app.accept_queue".into(),
            Self::HealthCheck => "health_check.mode".into(),
            Self::Hold => "work.hold_ms".into(),
            Self::HoldDistribution => "work.hold_distribution".into(),
            Self::LognormalSigma => "work.lognormal_sigma".into(),
            Self::SlowShare => "work.slow_share".into(),
            Self::SlowHold => "work.slow_hold_ms".into(),
            Self::MaxSize => "pool.max_size".into(),
            Self::MinIdle => "pool.min_idle".into(),
            Self::ConnectionTimeout => "pool.connection_timeout_ms".into(),
            Self::IdleTimeout => "pool.idle_timeout_ms".into(),
            Self::MaxLifetime => "pool.max_lifetime_ms".into(),
            Self::Connect => "pool.connect_ms".into(),
            Self::Database => "database".into(),
            Self::DbCores => "database.cores".into(),
            Self::DbShare => "database.db_share".into(),
            Self::DbContention => "database.contention".into(),
            Self::DbCoherency => "database.coherency".into(),
            Self::DbMaxConnections => "database.max_connections".into(),
            Self::DbReserved => "database.reserved_connections".into(),
            Self::DbConnectCpu => "database.connect_cpu_ms".into(),
            Self::Instances => "fleet.instances".into(),
            Self::Balancer => "fleet.balancer".into(),
            Self::LeakProbability => "leak.probability".into(),
            Self::LeakDetection => "pool.leak_detection_threshold_ms".into(),
            Self::Abandoned => "pool.abandoned_timeout_ms".into(),
            Self::AlertAbove(i) => format!("alerts[{i}].above"),
            Self::AlertFor(i) => format!("alerts[{i}].for_s"),
            Self::Seed => "seed".into(),
            Self::Duration => "duration_s".into(),
        }
    }

    /// Whether the engine can apply a change of this knob to a running pool.
    /// The others take effect when the run restarts.
    pub fn is_live(self) -> bool {
        matches!(
            self,
            Self::Rate
                | Self::Deadline
                | Self::Hold
                | Self::MaxSize
                | Self::MinIdle
                | Self::ConnectionTimeout
                | Self::LeakProbability
                | Self::LeakDetection
                | Self::Abandoned
        )
    }

    /// Whether the value is a whole number (a count, a duration in ms or s, a seed).
    fn is_whole(self) -> bool {
        !matches!(
            self,
            Self::Rate
                | Self::Hold
                | Self::HoldDistribution
                | Self::LognormalSigma
                | Self::SlowShare
                | Self::SlowHold
                | Self::Connect
                | Self::Database
                | Self::DbShare
                | Self::DbContention
                | Self::DbCoherency
                | Self::DbConnectCpu
                | Self::Balancer
                | Self::HealthCheck
                | Self::LeakProbability
                | Self::AlertAbove(_)
        )
    }

    /// Label, unit, range and help of this knob's field in `scenario` (alert fields depend
    /// on the rule): a number input of the settings panel, the hold-time shape a choice,
    /// modelling the database a switch.
    pub fn spec(self, scenario: &Scenario) -> FieldSpec {
        let timeout_max = MAX_TIMEOUT_MS as f64;
        let base =
            |id: &str, label: &str, unit: &'static str, min: f64, max: f64, step: &'static str| FieldSpec {
                min: Some(min),
                max: Some(max),
                step: Some(step),
                whole: self.is_whole(),
                ..FieldSpec::new(Panel::Controls, id, label, unit, Entry::Number)
            };
        let with = |spec: FieldSpec, setting: Option<(&'static str, &'static str)>, help: &str| FieldSpec {
            setting,
            help: help.to_owned(),
            ..spec
        };
        match self {
            Self::Rate => with(
                base("rate", "Arrival rate", "req/s", 0.0, MAX_RATE_PER_S, "1"),
                None,
                "New requests per second (Poisson arrivals), as your dashboard's request rate shows.",
            ),
            Self::RetryAttempts => with(
                base("retry-attempts", "Retries", "", 0.0, f64::from(MAX_RETRY_ATTEMPTS), "1"),
                Some(("Spring Retry", "maxAttempts")),
                " minus one: how often a client retries a failed request. 0 = never.",
            ),
            Self::RetryBackoff => with(
                base("retry-backoff", "Retry backoff", "ms", 0.0, timeout_max, "100"),
                Some(("Spring Retry", "backOffPeriod")),
                ": the pause before each retry.",
            ),
            Self::Deadline => with(
                base("deadline", "Caller deadline", "ms", 0.0, timeout_max, "1000"),
                None,
                "How long a caller waits for an answer before it gives up (0 = for ever); the pool \
                 still serves what it gave up on: wasted work.",
            ),
            Self::Threads => FieldSpec {
                placeholder: Some("off"),
                ..with(
                    base("threads", "Request threads", "threads", 1.0, f64::from(MAX_THREADS), "1"),
                    Some(("Tomcat", "maxThreads")),
                    " (default 200): requests served at once, each holding its thread while it waits \
                     for a connection. Empty = not modelled.",
                )
            },
            Self::AcceptQueue => with(
                base("accept-queue", "Accept queue", "req", 0.0, f64::from(MAX_WAITING), "1"),
                Some(("Tomcat", "acceptCount")),
                " (default 100): requests waiting for a thread; the next is refused.",
            ),
            Self::HealthCheck => {
                let options = HEALTH_CHECKS.iter().map(|(value, label)| ((*value).into(), (*label).into()));
                with(
                    FieldSpec::new(
                        Panel::Controls,
                        "health-check",
                        "Health checks",
                        "",
                        Entry::Choice(options.collect()),
                    ),
                    None,
                    "What the load balancer's health check does: deep runs SELECT 1 through the \
                     instance's pool, so an exhausted pool takes the instance out.",
                )
            }
            Self::Hold => with(
                base("hold", "Mean hold time", "ms", 0.1, MAX_HOLD_MS, "any"),
                None,
                "How long a request keeps its connection: query time plus ~0.2–0.7 ms round trip.",
            ),
            Self::HoldDistribution => {
                let options =
                    DISTRIBUTIONS.iter().map(|(_, value, label)| ((*value).into(), (*label).into()));
                with(
                    FieldSpec::new(
                        Panel::Controls,
                        "hold-distribution",
                        "Hold-time shape",
                        "",
                        Entry::Choice(options.collect()),
                    ),
                    None,
                    "How hold times spread around the mean.",
                )
            }
            Self::LognormalSigma => with(
                base("lognormal-sigma", "Log-normal σ", "", 0.1, MAX_LOGNORMAL_SIGMA, "0.1"),
                None,
                "Shape of the tail: higher = rarer, longer holds (1 is typical).",
            ),
            Self::SlowShare => with(
                base("slow-share", "Slow-query share", "0–1", 0.0, 1.0, "0.01"),
                None,
                "Share of requests that run a slow query instead (0.01 = 1 %).",
            ),
            Self::SlowHold => with(
                base("slow-hold", "Slow-query hold", "ms", 0.1, MAX_HOLD_MS, "any"),
                None,
                "Mean hold time of a slow query.",
            ),
            Self::MaxSize => with(
                base("pool-size", "Max pool size", "conns", 1.0, f64::from(MAX_POOL_SIZE), "1"),
                Some(("HikariCP", "maximumPoolSize")),
                ": most connections, opening ones included.",
            ),
            Self::MinIdle => FieldSpec {
                placeholder: Some("= max"),
                ..with(
                    base("min-idle", "Min idle", "conns", 0.0, f64::from(MAX_POOL_SIZE), "1"),
                    Some(("HikariCP", "minimumIdle")),
                    ": idle connections kept ready. Empty = same as max pool size (HikariCP's default).",
                )
            },
            Self::ConnectionTimeout => with(
                base("connection-timeout", "Connection timeout", "ms", 0.0, timeout_max, "1000"),
                Some(("HikariCP", "connectionTimeout")),
                ": how long a request waits for a connection before it fails. 0 = for ever.",
            ),
            Self::IdleTimeout => with(
                base("idle-timeout", "Idle timeout", "ms", 0.0, timeout_max, "1000"),
                Some(("HikariCP", "idleTimeout")),
                ": idle connections above min idle close after this. 0 = never.",
            ),
            Self::MaxLifetime => with(
                base("max-lifetime", "Max lifetime", "ms", 0.0, timeout_max, "1000"),
                Some(("HikariCP", "maxLifetime")),
                ": idle connections older than this are retired. 0 = never.",
            ),
            Self::Connect => with(
                base("connect", "Connect time", "ms", 0.0, MAX_CONNECT_MS, "any"),
                None,
                "Time to open one connection (TCP, TLS, login); the pool opens them one at a time.",
            ),
            Self::Database => with(
                FieldSpec::new(Panel::Controls, "database", "Model the database", "", Entry::Switch),
                None,
                "Off: the database keeps up with any load. On: queries share its CPU cores and it \
                 accepts a limited number of connections, starting from PostgreSQL's defaults.",
            ),
            Self::Instances => with(
                base("instances", "Instances", "apps", 1.0, f64::from(MAX_INSTANCES), "1"),
                None,
                "Copies of the application, each with its own pool of the size above, behind a load \
                 balancer and sharing the traffic and the database. 1 = a single application.",
            ),
            Self::Balancer => {
                let options =
                    Balancer::ALL.iter().map(|(_, name)| ((*name).into(), balancer_label(name).into()));
                with(
                    FieldSpec::new(
                        Panel::Controls,
                        "balancer",
                        "Load balancer",
                        "",
                        Entry::Choice(options.collect()),
                    ),
                    None,
                    "How each request picks an instance. Least outstanding sees each instance's queue.",
                )
            }
            Self::DbCores => with(
                base("db-cores", "Database cores", "cores", 1.0, f64::from(MAX_CORES), "1"),
                None,
                "CPU cores: how many queries run at full speed at once; more share them and run slower.",
            ),
            Self::DbShare => with(
                base("db-share", "Time in the database", "0–1", 0.0, 1.0, "0.05"),
                None,
                "Share of each hold spent running the query (1 = all of it); the rest of the time \
                 the application keeps the connection without using the database.",
            ),
            Self::DbContention => with(
                base("db-contention", "Contention σ", "0–1", 0.0, 1.0, "0.01"),
                None,
                "Share of the work that runs one query at a time (locks, a hot row): 0.02 = 2 %. \
                 Below 1 (the Universal Scalability Law's σ).",
            ),
            Self::DbCoherency => with(
                base("db-coherency", "Coherency κ", "0–1", 0.0, 1.0, "0.0001"),
                None,
                "Cost of keeping every pair of running queries in step (cache lines, the buffer \
                 pool): 0.0005 is already a lot; past a point more connections make every query \
                 slower (the Universal Scalability Law's κ).",
            ),
            Self::DbMaxConnections => with(
                base(
                    "db-max-connections",
                    "Max connections",
                    "conns",
                    1.0,
                    f64::from(MAX_DB_CONNECTIONS),
                    "1",
                ),
                Some(("PostgreSQL", "max_connections")),
                " (default 100): most connections the database accepts, those being opened \
                 included; it refuses the next.",
            ),
            Self::DbReserved => with(
                base("db-reserved", "Reserved connections", "conns", 0.0, f64::from(MAX_DB_CONNECTIONS), "1"),
                Some(("PostgreSQL", "superuser_reserved_connections")),
                " (default 3): slots of max connections kept for superusers; the application may \
                 hold the rest.",
            ),
            Self::DbConnectCpu => with(
                base("db-connect-cpu", "CPU per new connection", "ms", 0.0, MAX_CONNECT_MS, "0.1"),
                None,
                "Database CPU a new connection costs (backend start and authentication: about 6 ms \
                 on PostgreSQL 15), shared with the queries: a restart storm slows every query. \
                 0 = free.",
            ),
            Self::LeakProbability => with(
                base("leak", "Leak probability", "0–1", 0.0, 1.0, "0.0001"),
                None,
                "Chance that a served request never returns its connection (a leaky deploy). 0 = no leak.",
            ),
            Self::LeakDetection => with(
                base("leak-detection", "Leak detection", "ms", 0.0, timeout_max, "1000"),
                Some(("HikariCP", "leakDetectionThreshold")),
                ": log connections out longer than this. It only logs: nothing is reclaimed. 0 = off.",
            ),
            Self::Abandoned => with(
                base("abandoned", "Reclaim abandoned", "ms", 0.0, timeout_max, "1000"),
                Some(("Tomcat", "removeAbandonedTimeout")),
                " (Tomcat counts seconds): close connections out longer than this and free the slot. 0 = off.",
            ),
            Self::AlertAbove(i) => {
                let rule = scenario.alerts.get(i);
                let metric = rule.map_or(AlertMetric::Usage, |r| r.metric);
                let (unit, max, step) = match metric {
                    AlertMetric::Usage => ("0–1", 1.0, "0.05"),
                    AlertMetric::Active => ("conns", f64::from(MAX_POOL_SIZE), "1"),
                    AlertMetric::Pending | AlertMetric::Timeouts | AlertMetric::Failed => {
                        ("req", MAX_RATE_PER_S, "1")
                    }
                    AlertMetric::AcquireP99Ms => ("ms", timeout_max, "any"),
                };
                with(
                    base(&format!("alert-{i}-above"), "Above", unit, 0.0, max, step),
                    None,
                    &format!("Fires when {} is above this.", metric.name()),
                )
            }
            Self::AlertFor(i) => with(
                base(&format!("alert-{i}-for"), "For", "s", 0.0, MAX_DURATION_S as f64, "1"),
                Some(("Prometheus", "for:")),
                " — how long the condition must hold before the alert fires.",
            ),
            Self::Seed => with(
                base("seed", "Seed", "", 0.0, u64::MAX as f64, "1"),
                None,
                "Seed of every random draw: the same seed replays the same run, bit for bit.",
            ),
            Self::Duration => with(
                base("duration", "Run length", "s", 1.0, MAX_DURATION_S as f64, "60"),
                None,
                "Simulated time from start to end (3600 = one hour).",
            ),
        }
    }

    /// The knob's value in `scenario`, as text the field shows.
    pub fn read(self, s: &Scenario) -> String {
        let rule = |i: usize| s.alerts.get(i);
        let db = |value: fn(&DatabaseConfig) -> String| s.database.as_ref().map(value).unwrap_or_default();
        match self {
            Self::Rate => parse::show(s.traffic.rate_per_s),
            Self::RetryAttempts => s.traffic.retry.attempts.to_string(),
            Self::RetryBackoff => s.traffic.retry.backoff_ms.to_string(),
            Self::Deadline => s.traffic.deadline_ms.to_string(),
            Self::Threads => s.app.as_ref().map(|a| a.threads.to_string()).unwrap_or_default(),
            Self::AcceptQueue => s.app.as_ref().map(|a| a.accept_queue.to_string()).unwrap_or_default(),
            Self::HealthCheck => health_check_name(s.health_check.as_ref().map(|h| h.mode)).to_owned(),
            Self::Hold => parse::show(s.work.hold_ms),
            Self::HoldDistribution => distribution_name(s.work.hold_distribution).to_owned(),
            Self::LognormalSigma => parse::show(s.work.lognormal_sigma),
            Self::SlowShare => parse::show(s.work.slow_share),
            Self::SlowHold => parse::show(s.work.slow_hold_ms),
            Self::MaxSize => s.pool.max_size.to_string(),
            Self::MinIdle => s.pool.min_idle.map(|m| m.to_string()).unwrap_or_default(),
            Self::ConnectionTimeout => s.pool.connection_timeout_ms.to_string(),
            Self::IdleTimeout => s.pool.idle_timeout_ms.to_string(),
            Self::MaxLifetime => s.pool.max_lifetime_ms.to_string(),
            Self::Connect => parse::show(s.pool.connect_ms),
            Self::Database => parse::show_on_off(s.database.is_some()).to_owned(),
            Self::DbCores => db(|d| d.cores.to_string()),
            Self::DbShare => db(|d| parse::show(d.db_share)),
            Self::DbContention => db(|d| parse::show(d.contention)),
            Self::DbCoherency => db(|d| parse::show(d.coherency)),
            Self::DbMaxConnections => db(|d| d.max_connections.to_string()),
            Self::DbReserved => db(|d| d.reserved_connections.to_string()),
            Self::DbConnectCpu => db(|d| parse::show(d.connect_cpu_ms)),
            Self::Instances => FleetConfig::instances_of(s).to_string(),
            Self::Balancer => s.fleet.as_ref().map_or(Balancer::default(), |f| f.balancer).name().to_owned(),
            Self::LeakProbability => parse::show(s.leak.probability),
            Self::LeakDetection => s.pool.leak_detection_threshold_ms.to_string(),
            Self::Abandoned => s.pool.abandoned_timeout_ms.to_string(),
            Self::AlertAbove(i) => rule(i).map(|r| parse::show(r.above)).unwrap_or_default(),
            Self::AlertFor(i) => rule(i).map(|r| r.for_s.to_string()).unwrap_or_default(),
            Self::Seed => s.seed.to_string(),
            Self::Duration => s.duration_s.to_string(),
        }
    }

    /// The value the running engine uses now, for knobs the timeline or a live fix can
    /// change (`None` for the others).
    pub fn read_now(self, now: &Settings) -> Option<String> {
        Some(match self {
            Self::Rate => parse::show(now.rate_per_s),
            Self::Hold => parse::show(now.hold_ms),
            Self::MaxSize => now.max_size.to_string(),
            Self::ConnectionTimeout => now.connection_timeout_ms.to_string(),
            Self::LeakProbability => parse::show(now.leak_probability),
            Self::LeakDetection => now.leak_detection_threshold_ms.to_string(),
            Self::Abandoned => now.abandoned_timeout_ms.to_string(),
            _ => return None,
        })
    }

    /// `current` with this knob set from `text`: the candidate to validate.
    /// Errors are the reason the text is not a value (the range is checked later).
    pub fn write(self, text: &str, current: &Scenario) -> Result<Scenario, String> {
        let mut s = current.clone();
        match self {
            Self::Rate => s.traffic.rate_per_s = parse::decimal(text)?,
            Self::RetryAttempts => s.traffic.retry.attempts = parse::whole_u32(text)?,
            Self::RetryBackoff => s.traffic.retry.backoff_ms = parse::whole(text)?,
            Self::Deadline => s.traffic.deadline_ms = parse::whole(text)?,
            // Empty drops the threads; a number keeps the accept queue set before.
            Self::Threads => {
                s.app = parse::optional_u32(text)?
                    .map(|threads| AppConfig { threads, ..s.app.take().unwrap_or_default() });
            }
            Self::AcceptQueue => {
                s.app
                    .as_mut()
                    .ok_or_else(|| "request threads are not modelled: set them first".to_owned())?
                    .accept_queue = parse::whole_u32(text)?;
            }
            Self::HealthCheck => {
                let mode = HEALTH_CHECKS
                    .iter()
                    .position(|(name, _)| *name == text)
                    .ok_or_else(|| format!("“{text}” is not a health check poolsim knows"))?;
                s.health_check = [None, Some(HealthMode::Shallow), Some(HealthMode::Deep)][mode]
                    .map(|mode| HealthCheckConfig { mode, ..s.health_check.take().unwrap_or_default() });
            }
            Self::Hold => s.work.hold_ms = parse::decimal(text)?,
            Self::HoldDistribution => {
                s.work.hold_distribution = DISTRIBUTIONS
                    .iter()
                    .find(|(_, name, _)| *name == text)
                    .map(|(d, ..)| *d)
                    .ok_or_else(|| format!("“{text}” is not a distribution poolsim knows"))?;
            }
            Self::LognormalSigma => s.work.lognormal_sigma = parse::decimal(text)?,
            Self::SlowShare => s.work.slow_share = parse::decimal(text)?,
            Self::SlowHold => s.work.slow_hold_ms = parse::decimal(text)?,
            // HikariCP resets a minimumIdle above maximumPoolSize to maximumPoolSize.
            Self::MaxSize => s.pool.set_max_size(parse::whole_u32(text)?),
            Self::MinIdle => s.pool.min_idle = parse::optional_u32(text)?,
            Self::ConnectionTimeout => s.pool.connection_timeout_ms = parse::whole(text)?,
            Self::IdleTimeout => s.pool.idle_timeout_ms = parse::whole(text)?,
            Self::MaxLifetime => s.pool.max_lifetime_ms = parse::whole(text)?,
            Self::Connect => s.pool.connect_ms = parse::decimal(text)?,
            Self::Database => {
                // On keeps the settings already there; off drops them.
                let on = parse::on_off(text)?;
                s.database = if on { Some(s.database.take().unwrap_or_default()) } else { None };
            }
            Self::DbCores => database(&mut s)?.cores = parse::whole_u32(text)?,
            Self::DbShare => database(&mut s)?.db_share = parse::decimal(text)?,
            Self::DbContention => database(&mut s)?.contention = parse::decimal(text)?,
            Self::DbCoherency => database(&mut s)?.coherency = parse::decimal(text)?,
            Self::DbMaxConnections => database(&mut s)?.max_connections = parse::whole_u32(text)?,
            Self::DbReserved => database(&mut s)?.reserved_connections = parse::whole_u32(text)?,
            Self::DbConnectCpu => database(&mut s)?.connect_cpu_ms = parse::decimal(text)?,
            // 1 drops the fleet (one application); more keeps the balancer chosen.
            Self::Instances => {
                FleetConfig::set_instances(&mut s, parse::whole_u32(text)?);
                // Health checks are the balancer's: one application has none.
                if s.fleet.is_none() {
                    s.health_check = None;
                }
            }
            Self::Balancer => {
                let balancer = Balancer::ALL
                    .iter()
                    .find(|(_, name)| *name == text)
                    .map(|(b, _)| *b)
                    .ok_or_else(|| format!("“{text}” is not a load balancer poolsim knows"))?;
                s.fleet
                    .as_mut()
                    .ok_or_else(|| "there is no fleet: set more than one instance first".to_owned())?
                    .balancer = balancer;
            }
            Self::LeakProbability => s.leak.probability = parse::decimal(text)?,
            Self::LeakDetection => s.pool.leak_detection_threshold_ms = parse::whole(text)?,
            Self::Abandoned => s.pool.abandoned_timeout_ms = parse::whole(text)?,
            Self::AlertAbove(i) => {
                let above = parse::decimal(text)?;
                s.alerts.get_mut(i).ok_or_else(gone)?.above = above;
            }
            Self::AlertFor(i) => {
                let for_s = parse::whole(text)?;
                s.alerts.get_mut(i).ok_or_else(gone)?.for_s = for_s;
            }
            Self::Seed => s.seed = parse::whole(text)?,
            Self::Duration => s.duration_s = parse::whole(text)?,
        }
        Ok(s)
    }

    /// The engine action that applies this knob's value in `next` to a running pool,
    /// or `None` when the change takes effect only on restart.
    pub fn live(self, next: &Scenario) -> Option<Action> {
        Some(match self {
            Self::Rate => Action::SetRate { rate_per_s: next.traffic.rate_per_s },
            Self::Deadline => Action::SetDeadline { deadline_ms: next.traffic.deadline_ms },
            Self::Hold => Action::SetHold { hold_ms: next.work.hold_ms },
            Self::MaxSize | Self::MinIdle => Action::ResizePool {
                max_size: next.pool.max_size,
                // Explicit, so that "empty = same as max" follows a resize as it does at start.
                min_idle: Some(next.pool.effective_min_idle()),
            },
            Self::ConnectionTimeout => {
                Action::SetConnectionTimeout { timeout_ms: next.pool.connection_timeout_ms }
            }
            Self::LeakProbability if next.leak.probability > 0.0 => {
                Action::DeployLeak { probability: next.leak.probability }
            }
            Self::LeakProbability => Action::Rollback,
            Self::LeakDetection => {
                Action::SetLeakDetection { threshold_ms: next.pool.leak_detection_threshold_ms }
            }
            Self::Abandoned => Action::SetAbandonedTimeout { timeout_ms: next.pool.abandoned_timeout_ms },
            _ => return None,
        })
    }
}

/// The health checks offered, as (value, label), in [`HealthMode`] order after "off".
const HEALTH_CHECKS: [(&str, &str); 3] = [
    ("off", "None"),
    ("shallow", "Shallow (without the database)"),
    ("deep", "Deep (SELECT 1 through the pool)"),
];

fn health_check_name(mode: Option<HealthMode>) -> &'static str {
    HEALTH_CHECKS[mode.map_or(0, |m| 1 + m as usize)].0
}

fn gone() -> String {
    "that alert rule no longer exists".to_owned()
}

/// The database settings of `s`, to write one of them.
/// How the page names a load balancer.
fn balancer_label(name: &str) -> &'static str {
    match name {
        "random" => "Random",
        "least_outstanding" => "Least outstanding requests",
        _ => "Round robin",
    }
}

fn database(s: &mut Scenario) -> Result<&mut DatabaseConfig, String> {
    s.database
        .as_mut()
        .ok_or_else(|| "the database is not modelled: turn on “Model the database” first".to_owned())
}

/// The database's settings, shown while it is modelled ([`Knob::Database`] on), in panel order.
pub const DATABASE_KNOBS: [Knob; 7] = [
    Knob::DbCores,
    Knob::DbShare,
    Knob::DbContention,
    Knob::DbCoherency,
    Knob::DbMaxConnections,
    Knob::DbReserved,
    Knob::DbConnectCpu,
];

/// Every knob of `scenario` (the database's while it is modelled, one pair of alert fields
/// per rule), in panel order.
pub fn all_knobs(scenario: &Scenario) -> Vec<Knob> {
    let mut knobs = vec![Knob::Rate, Knob::RetryAttempts, Knob::RetryBackoff, Knob::Deadline, Knob::Threads];
    if scenario.app.is_some() {
        knobs.push(Knob::AcceptQueue);
    }
    knobs.extend([
        Knob::Hold,
        Knob::HoldDistribution,
        Knob::LognormalSigma,
        Knob::SlowShare,
        Knob::SlowHold,
        Knob::MaxSize,
        Knob::MinIdle,
        Knob::ConnectionTimeout,
        Knob::IdleTimeout,
        Knob::MaxLifetime,
        Knob::Connect,
        Knob::Instances,
    ]);
    if scenario.fleet.is_some() {
        knobs.extend([Knob::Balancer, Knob::HealthCheck]);
    }
    knobs.push(Knob::Database);
    if scenario.database.is_some() {
        knobs.extend(DATABASE_KNOBS);
    }
    knobs.extend([Knob::LeakProbability, Knob::LeakDetection, Knob::Abandoned]);
    for i in 0..scenario.alerts.len() {
        knobs.extend([Knob::AlertAbove(i), Knob::AlertFor(i)]);
    }
    knobs.extend([Knob::Seed, Knob::Duration]);
    knobs
}
