//! Bookkeeping invariants, checked after every event in builds with debug assertions:
//! O(1) counter identities of the current instance each time (and the fleet's sums), a
//! full O(n) recount of every instance's slots and queue every 1,024 events.

use crate::sim::Simulation;
use crate::sim::instance::Instance;
use crate::sim::pool::Slot;

impl Simulation {
    pub(super) fn check_invariants(&self, full: bool) {
        self.check_fleet();
        if full {
            for i in 0..self.parked.len() {
                self.check_instance(self.instance(i), true);
            }
        } else {
            self.check_instance(&self.app, false);
        }
    }

    /// What holds across instances: the database's connections, and every request
    /// accounted for (a retry may land on another instance than the attempt before).
    fn check_fleet(&self) {
        if let Some(db) = &self.database {
            // The database never lets the application hold more than its usable slots.
            assert!(
                self.fleet_open_connections() <= db.usable_connections(),
                "more connections than the database allows"
            );
        }
        let (mut failed, mut pending, mut holding) = (self.totals.breaker_failed, 0u64, 0u64);
        for i in self.instances() {
            failed += i.counts.failed;
            // An orphan (its caller gave up) is no longer its request's progress.
            // A health check's probe is nobody's request.
            pending += u64::from(i.waiters.len()) - i.counts.orphans_waiting - i.counts.probes_waiting;
            holding += i.counts.holding - i.counts.orphans_holding - i.counts.probes_holding;
            // Waiting for a thread, or holding one without the database.
            pending += i.server.outstanding();
        }
        // Every request is done, failed for good, or still in progress.
        assert_eq!(
            self.totals.requests,
            self.totals.done + failed + pending + holding + self.totals.retry_pending,
            "request accounting"
        );
    }

    fn check_instance(&self, i: &Instance, full: bool) {
        let p = &i.pool;
        let c = &i.counts;
        let pending = u64::from(i.waiters.len()) - c.probes_waiting;
        // A connection is idle only while nobody waits: a freed one goes to the longest waiter.
        assert!(p.idle.is_empty() || pending == 0, "idle connections while requests wait");
        // Never open beyond the maximum; only a shrink leaves the pool above it, and then
        // nothing is being opened.
        assert!(
            p.total() + p.opening <= i.live.max_size() || p.opening == 0,
            "opening beyond max_size: total={} opening={} max={}",
            p.total(),
            p.opening,
            i.live.max_size()
        );
        assert!(p.suspected <= p.active(), "more suspected than active connections");
        assert!(c.probes_waiting <= 1, "one health check of an instance at a time");
        // A starting instance takes no requests.
        assert!(!i.starting || i.down_until_us == crate::time::SimTime::MAX);
        assert_eq!(c.holding, u64::from(p.in_use), "holders vs in-use connections");
        // Every attempt is served, timed out, refused, still waiting, waiting for a thread,
        // or needed no database.
        let queued = u64::from(i.server.queue.len());
        assert_eq!(
            c.attempts,
            c.served + c.timed_out + c.rejected + pending + queued + c.no_db,
            "attempt accounting"
        );
        let s = &i.server;
        // Never more threads busy than there are (running requests keep theirs for a
        // while after the threads were lowered), nor more queued than the queue holds.
        assert!(
            s.busy <= s.busy_ceiling && s.busy_ceiling >= s.threads,
            "threads busy: {} > {}",
            s.busy,
            s.threads
        );
        assert!(s.queue.len() <= s.queue_ceiling, "accept queue: {} > {}", s.queue.len(), s.accept_limit);
        // Nobody waits for a thread while one is free.
        assert!(s.queue.len() == 0 || s.busy >= s.threads, "queued while a thread is free");
        if s.threads != u32::MAX {
            // Every thread busy is held by an attempt here: waiting for or holding a
            // connection, or working without the database.
            let held = pending + c.holding - c.probes_holding + s.no_db.len() as u64;
            assert_eq!(u64::from(s.busy), held, "threads busy vs attempts holding one");
        }
        if !full {
            return;
        }
        let (mut opening, mut idle, mut in_use, mut leaked, mut suspected) = (0u32, 0u32, 0u32, 0u32, 0u32);
        for conn in &p.conns {
            match conn.state {
                Slot::Free => {}
                Slot::Opening => opening += 1,
                Slot::Idle => idle += 1,
                Slot::Active => in_use += 1,
                Slot::Leaked => leaked += 1,
            }
            suspected += u32::from(conn.suspected);
            assert!(!conn.suspected || matches!(conn.state, Slot::Active | Slot::Leaked));
        }
        assert_eq!(
            (opening, idle, in_use, leaked, suspected),
            (p.opening, p.idle_count(), p.in_use, p.leaked, p.suspected)
        );
        assert!(
            p.idle.iter().all(|&id| p.get(id).is_some_and(|c| c.state == Slot::Idle)),
            "idle stack holds a non-idle slot"
        );
        assert_eq!(i.waiters.recount(), i.waiters.len(), "waiter count");
    }
}
