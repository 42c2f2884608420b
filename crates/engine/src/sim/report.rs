//! What the run reports: the per-second samples (and the alerts evaluated on them),
//! the summary, and the digest that proves two runs identical.

use std::fmt::Write as _;

use crate::metrics::{
    AlertFiring, AppSample, AppSummary, CallerSample, CallerSummary, Firings, InstanceSample, LogKind,
    LogLevel, Milestones, RunCounts, Sample, Summary,
};
use crate::sim::instance::Counters;
use crate::sim::{RECOVERY, SAMPLE, Simulation};
use crate::time::SimTime;

/// Each instance's samples, recorded only when asked (see
/// [`Simulation::record_instance_samples`]).
#[derive(Clone, Debug, Default)]
pub(super) struct InstanceSeries {
    /// The index in `Simulation::samples` of the first sample recorded.
    first: usize,
    /// One per instance per sample, instance by instance within a sample.
    samples: Vec<InstanceSample>,
    /// Each instance's timeouts at the last sample (a sample's are the difference).
    timed_out: Vec<u64>,
}

impl Simulation {
    /// From the next sample on, also record each instance's pool every second
    /// ([`instance_samples`](Self::instance_samples)): off by default, as the page runs,
    /// since a large fleet's series are large. Asking again changes nothing.
    pub fn record_instance_samples(&mut self) {
        if self.instance_series.is_none() {
            let timed_out = self.instances().map(|i| i.counts.timed_out).collect();
            self.instance_series =
                Some(Box::new(InstanceSeries { first: self.samples.len(), samples: Vec::new(), timed_out }));
        }
    }

    /// Each instance's pool (instance 1 first) at the end of the second of
    /// [`samples`](Self::samples)`()[i]`; `None` where they were not recorded.
    pub fn instance_samples(&self, i: usize) -> Option<&[InstanceSample]> {
        let series = self.instance_series.as_deref()?;
        let k = self.parked.len();
        let start = i.checked_sub(series.first)? * k;
        series.samples.get(start..start + k)
    }

    /// Record each instance's pool now, the end of a second.
    #[cold]
    fn take_instance_samples(&mut self) {
        let Some(mut series) = self.instance_series.take() else { return };
        for (j, i) in self.instances().enumerate() {
            let g = i.gauges();
            let timeouts =
                i.counts.timed_out - std::mem::replace(&mut series.timed_out[j], i.counts.timed_out);
            series.samples.push(InstanceSample {
                active: g.active,
                idle: g.idle,
                pending: g.pending,
                leaked: g.leaked,
                timeouts: u32::try_from(timeouts).unwrap_or(u32::MAX),
            });
        }
        self.instance_series = Some(series);
    }

    /// Take every due sample strictly before `t` (and not past the end of the run).
    #[inline]
    pub(super) fn take_samples_before(&mut self, t: SimTime) {
        // Called before every event: the common case, nothing due, stays a single compare.
        if self.next_sample_us < t {
            self.take_due_samples(t);
        }
    }

    #[cold]
    fn take_due_samples(&mut self, t: SimTime) {
        while self.next_sample_us < t && self.next_sample_us <= self.end_us {
            self.take_sample(self.next_sample_us);
            self.next_sample_us += SAMPLE;
        }
    }

