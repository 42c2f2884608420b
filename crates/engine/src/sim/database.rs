//! The database's cores, shared by the queries running at once: egalitarian processor
//! sharing with the Universal Scalability Law as its capacity.
//!
//! With n queries running, each progresses at `capacity(n) / n` of its speed alone
//! ([`usl_capacity`]). Simulated exactly with virtual time: `virtual_us` is the work
//! [µs of uncontended time] every running query has received since the start; it grows
//! at `capacity(n) / n` per µs. A query that starts at virtual time V with work w
//! finishes when the virtual time reaches its tag `V + w`, so the queries finish in tag
//! order: one heap of tags, and one pending completion, rescheduled whenever n changes —
//! O(log n) per query, never a pass over the running ones.
//!
//! The arithmetic is `f64` (+, −, ×, ÷ and `min` only: bit-identical on every platform);
//! a completion is scheduled at the first whole microsecond at or after its exact time.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::analytic::usl_capacity;
use crate::metrics::{DatabaseSample, DatabaseSummary};
use crate::scenario::DatabaseConfig;
use crate::sim::instance::InstanceId;
use crate::time::{SimDuration, SimTime, ceil_u64, round_u64};

/// A sample's interval [µs].
const SAMPLE_SPAN_US: f64 = 1_000_000.0;

/// Work left below this counts as done [µs]: the rounding of a sum of f64 steps, far
/// below the simulation's microsecond.
const DONE_EPSILON_US: f64 = 1e-3;

/// What the database runs for a connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum JobKind {
    /// A query: counted in the totals (time, stretch).
    Query,
    /// A new connection's backend start and authentication (`connect_cpu_ms`).
    Open,
    /// A closed connection's backend exit (`close_cpu_ms`): it takes its share of the
    /// cores, and nobody waits for it.
    Close,
    /// A health check's `SELECT 1`: it takes its share of the cores, but is nobody's
    /// query (not counted in the totals).
    Probe,
}

/// What a running query belongs to, handed back when it finishes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Job {
    pub(crate) kind: JobKind,
    /// The instance whose connection it is.
    pub(crate) inst: InstanceId,
    /// The connection running it.
    pub(crate) conn: u32,
    /// The connection's lease when the query started (a query whose connection was
    /// taken away meanwhile still runs in the database: it only comes back stale).
    pub(crate) lease: u32,
    /// Time the application keeps the connection after the query (for an open: the rest
    /// of `connect_ms`, network and client work).
    pub(crate) after: SimDuration,
}

/// A running query, ordered by its finish tag in virtual time, then by start order.
///
/// The tag is non-negative, and for non-negative `f64`s the order of their bits is their
/// numeric order, so the tag is kept as bits and every field derives its order (`seq` is
/// unique: the fields after it never decide).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Running {
    tag_bits: u64,
    seq: u64,
    job: Job,
    /// Its time alone and when it started, for the stretch.
    work: SimDuration,
    started: SimTime,
}

impl Running {
    fn tag(&self) -> f64 {
        f64::from_bits(self.tag_bits)
    }
}

/// What the database did over the run so far.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct DbTotals {
    /// Queries finished.
    pub(crate) queries: u64,
    /// Their time in the database, summed [µs].
    pub(crate) query_us: u64,
    /// Their time alone, summed [µs]: `query_us / work_us` is the mean stretch by time.
    pub(crate) work_us: u64,
    /// The longest stretch of one query (time taken ÷ time alone).
    pub(crate) max_stretch: f64,
    /// Most queries running at once.
    pub(crate) peak_running: u32,
    /// Core time used [core·µs] (cores busy × time), for the utilisation.
    pub(crate) busy_core_us: f64,
}

/// PostgreSQL's refusal when the slots left are the superusers' (SQLSTATE 53300).
const RESERVED_FATAL: &str =
    "remaining connection slots are reserved for non-replication superuser connections";
/// PostgreSQL's refusal when every slot is taken (SQLSTATE 53300).
const FULL_FATAL: &str = "sorry, too many clients already";

