//! What the simulation reports: per-second samples (named as in Grafana's
//! HikariCP/Micrometer dashboards), the run summary, and views of the pool.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::time::SimTime;

/// One per-second sample of the pool, taken at `t_s` and covering `(t_s - 1, t_s]`.
///
/// Gauges (`total` … `max`) are the pool's [`Gauges`](crate::Gauges) at `t_s`, each named after its
/// Grafana metric here; counters (`arrivals` … `failed`) and acquire-time percentiles
/// cover the interval.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Sample {
    /// End of the interval [s from the scenario start].
    pub t_s: u32,
    /// The pool's gauges at `t_s` (in JSON, their fields sit beside `t_s`). As Grafana
    /// names them: `total` `hikaricp_connections`, `active` `hikaricp_connections_active`,
    /// `idle` `hikaricp_connections_idle`, `pending` `hikaricp_connections_pending`, `max`
    /// `hikaricp_connections_max`; `opening`, `leaked` and `suspected` only a simulator knows.
    #[serde(flatten)]
    pub gauges: crate::Gauges,
    /// Attempts that arrived in the interval (first tries and retries).
    pub arrivals: u32,
    /// Attempts that got a connection in the interval.
    pub served: u32,
    /// Attempts that timed out waiting in the interval (`hikaricp_connections_timeout_total` increase).
    pub timeouts: u32,
    /// Attempts that failed in the interval for any reason (timeouts included).
    pub failed: u32,
    /// Median acquire time of the attempts that got a connection in the interval [ms].
    pub acquire_p50_ms: f64,
    /// 95th percentile acquire time [ms].
    pub acquire_p95_ms: f64,
    /// 99th percentile acquire time [ms] (`hikaricp_connections_acquire_seconds`).
    pub acquire_p99_ms: f64,
    /// Longest acquire time in the interval [ms].
    pub acquire_max_ms: f64,
}

impl Sample {
    /// active / max, 0..=1 (`hikaricp_connections_usage`); 0 for a pool of size 0.
    pub fn usage(&self) -> f64 {
        let g = &self.gauges;
        if g.max == 0 { 0.0 } else { f64::from(g.active) / f64::from(g.max) }
    }

    /// The gauges `total` … `max`, in declaration order: the order in which the run's
    /// digest hashes them and the CSV export writes them, as the counters and times below.
    pub fn gauge_values(&self) -> [u32; 8] {
        let g = &self.gauges;
        [g.total, g.active, g.idle, g.pending, g.opening, g.leaked, g.suspected, g.max]
    }

    /// The counters `arrivals` … `failed`, in declaration order.
    pub fn counter_values(&self) -> [u32; 4] {
        [self.arrivals, self.served, self.timeouts, self.failed]
    }

    /// The acquire times `acquire_p50_ms` … `acquire_max_ms` [ms], in declaration order.
    pub fn acquire_values_ms(&self) -> [f64; 4] {
        [self.acquire_p50_ms, self.acquire_p95_ms, self.acquire_p99_ms, self.acquire_max_ms]
    }
}