    /// Sample the pool at `t` (a whole second), close the interval, and evaluate the alert rules.
    fn take_sample(&mut self, t: SimTime) {
        let p = self.interval.percentiles();
        let s = Sample {
            t_s: u32::try_from(t.as_secs()).unwrap_or(u32::MAX),
            gauges: self.gauges(),
            arrivals: self.interval.arrivals,
            served: self.interval.served,
            timeouts: self.interval.timeouts,
            failed: self.interval.failed,
            acquire_p50_ms: p.p50_ms,
            acquire_p95_ms: p.p95_ms,
            acquire_p99_ms: p.p99_ms,
            acquire_max_ms: p.max_ms,
        };
        let iv = &self.interval;
        let callers = CallerSample {
            t_s: s.t_s,
            first_tries: iv.arrivals - iv.retries,
            retries: iv.retries,
            goodput: u32::try_from(self.totals.done - self.done_at_sample).unwrap_or(u32::MAX),
            gave_up: iv.gave_up,
            served_late: iv.served_late,
            retries_denied: iv.retries_denied,
            breaker_rejected: iv.breaker_rejected,
            breaker: self.callers.breaker_state().code(),
        };
        self.done_at_sample = self.totals.done;
        self.caller_samples.push(callers);
        let app = self.app_sample(s.t_s);
        if self.threaded {
            for v in app.thread_values() {
                self.sample_digest.u32(v);
            }
        }
        if self.health.is_some() {
            self.sample_digest.u32(app.in_balancer);
        }
        self.app_samples.push(app);
        self.callers.roll(self.totals.requests);
        self.interval.reset();
        hash_sample(&mut self.sample_digest, &s);
        let open = self.fleet_open_connections();
        if let Some(db) = &mut self.database {
            let d = db.sample(t, open);
            let (counts, values, refused) = d.values();
            for v in counts.into_iter().chain([refused]) {
                self.sample_digest.u32(v);
            }
            for v in values {
                self.sample_digest.f64(v);
            }
            self.db_samples.push(d);
        }
        if self.instance_series.is_some() {
            self.take_instance_samples();
        }
        self.samples.push(s);
        let (firings, log) = (&mut self.firings, &mut self.log);
        self.alerts.evaluate(&s, |rule, value| {
            firings.push(AlertFiring { name: rule.name.clone(), at_s: f64::from(s.t_s) });
            log.push(t, LogLevel::Warn, LogKind::Alert, |m| {
                write!(
                    m,
                    "Alert {} firing: {} = {value} > {} for {} s",
                    rule.name,
                    rule.metric.name(),
                    rule.above,
                    rule.for_s
                )
            });
        });
    }

    /// The application servers now, summed over the instances.
    fn app_sample(&self, t_s: u32) -> AppSample {
        let mut a = AppSample { t_s, rejected: self.interval.turned_away, ..AppSample::default() };
        for i in self.instances() {
            a.threads_busy += i.server.busy;
            a.accept_queue += i.server.queue.len();
        }
        a.in_balancer = self.health.as_ref().map_or(self.parked.len() as u32, |h| h.in_balancer);
        a
    }

    /// What the servers' threads did, when the run models them.
    fn app_summary(&self, c: &Counters) -> Option<AppSummary> {
        self.threaded.then(|| AppSummary {
            threads: self.instance(0).server.threads,
            peak_threads_busy: self.instances().map(|i| i.server.peak_busy).max().unwrap_or(0),
            peak_accept_queue: self.instances().map(|i| i.server.peak_queue).max().unwrap_or(0),
            rejected: c.turned_away,
            no_db_requests: c.no_db,
            no_db_answered: c.no_db_answered,
        })
    }

    /// The run so far. Times are seconds from the scenario start.
    pub fn summary(&self) -> Summary {
        let fleet;
        let c = if self.parked.len() == 1 {
            &self.app.counts
        } else {
            let mut sum = Counters::default();
            for i in self.instances() {
                sum.add(&i.counts);
            }
            fleet = sum;
            &fleet
        };
        let mut alerts = Firings::default();
        for st in &self.alerts.rules {
            // Two rules with one name: report the earliest firing.
            alerts.note(&st.rule.name, st.fired_s.map(f64::from));
        }
        // Recovered: failures happened, and none in the last minute up to now.
        let recovered_s =
            c.last_failure_us.filter(|&last| self.now_us.saturating_duration_since(last) >= RECOVERY);
        let w = &self.waits;
        // Requests the breaker failed at once belong to no instance.
        let failed = c.failed + self.totals.breaker_failed;
        let share =
            |n: u64| if self.totals.requests == 0 { 0.0 } else { n as f64 / self.totals.requests as f64 };
        Summary {
            requests: self.totals.requests,
            attempts: c.attempts,
            counts: RunCounts {
                served: c.served,
                timed_out: c.timed_out,
                failed,
                failed_share: share(failed),
                leaked: c.leaked,
                reclaimed: c.reclaimed,
            },
            // "No healthy upstream" refusals belong to no instance.
            refused: c.refused + self.totals.unrouted,
            connections_opened: c.opened,
            milestones: Milestones {
                first_exhaustion_s: c.first_exhaustion_us.map(SimTime::as_secs_f64),
                first_timeout_s: c.first_timeout_us.map(SimTime::as_secs_f64),
                first_refusal_s: c.first_refusal_us.map(SimTime::as_secs_f64),
                recovered_s: recovered_s.map(SimTime::as_secs_f64),
            },
            mean_wait_ms: w.mean_us() / 1000.0,
            p50_wait_ms: w.quantile_us(0.50) / 1000.0,
            p99_wait_ms: w.quantile_us(0.99) / 1000.0,
            max_wait_ms: w.max_us() as f64 / 1000.0,
            alerts,
            events_processed: self.totals.events,
            simulated_s: self.now_us.as_secs_f64(),
            database: self.database.as_ref().map(|db| db.summary(self.now_us)),
            instances: if self.fleet {
                self.instances().zip(1..).map(|(i, number)| i.summary(number)).collect()
            } else {
                Vec::new()
            },
            callers: self.callers.modelled.then(|| {
                let n = &self.callers.counts;
                CallerSummary {
                    first_tries: c.attempts - n.retries,
                    retries: n.retries,
                    goodput: self.totals.done,
                    goodput_share: share(self.totals.done),
                    gave_up: n.gave_up,
                    served_late: n.served_late,
                    retries_denied: n.retries_denied,
                    breaker_rejected: n.breaker_rejected,
                    breaker_opened: n.breaker_opened,
                }
            }),
            app: self.app_summary(c),
            health: self.health.as_ref().map(|h| h.summary()),
        }
    }

