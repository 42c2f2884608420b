//! Bookkeeping invariants, checked after every event in builds with debug assertions:
//! O(1) counter identities each time, a full O(n) recount of the slots and the queue
//! every 1,024 events.

use crate::sim::Simulation;
use crate::sim::pool::Slot;

impl Simulation {
    pub(super) fn check_invariants(&self, full: bool) {
        let p = &self.pool;
        let c = &self.counts;
        let pending = u64::from(self.waiters.len());
        // A connection is idle only while nobody waits: a freed one goes to the longest waiter.
        assert!(p.idle.is_empty() || pending == 0, "idle connections while requests wait");
        // Never open beyond the maximum; only a shrink leaves the pool above it, and then
        // nothing is being opened.
        assert!(
            p.total() + p.opening <= self.live.max_size() || p.opening == 0,
            "opening beyond max_size: total={} opening={} max={}",
            p.total(),
            p.opening,
            self.live.max_size()
        );
        assert!(p.suspected <= p.active(), "more suspected than active connections");
        if let Some(db) = &self.database {
            // The database never lets the application hold more than its usable slots.
            assert!(p.total() <= db.usable_connections(), "more connections than the database allows");
        }
        assert_eq!(c.holding, u64::from(p.in_use), "holders vs in-use connections");
        // Every attempt is served, timed out, refused, or still waiting.
        assert_eq!(c.attempts, c.served + c.timed_out + c.rejected + pending, "attempt accounting");
        // Every request is done, failed for good, or still in progress.
        assert_eq!(
            c.requests,
            c.done + c.failed + pending + c.holding + c.retry_pending,
            "request accounting"
        );
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
        assert_eq!(self.waiters.recount(), self.waiters.len(), "waiter count");
    }
}