/// The outcome of a run so far. Times are seconds from the scenario start.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Distinct requests that arrived (retries not counted again).
    pub requests: u64,
    /// Attempts, retries included.
    pub attempts: u64,
    /// What came of the requests and connections (in JSON, their fields sit beside `attempts`).
    #[serde(flatten)]
    pub counts: RunCounts,
    /// Attempts refused at once because the pool was full and no more might wait (`max_waiting`).
    pub refused: u64,
    /// Connections opened, the warm start's included (churn shows here: Go's `max_idle`).
    pub connections_opened: u64,
    /// When trouble began and ended (in JSON, their fields sit beside `connections_opened`).
    #[serde(flatten)]
    pub milestones: Milestones,
    /// Mean acquire time of served requests [ms].
    pub mean_wait_ms: f64,
    /// Median acquire time [ms].
    pub p50_wait_ms: f64,
    /// 99th percentile acquire time [ms].
    pub p99_wait_ms: f64,
    /// Longest acquire time [ms].
    pub max_wait_ms: f64,
    /// Alert name → first time it fired, or `None`.
    pub alerts: Firings,
    /// Discrete events the engine processed.
    pub events_processed: u64,
    /// Simulated time covered [s].
    pub simulated_s: f64,
    /// What the database did; `None` when the scenario has no database (unlimited capacity).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database: Option<DatabaseSummary>,
    /// With a fleet, what each instance did, in order; empty (absent) without one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub instances: Vec<InstanceSummary>,
    /// What the callers saw, when the run models them (a deadline, a retry policy, a
    /// breaker, or an action that set one); `None` (absent) otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callers: Option<CallerSummary>,
    /// What the application servers' threads did, when the run models them (`app`, or a
    /// `set_threads` action); `None` (absent) otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app: Option<AppSummary>,
    /// What the load balancer's health checks did, when the run has them; `None` (absent)
    /// otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health: Option<HealthSummary>,
}

/// Each alert rule's name and when it first fired (`None`: it never did), in name order:
/// a map as JSON (`{"Usage90": 3120.0}`). A sorted list, not a `BTreeMap`: the pages that
/// show a summary then carry no map code of their own for it.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(from = "BTreeMap<String, Option<f64>>")]
pub struct Firings(Vec<(String, Option<f64>)>);

impl Firings {
    /// Record that `name` fired at `at` (`None`: not yet); a name given twice keeps its
    /// earliest firing.
    pub fn note(&mut self, name: &str, at: Option<f64>) {
        match self.0.binary_search_by(|(n, _)| n.as_str().cmp(name)) {
            Ok(i) => {
                let kept = &mut self.0[i].1;
                *kept = match (*kept, at) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                };
            }
            Err(i) => self.0.insert(i, (name.to_owned(), at)),
        }
    }

    /// When `name` first fired: `None` for an unknown name, `Some(None)` for one that
    /// never fired.
    pub fn get(&self, name: &str) -> Option<&Option<f64>> {
        self.0.binary_search_by(|(n, _)| n.as_str().cmp(name)).ok().map(|i| &self.0[i].1)
    }

    /// Whether there is a rule named `name`.
    pub fn contains_key(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// The names, in order.
    pub fn keys(&self) -> impl Iterator<Item = &String> + '_ {
        self.0.iter().map(|(n, _)| n)
    }

    /// The firings, in name order.
    pub fn values(&self) -> impl Iterator<Item = &Option<f64>> + '_ {
        self.0.iter().map(|(_, at)| at)
    }

    /// Names and firings, in name order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &Option<f64>)> + '_ {
        self.0.iter().map(|(n, at)| (n, at))
    }

    /// No rules.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Rules.
    pub fn len(&self) -> usize {
        self.0.len()
    }
}

impl<'a> IntoIterator for &'a Firings {
    type Item = (&'a String, &'a Option<f64>);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (String, Option<f64>)>,
        fn(&'a (String, Option<f64>)) -> (&'a String, &'a Option<f64>),
    >;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(n, at)| (n, at))
    }
}

impl From<BTreeMap<String, Option<f64>>> for Firings {
    fn from(map: BTreeMap<String, Option<f64>>) -> Self {
        Firings(map.into_iter().collect())
    }
}

impl FromIterator<(String, Option<f64>)> for Firings {
    fn from_iter<I: IntoIterator<Item = (String, Option<f64>)>>(items: I) -> Self {
        let mut out = Firings::default();
        for (name, at) in items {
            out.note(&name, at);
        }
        out
    }
}