    /// FNV-1a over every sample's fields (in order) and the summary's counters, times and
    /// percentiles. Same scenario, seed and actions ⇒ same digest, natively and in wasm.
    /// `events_processed` is left out: it counts stale timers too, an implementation
    /// detail, while the digest should change only when what a user sees changes.
    pub fn trace_digest(&self) -> u64 {
        let mut h = self.sample_digest;
        let s = self.summary();
        let n = &s.counts;
        for v in [s.requests, s.attempts, n.served, n.timed_out, n.failed, n.leaked, n.reclaimed] {
            h.u64(v);
        }
        h.u64(self.waits.count());
        for v in [s.mean_wait_ms, s.p50_wait_ms, s.p99_wait_ms, s.max_wait_ms, s.simulated_s] {
            h.f64(v);
        }
        let m = &s.milestones;
        for v in [m.first_exhaustion_s, m.first_timeout_s, m.recovered_s] {
            h.opt_f64(v);
        }
        for (name, at) in &s.alerts {
            h.bytes(name.as_bytes());
            h.opt_f64(*at);
        }
        // Only a run with a database hashes it: every other run keeps its digest.
        if let Some(db) = &s.database {
            h.u64(db.queries);
            h.u64(u64::from(db.peak_running));
            for v in [db.mean_query_ms, db.mean_stretch, db.max_stretch, db.utilisation] {
                h.f64(v);
            }
        }
        // Only a fleet hashes its instances.
        for i in &s.instances {
            let counts = [i.requests, i.attempts, i.served, i.timed_out, i.refused, i.failed, i.leaked];
            for v in counts.into_iter().chain([i.reclaimed, i.connections_opened]) {
                h.u64(v);
            }
            h.opt_f64(i.first_exhaustion_s);
            h.opt_f64(i.first_timeout_s);
        }
        // Only a run that models its callers hashes what they saw.
        if let Some(c) = &s.callers {
            for sample in &self.caller_samples {
                for v in sample.values() {
                    h.u32(v);
                }
            }
            let counts = [c.first_tries, c.retries, c.goodput, c.gave_up, c.served_late, c.retries_denied];
            for v in counts.into_iter().chain([c.breaker_rejected, c.breaker_opened]) {
                h.u64(v);
            }
        }
        // Only a run that models its threads hashes what they did (their samples are in
        // the sample digest).
        if let Some(a) = &s.app {
            for v in [a.rejected, a.no_db_requests, a.no_db_answered] {
                h.u64(v);
            }
            h.u32(a.peak_threads_busy);
            h.u32(a.peak_accept_queue);
        }
        if let Some(health) = &s.health {
            let counts = [health.checks, health.failed_checks, health.left_balancer, health.returned];
            for v in
                counts.into_iter().chain([health.restarts, health.failed_starts, health.no_healthy_upstream])
            {
                h.u64(v);
            }
            h.u32(health.min_in_balancer);
        }
        h.finish()
    }
}

/// Every field of a sample, in declaration order.
fn hash_sample(h: &mut crate::digest::Fnv64, s: &Sample) {
    h.u32(s.t_s);
    for v in s.gauge_values().into_iter().chain(s.counter_values()) {
        h.u32(v);
    }
    for v in s.acquire_values_ms() {
        h.f64(v);
    }
}