/// The database's cores and the queries on them, and its connection slots.
#[derive(Clone, Debug)]
pub(crate) struct Database {
    cores: u32,
    /// Connections an application may hold: `max_connections − reserved_connections`.
    usable_connections: u32,
    /// Superuser slots (which message a refusal gives).
    reserved_connections: u32,
    /// Most connections open at once.
    peak_connections: u32,
    /// Opens refused.
    refused_opens: u64,
    contention: f64,
    coherency: f64,
    /// Share of each hold spent in the database.
    db_share: f64,
    /// Database CPU of a new connection.
    connect_cpu: SimDuration,
    /// Database CPU of a closed connection.
    close_cpu: SimDuration,
    virtual_us: f64,
    /// `capacity(n)` for the n queries running now: it changes only when n does.
    capacity_now: f64,
    /// When `virtual_us` was last brought up to date.
    updated: SimTime,
    /// Least tag on top.
    running: BinaryHeap<Reverse<Running>>,
    next_seq: u64,
    totals: DbTotals,
    /// The totals and refused opens at the last sample, for the next one's interval.
    at_last_sample: (DbTotals, u64),
}

impl Database {
    pub(crate) fn new(config: &DatabaseConfig) -> Self {
        Self {
            cores: config.cores,
            usable_connections: config.max_connections.saturating_sub(config.reserved_connections),
            reserved_connections: config.reserved_connections,
            peak_connections: 0,
            refused_opens: 0,
            contention: config.contention,
            coherency: config.coherency,
            db_share: config.db_share,
            connect_cpu: SimDuration::from_millis_f64(config.connect_cpu_ms),
            close_cpu: SimDuration::from_millis_f64(config.close_cpu_ms),
            virtual_us: 0.0,
            capacity_now: 0.0,
            updated: SimTime::ZERO,
            running: BinaryHeap::new(),
            next_seq: 0,
            totals: DbTotals::default(),
            at_last_sample: (DbTotals::default(), 0),
        }
    }

    /// Queries running now.
    pub(crate) fn running(&self) -> u32 {
        self.running.len() as u32
    }

    /// Core time used up to `now` [core·µs]: the total at the last update and the time
    /// since at the current load (without moving the virtual time, so sampling never
    /// changes a run).
    fn busy_core_us_at(&self, now: SimTime) -> f64 {
        let pending = now.saturating_duration_since(self.updated).as_micros() as f64;
        self.totals.busy_core_us + pending * f64::from(self.running().min(self.cores))
    }

    /// The sample at `now`, the end of a second, with `connections` open; it closes the
    /// interval.
    pub(crate) fn sample(&mut self, now: SimTime, connections: u32) -> DatabaseSample {
        let (last, last_refused) = self.at_last_sample;
        let t = &self.totals;
        let busy = self.busy_core_us_at(now);
        let queries = t.queries - last.queries;
        let (query_us, work_us) = (t.query_us - last.query_us, t.work_us - last.work_us);
        let span_us = SAMPLE_SPAN_US * f64::from(self.cores);
        let sample = DatabaseSample {
            t_s: u32::try_from(now.as_secs()).unwrap_or(u32::MAX),
            running: self.running(),
            connections,
            queries: u32::try_from(queries).unwrap_or(u32::MAX),
            query_ms: if queries == 0 { 0.0 } else { query_us as f64 / queries as f64 / 1000.0 },
            stretch: if work_us == 0 { 1.0 } else { query_us as f64 / work_us as f64 },
            utilisation: (busy - last.busy_core_us) / span_us,
            refused_opens: u32::try_from(self.refused_opens - last_refused).unwrap_or(u32::MAX),
        };
        self.at_last_sample = (DbTotals { busy_core_us: busy, ..*t }, self.refused_opens);
        sample
    }

    /// What it did up to `now`, for the summary.
    pub(crate) fn summary(&self, now: SimTime) -> DatabaseSummary {
        let t = &self.totals;
        let busy = self.busy_core_us_at(now);
        let span = now.as_micros() as f64 * f64::from(self.cores);
        DatabaseSummary {
            queries: t.queries,
            mean_query_ms: if t.queries == 0 { 0.0 } else { t.query_us as f64 / t.queries as f64 / 1000.0 },
            mean_stretch: if t.work_us == 0 { 1.0 } else { t.query_us as f64 / t.work_us as f64 },
            max_stretch: t.max_stretch.max(1.0),
            peak_running: t.peak_running,
            utilisation: if span > 0.0 { busy / span } else { 0.0 },
            peak_connections: self.peak_connections,
            refused_opens: self.refused_opens,
        }
    }

    /// Database CPU a new connection costs (zero: opening costs it nothing).
    pub(crate) fn connect_cpu(&self) -> SimDuration {
        self.connect_cpu
    }