impl Serialize for Firings {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

/// What the callers saw over a run: their attempts, the answers in time (goodput), the
/// work the application did for callers who had given up, and what their retry budget
/// and circuit breaker refused.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CallerSummary {
    /// Attempts sent that were first tries (requests the breaker let through).
    pub first_tries: u64,
    /// Attempts sent that were retries.
    pub retries: u64,
    /// Requests answered before their caller's deadline (all answers without one).
    pub goodput: u64,
    /// `goodput / requests`, 0 to 1.
    pub goodput_share: f64,
    /// Attempts whose caller gave up at its deadline before an answer.
    pub gave_up: u64,
    /// Of those, the attempts the pool served anyway (or was serving when the caller gave
    /// up): wasted work.
    pub served_late: u64,
    /// Retries the retry budget did not pay for (their requests failed).
    pub retries_denied: u64,
    /// Calls the circuit breaker failed at once (their requests failed, not retried).
    pub breaker_rejected: u64,
    /// Times the breaker opened.
    pub breaker_opened: u64,
}

/// A circuit breaker's state.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BreakerState {
    /// Calls go through (also: no breaker).
    #[default]
    Closed,
    /// Every call fails at once.
    Open,
    /// A few probe calls go through.
    HalfOpen,
}

impl BreakerState {
    /// As a number for a sample or a CSV column: 0 closed, 1 open, 2 half open.
    pub fn code(self) -> u32 {
        match self {
            Self::Closed => 0,
            Self::Open => 1,
            Self::HalfOpen => 2,
        }
    }
}

/// What the callers saw in one simulated second, taken beside each [`Sample`] (the same
/// `t_s`): their attempts by first try and retry, the answers in time, and what went to
/// waste or was refused.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CallerSample {
    /// End of the interval [s from the scenario start], as the [`Sample`] beside it.
    pub t_s: u32,
    /// Attempts sent in the interval that were first tries (the sample's `arrivals` less
    /// `retries`).
    pub first_tries: u32,
    /// Attempts sent in the interval that were retries.
    pub retries: u32,
    /// Requests answered in the interval before their caller's deadline: the goodput,
    /// beside the sample's `served` (the throughput).
    pub goodput: u32,
    /// Callers that gave up at their deadline in the interval.
    pub gave_up: u32,
    /// Attempts served for a caller already gone (or held when it gave up): wasted work.
    pub served_late: u32,
    /// Retries the budget refused in the interval.
    pub retries_denied: u32,
    /// Calls the breaker failed at once in the interval.
    pub breaker_rejected: u32,
    /// The breaker at `t_s` ([`BreakerState::code`]: 0 closed or none, 1 open, 2 half open).
    pub breaker: u32,
}

impl CallerSample {
    /// The values after `t_s`, in declaration order: the order the digest hashes them
    /// and the CSV writes them.
    pub fn values(&self) -> [u32; 8] {
        [
            self.first_tries,
            self.retries,
            self.goodput,
            self.gave_up,
            self.served_late,
            self.retries_denied,
            self.breaker_rejected,
            self.breaker,
        ]
    }
}

/// The application servers in one simulated second, taken beside each [`Sample`] (the
/// same `t_s`): their request threads, their accept queues, the attempts they refused,
/// and the instances in the load balancer. Summed over a fleet's instances.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AppSample {
    /// End of the interval [s from the scenario start], as the [`Sample`] beside it.
    pub t_s: u32,
    /// Request threads held at `t_s`.
    pub threads_busy: u32,
    /// Attempts waiting for a thread at `t_s`.
    pub accept_queue: u32,
    /// Attempts refused at once in the interval: every thread busy and the accept queue
    /// full, or no instance in the load balancer.
    pub rejected: u32,
    /// Instances in the load balancer at `t_s`.
    pub in_balancer: u32,
}

impl AppSample {
    /// The threads' values (`threads_busy`, `accept_queue`, `rejected`): the order the
    /// digest hashes them and the CSV writes them.
    pub fn thread_values(&self) -> [u32; 3] {
        [self.threads_busy, self.accept_queue, self.rejected]
    }
}

/// One instance's pool at the end of a simulated second, recorded only when asked
/// ([`Simulation::record_instance_samples`](crate::Simulation::record_instance_samples)):
/// a fleet of 200 instances over a day would otherwise keep some 17 million of them.
/// The fleet's [`Sample`] holds their sums.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct InstanceSample {
    /// Connections in use, leaked ones included.
    pub active: u32,
    /// Idle connections.
    pub idle: u32,
    /// Requests waiting for a connection.
    pub pending: u32,
    /// Of `active`, connections that will never come back.
    pub leaked: u32,
    /// Attempts that timed out waiting here in the second.
    pub timeouts: u32,
}

impl InstanceSample {
    /// Its values in declaration order: the order the CSV writes them.
    pub fn values(&self) -> [u32; 5] {
        [self.active, self.idle, self.pending, self.leaked, self.timeouts]
    }
}

/// What the application servers did over a run that models their request threads.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AppSummary {
    /// Request threads per instance now (the first instance's in a fleet).
    pub threads: u32,
    /// Most threads held at once (on one instance).
    pub peak_threads_busy: u32,
    /// Most attempts waiting for a thread at once (on one instance).
    pub peak_accept_queue: u32,
    /// Attempts refused at once: every thread busy and the accept queue full.
    pub rejected: u64,
    /// Requests that needed no database and got a thread.
    pub no_db_requests: u64,
    /// Of those, answered before their caller's deadline.
    pub no_db_answered: u64,
}

/// What the load balancer's health checks did over a run.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct HealthSummary {
    /// Checks run, every instance's.
    pub checks: u64,
    /// Of those, failed.
    pub failed_checks: u64,
    /// Times an instance left the balancer.
    pub left_balancer: u64,
    /// Times one came back.
    pub returned: u64,
    /// Restarts of instances out of the balancer too long.
    pub restarts: u64,
    /// Starts that failed (the pool could not open `min_idle` connections in time).
    pub failed_starts: u64,
    /// Attempts refused because no instance was in the balancer ("no healthy upstream").
    pub no_healthy_upstream: u64,
    /// Fewest instances in the balancer at once.
    pub min_in_balancer: u32,
    /// Instances in the balancer at the end.
    pub in_balancer: u32,
}

/// What one instance of a fleet did over the run so far. Times are seconds from the
/// scenario start; a request's outcome belongs to the instance of its last attempt.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct InstanceSummary {
    /// Its number, from 1 (`app-1`).
    pub instance: u32,
    /// First attempts the balancer sent it.
    pub requests: u64,
    /// Attempts it received, retries included.
    pub attempts: u64,
    /// Attempts that got a connection.
    pub served: u64,
    /// Attempts that timed out waiting.
    pub timed_out: u64,
    /// Attempts refused at once (the pool full and no more may wait).
    pub refused: u64,
    /// Requests whose last attempt failed here.
    pub failed: u64,
    /// Connections leaked.
    pub leaked: u64,
    /// Connections closed by abandoned reclaim.
    pub reclaimed: u64,
    /// Connections opened.
    pub connections_opened: u64,
    /// Its pool first ran out.
    pub first_exhaustion_s: Option<f64>,
    /// Its first acquire timeout.
    pub first_timeout_s: Option<f64>,
    /// Its `maximumPoolSize` now.
    pub max_size: u32,
    /// Its leak probability now.
    pub leak_probability: f64,
}

impl Summary {
    /// Mean response as the pool and the database make it [ms]: the mean wait for a
    /// connection plus the mean time a query spent in the database. The part of a hold
    /// spent outside the database (`db_share` below 1) does not depend on either, and is
    /// left out. `None` without a database (a hold is then not a query).
    pub fn mean_response_ms(&self) -> Option<f64> {
        self.database.as_ref().map(|db| self.mean_wait_ms + db.mean_query_ms)
    }
}