    /// Database CPU a closed connection costs (zero: closing costs it nothing).
    pub(crate) fn close_cpu(&self) -> SimDuration {
        self.close_cpu
    }

    /// Connections an application may hold at once.
    pub(crate) fn usable_connections(&self) -> u32 {
        self.usable_connections
    }

    /// `connections` are open now: keep the peak.
    pub(crate) fn count_connections(&mut self, connections: u32) {
        self.peak_connections = self.peak_connections.max(connections);
    }

    /// A connection has authenticated while `others` other connections are open or
    /// opening: PostgreSQL lets it stay if a slot beyond the superusers' is free, else
    /// refuses it with the FATAL message it logs.
    pub(crate) fn admit(&mut self, others: u32) -> Result<(), &'static str> {
        if others < self.usable_connections {
            return Ok(());
        }
        self.refused_opens += 1;
        Err(if self.reserved_connections > 0 { RESERVED_FATAL } else { FULL_FATAL })
    }

    /// A hold split into the query (in the database) and the time after it the
    /// application keeps the connection: `db_share` of the hold, to the nearest µs.
    pub(crate) fn split(&self, hold: SimDuration) -> (SimDuration, SimDuration) {
        let query = SimDuration::from_micros(round_u64(hold.as_micros() as f64 * self.db_share));
        let query = query.min(hold);
        (query, hold - query)
    }

    /// The cores' capacity with `n` queries running [uncontended queries' worth].
    fn capacity(&self, n: u32) -> f64 {
        usl_capacity(n, self.cores, self.contention, self.coherency)
    }

    /// The number of queries running has changed: their capacity with it.
    fn recount(&mut self) {
        self.capacity_now = self.capacity(self.running());
    }

    /// Bring the virtual time up to `now`.
    fn advance(&mut self, now: SimTime) {
        let dt = now.saturating_duration_since(self.updated).as_micros() as f64;
        let n = self.running();
        if n > 0 && dt > 0.0 {
            self.virtual_us += dt * self.capacity_now / f64::from(n);
            self.totals.busy_core_us += dt * f64::from(n.min(self.cores));
        }
        self.updated = now;
    }

    /// Start a query that takes `work` alone, at `now`; returns when the next query
    /// finishes (which may have moved: every running query slows down).
    pub(crate) fn start(&mut self, now: SimTime, work: SimDuration, job: Job) -> SimTime {
        self.advance(now);
        let seq = self.next_seq;
        self.next_seq += 1;
        // Virtual time and work are ≥ 0, so the tag is too (see `Running`).
        let tag_bits = (self.virtual_us + work.as_micros() as f64).to_bits();
        self.running.push(Reverse(Running { tag_bits, seq, job, work, started: now }));
        self.recount();
        self.totals.peak_running = self.totals.peak_running.max(self.running());
        self.next_completion().unwrap_or(now)
    }

    /// When the next query finishes, if any runs: the first whole microsecond at or
    /// after the exact time.
    pub(crate) fn next_completion(&self) -> Option<SimTime> {
        let Reverse(next) = self.running.peek()?;
        let left = next.tag() - self.virtual_us;
        if left <= DONE_EPSILON_US {
            return Some(self.updated);
        }
        let rate = self.capacity_now / f64::from(self.running());
        // Exact below 2^53 µs (285 years); a run lasts at most 7 days.
        let dt = ceil_u64(left / rate);
        Some(self.updated.saturating_add(SimDuration::from_micros(dt)))
    }

    /// The jobs of every query (and open) done by `now`, in the order they finished (ties in start
    /// order), into `out`; call [`next_completion`](Self::next_completion) afterwards.
    pub(crate) fn finish_due(&mut self, now: SimTime, out: &mut Vec<Job>) {
        self.advance(now);
        self.finish_done(now, out);
        self.recount();
    }

    /// Take the queries whose tag the virtual time has reached off the heap, into `out`.
    fn finish_done(&mut self, now: SimTime, out: &mut Vec<Job>) {
        while let Some(Reverse(next)) = self.running.peek() {
            if next.tag() - self.virtual_us > DONE_EPSILON_US {
                break;
            }
            let Some(Reverse(done)) = self.running.pop() else { break };
            match done.job.kind {
                JobKind::Query => {}
                JobKind::Close => continue,
                JobKind::Open | JobKind::Probe => {
                    out.push(done.job);
                    continue;
                }
            }
            let took = now.saturating_duration_since(done.started).as_micros();
            let work = done.work.as_micros();
            let t = &mut self.totals;
            t.queries += 1;
            t.query_us += took;
            t.work_us += work;
            if work > 0 {
                t.max_stretch = t.max_stretch.max(took as f64 / work as f64);
            }
            out.push(done.job);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn db(cores: u32, contention: f64, coherency: f64) -> Database {
        Database::new(&DatabaseConfig { cores, contention, coherency, ..DatabaseConfig::default() })
    }

    fn job(conn: u32) -> Job {
        Job { kind: JobKind::Query, inst: 0, conn, lease: 0, after: SimDuration::ZERO }
    }

    fn at(us: u64) -> SimTime {
        SimTime::from_micros(us)
    }

    fn us(us: u64) -> SimDuration {
        SimDuration::from_micros(us)
    }

    /// Run the database alone until every query is done: (finish time [µs], conn) in order.
    fn drain(d: &mut Database) -> Vec<(u64, u32)> {
        let mut done = Vec::new();
        let mut out = Vec::new();
        while let Some(t) = d.next_completion() {
            d.finish_due(t, &mut out);
            done.extend(out.drain(..).map(|j| (t.as_micros(), j.conn)));
        }
        done
    }

    #[test]
    fn a_query_alone_takes_its_work() {
        let mut d = db(2, 0.3, 0.01);
        assert_eq!(d.start(at(1_000), us(4_800), job(7)), at(5_800));
        assert_eq!(drain(&mut d), [(5_800, 7)]);
    }

    #[test]
    fn two_queries_on_one_core_share_it() {
        let mut d = db(1, 0.0, 0.0);
        d.start(at(0), us(10_000), job(1));
        // At 5 ms the first is half done; from then on each runs at half speed.
        assert_eq!(d.start(at(5_000), us(10_000), job(2)), at(15_000));
        // The first finishes at 15 ms; the second, alone again, 5 ms later.
        assert_eq!(drain(&mut d), [(15_000, 1), (20_000, 2)]);
        assert_eq!(d.totals.peak_running, 2);
        assert_eq!((d.totals.query_us, d.totals.work_us), (15_000 + 15_000, 20_000));
    }

    #[test]
    fn up_to_the_cores_queries_do_not_slow_each_other() {
        let mut d = db(4, 0.0, 0.0);
        for conn in 0..4 {
            d.start(at(0), us(1_000 * (u64::from(conn) + 1)), job(conn));
        }
        assert_eq!(drain(&mut d), [(1_000, 0), (2_000, 1), (3_000, 2), (4_000, 3)]);
        assert_eq!(d.totals.busy_core_us, 10_000.0);
        assert_eq!(d.totals.max_stretch, 1.0);
    }

    #[test]
    fn contention_slows_every_query_past_one() {
        // Two queries on plenty of cores with σ = 0.25: capacity 2 / 1.25 = 1.6, each at 0.8.
        let mut d = db(8, 0.25, 0.0);
        d.start(at(0), us(8_000), job(1));
        d.start(at(0), us(8_000), job(2));
        assert_eq!(drain(&mut d), [(10_000, 1), (10_000, 2)]);
        assert_eq!(d.totals.max_stretch, 1.25);
    }

    #[test]
    fn connections_past_the_usable_slots_are_refused_in_postgresql_words() {
        let mut d = Database::new(&DatabaseConfig { max_connections: 20, ..DatabaseConfig::default() });
        assert_eq!(d.usable_connections(), 17);
        assert_eq!(d.admit(16), Ok(()));
        assert_eq!(d.admit(17), Err(RESERVED_FATAL));
        let mut none_reserved = Database::new(&DatabaseConfig {
            max_connections: 20,
            reserved_connections: 0,
            ..DatabaseConfig::default()
        });
        assert_eq!(none_reserved.admit(20), Err(FULL_FATAL));
        assert_eq!(d.summary(SimTime::ZERO).refused_opens, 1);
    }

    #[test]
    fn a_hold_splits_into_the_query_and_the_time_after_it() {
        let d = Database::new(&DatabaseConfig { db_share: 0.25, ..DatabaseConfig::default() });
        assert_eq!(d.split(us(1_000)), (us(250), us(750)));
        assert_eq!(d.split(us(3)), (us(1), us(2)));
        assert_eq!(db(1, 0.0, 0.0).split(us(777)), (us(777), us(0)));
    }
}