/// The database at the end of one simulated second, and what it did in that second (a
/// run with a database takes one beside each [`Sample`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DatabaseSample {
    /// End of the interval [s from the scenario start], as the [`Sample`] beside it.
    pub t_s: u32,
    /// Queries running at `t_s`.
    pub running: u32,
    /// Connections open at `t_s` (against `max_connections − reserved_connections`).
    pub connections: u32,
    /// Queries finished in the interval.
    pub queries: u32,
    /// Their mean time in the database [ms]; 0 when none finished.
    pub query_ms: f64,
    /// Their time ÷ their time alone; 1 when none finished.
    pub stretch: f64,
    /// Share of the cores' time busy in the interval, 0–1.
    pub utilisation: f64,
    /// Opens the database refused in the interval.
    pub refused_opens: u32,
}

impl DatabaseSample {
    /// The values after `t_s`, in declaration order: the order the digest hashes them
    /// and the CSV writes them.
    pub fn values(&self) -> ([u32; 3], [f64; 3], u32) {
        (
            [self.running, self.connections, self.queries],
            [self.query_ms, self.stretch, self.utilisation],
            self.refused_opens,
        )
    }
}

/// What the database behind the pool did over a run.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DatabaseSummary {
    /// Queries finished.
    pub queries: u64,
    /// Mean time a query spent in the database [ms]: beside the mean acquire time, it
    /// shows where a request's time goes.
    pub mean_query_ms: f64,
    /// Query time ÷ the same queries' time alone (1 = the crowd slowed nothing): how much
    /// running many queries at once stretched them.
    pub mean_stretch: f64,
    /// The worst stretch of one query.
    pub max_stretch: f64,
    /// Most queries running at once.
    pub peak_running: u32,
    /// Share of the cores' time they were busy, 0–1.
    pub utilisation: f64,
    /// Most connections open at once.
    pub peak_connections: u32,
    /// Opens the database refused (`max_connections`).
    pub refused_opens: u64,
}

/// What came of a run's requests and connections: served, timed out, failed, leaked,
/// reclaimed. Both a run's [`Summary`] and a comparison row carry these counts, flattened
/// into their JSON, so each is declared (and documented) here once.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RunCounts {
    /// Requests that got a connection.
    pub served: u64,
    /// Attempts that timed out waiting for a connection.
    pub timed_out: u64,
    /// Requests that finally failed (after their retries): timeouts, restarts, reclaimed holders.
    pub failed: u64,
    /// Share of the requests that failed (`failed / requests`), 0..=1.
    pub failed_share: f64,
    /// Connections leaked.
    pub leaked: u64,
    /// Connections closed by abandoned reclaim, leaked or still in use.
    pub reclaimed: u64,
}

/// When a run's trouble began and ended [s from the scenario start]; `None`: it did not
/// happen (yet).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Milestones {
    /// First time every connection was in use with a request waiting.
    pub first_exhaustion_s: Option<f64>,
    /// First acquire timeout.
    pub first_timeout_s: Option<f64>,
    /// First attempt refused at once (`max_waiting`): a pool that lets no more wait.
    pub first_refusal_s: Option<f64>,
    /// After failures began: when the last failure happened, if the run then stayed healthy to its end.
    pub recovered_s: Option<f64>,
}

/// The state of one connection, as the simulator knows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConnState {
    /// Being opened; not yet usable.
    Opening,
    /// In the pool, ready.
    Idle,
    /// Held by a request that will return it.
    Active,
    /// Held by a request that will never return it (the pool counts it as active).
    Leaked,
}

/// A connection as the page draws it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConnectionView {
    /// Stable id while the connection lives (slot ids are reused after close).
    pub id: u32,
    /// Current state.
    pub state: ConnState,
    /// When it entered this state [µs in JSON].
    pub since_us: SimTime,
    /// For `Active`: when the hold ends [µs in JSON]; for `Opening`: when it is ready.
    pub until_us: Option<SimTime>,
    /// Request holding it (`Active`, `Leaked`).
    pub holder: Option<u64>,
    /// Flagged by leak detection.
    pub suspected: bool,
    /// Held for a request whose caller gave up at its deadline: wasted work.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub orphaned: bool,
}

/// Severity of a log line, as HikariCP logs it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LogLevel {
    Info,
    Warn,
    Error,
}

/// What a log line is about, so the page can group and count them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LogKind {
    /// `Connection is not available, request timed out after …`
    Timeout,
    /// `Connection leak detection triggered for …`
    LeakDetected,
    /// `Previously reported leaked connection … was returned to the pool (unleaked)`
    Unleaked,
    /// An abandoned connection was closed.
    Abandoned,
    /// A request failed for another reason (restart, reclaimed holder, downtime).
    RequestFailed,
    /// The pool first ran out.
    Exhausted,
    /// An alert rule fired.
    Alert,
    /// A timeline action took effect (resize, restart, deploy, rollback, note …).
    Action,
    /// Housekeeping closed or retired connections.
    Housekeeping,
    /// The database refused a connection (`max_connections`).
    Database,
    /// A caller gave up at its deadline.
    Client,
    /// The callers' circuit breaker changed state (opened, half open, closed).
    Breaker,
    /// The load balancer's health checks: an instance left or returned, restarted, started.
    Health,
}

/// One line of the event log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LogEntry {
    /// Position in the whole log (keeps counting when old lines are dropped).
    pub seq: u64,
    /// When [µs from the scenario start in JSON].
    pub t_us: SimTime,
    /// Severity.
    pub level: LogLevel,
    /// Kind, for grouping.
    pub kind: LogKind,
    /// The message, worded as HikariCP words it.
    pub message: String,
    /// In a fleet, the instance whose line it is (from 1); absent for the run's own lines
    /// and without a fleet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance: Option<u32>,
}

/// An alert rule's first firing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AlertFiring {
    /// Rule name.
    pub name: String,
    /// When it fired [s from the scenario start].
    pub at_s: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The flattened groups keep the summary's JSON flat and in its documented key order,
    /// and it reads back.
    #[test]
    fn a_summary_is_flat_in_json_and_reads_back() {
        let summary = Summary {
            requests: 8,
            counts: RunCounts { served: 6, failed: 2, failed_share: 0.25, ..RunCounts::default() },
            milestones: Milestones { first_timeout_s: Some(1.5), ..Milestones::default() },
            alerts: [("pool".to_owned(), Some(2.5))].into_iter().collect(),
            ..Summary::default()
        };
        let json = serde_json::to_string(&summary).expect("serialises");
        assert!(json.starts_with(r#"{"requests":8,"attempts":0,"served":6,"timed_out":0,"#), "{json}");
        assert!(
            json.contains(r#""reclaimed":0,"refused":0,"connections_opened":0,"first_exhaustion_s":null,"#)
        );
        assert!(json.contains(r#""recovered_s":null,"mean_wait_ms":0.0,"#), "{json}");
        assert_eq!(serde_json::from_str::<Summary>(&json).expect("reads back"), summary);
    }

    #[test]
    fn alert_firings_are_a_map_in_name_order_keeping_the_earliest() {
        let mut f = Firings::default();
        f.note("Usage90", None);
        f.note("FailedLogins", Some(120.0));
        f.note("Usage90", Some(300.0));
        f.note("Usage90", Some(240.0));
        f.note("FailedLogins", None);
        assert_eq!(f.keys().map(String::as_str).collect::<Vec<_>>(), ["FailedLogins", "Usage90"]);
        assert_eq!(f.get("Usage90"), Some(&Some(240.0)));
        assert_eq!(f.get("FailedLogins"), Some(&Some(120.0)), "a later silence does not undo a firing");
        assert_eq!(f.get("Other"), None);
        let json = serde_json::to_string(&f).expect("json");
        assert_eq!(json, r#"{"FailedLogins":120.0,"Usage90":240.0}"#);
        assert_eq!(serde_json::from_str::<Firings>(&json).expect("reads back"), f);
    }
}
