//! Requests waiting for a connection, in FIFO order.
//!
//! Each waiter gets a ticket number in arrival order; the queue holds tickets
//! `front_ticket..` contiguously, so a ticket finds its entry in O(1). A waiter that
//! times out from the middle (possible after `connectionTimeout` was lowered) is
//! marked dead in place and skipped when it reaches the front; the common case, the
//! front timing out or being served, pops it.

use std::collections::VecDeque;

/// One waiting request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct WaitEntry {
    /// Request id.
    pub(crate) k: u64,
    /// Attempt number (0 = first try).
    pub(crate) attempt: u32,
    /// Started waiting [µs].
    pub(crate) since_us: u64,
    /// Gives up at [µs].
    pub(crate) deadline_us: u64,
    /// Still waiting (false: timed out from the middle of the queue).
    alive: bool,
}

/// The FIFO of waiting requests.
#[derive(Clone, Debug, Default)]
pub(crate) struct Waiters {
    queue: VecDeque<WaitEntry>,
    /// Ticket of `queue[0]`.
    front_ticket: u64,
    /// Entries still waiting.
    live: u32,
}

impl Waiters {
    /// Requests waiting now.
    pub(crate) fn len(&self) -> u32 {
        self.live
    }

    /// Queue a request; returns its ticket for the timeout timer.
    pub(crate) fn push(&mut self, k: u64, attempt: u32, since_us: u64, deadline_us: u64) -> u64 {
        let ticket = self.front_ticket + self.queue.len() as u64;
        self.queue.push_back(WaitEntry { k, attempt, since_us, deadline_us, alive: true });
        self.live += 1;
        ticket
    }

    /// The longest waiter leaves the queue (it is being served).
    pub(crate) fn pop_front(&mut self) -> Option<WaitEntry> {
        let first = self.queue.pop_front()?;
        self.front_ticket += 1;
        self.live -= 1;
        // Dead entries never sit at the front (see `skip_dead`), so `first` is alive.
        debug_assert!(first.alive);
        self.skip_dead();
        Some(first)
    }

    /// The waiter with `ticket` leaves (timed out), if it is still waiting.
    pub(crate) fn remove(&mut self, ticket: u64) -> Option<WaitEntry> {
        let index = usize::try_from(ticket.checked_sub(self.front_ticket)?).ok()?;
        if index == 0 {
            return self.pop_front();
        }
        let entry = self.queue.get_mut(index)?;
        if !entry.alive {
            return None;
        }
        entry.alive = false;
        self.live -= 1;
        Some(*entry)
    }

    /// Everyone leaves (the application restarts); returns them in FIFO order.
    pub(crate) fn drain(&mut self) -> impl Iterator<Item = WaitEntry> + '_ {
        self.front_ticket += self.queue.len() as u64;
        self.live = 0;
        self.queue.drain(..).filter(|w| w.alive)
    }

    /// The waiters in FIFO order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &WaitEntry> + '_ {
        self.queue.iter().filter(|w| w.alive)
    }

    /// Drop dead entries from the front so the front is always a live waiter.
    fn skip_dead(&mut self) {
        while self.queue.front().is_some_and(|w| !w.alive) {
            self.queue.pop_front();
            self.front_ticket += 1;
        }
    }

    /// Recount live entries (the O(n) invariant check).
    #[cfg(debug_assertions)]
    pub(crate) fn recount(&self) -> u32 {
        self.iter().count() as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serves_in_fifo_order_and_skips_timed_out_waiters() {
        let mut w = Waiters::default();
        let t0 = w.push(10, 0, 0, 100);
        let t1 = w.push(11, 0, 1, 50);
        let t2 = w.push(12, 0, 2, 100);
        assert_eq!(w.remove(t1).map(|e| e.k), Some(11));
        assert_eq!(w.remove(t1), None, "a ticket leaves once");
        assert_eq!(w.len(), 2);
        assert_eq!(w.pop_front().map(|e| e.k), Some(10));
        assert_eq!(w.remove(t0), None, "served waiters cannot time out");
        assert_eq!(w.pop_front().map(|e| e.k), Some(12));
        assert_eq!(w.remove(t2), None);
        assert_eq!(w.len(), 0);
        assert_eq!(w.pop_front(), None);
    }

    #[test]
    fn drain_returns_live_waiters_and_invalidates_tickets() {
        let mut w = Waiters::default();
        let a = w.push(1, 0, 0, 9);
        let b = w.push(2, 0, 0, 9);
        w.push(3, 0, 0, 9);
        w.remove(b);
        let left: Vec<u64> = w.drain().map(|e| e.k).collect();
        assert_eq!(left, vec![1, 3]);
        assert_eq!(w.remove(a), None);
        let c = w.push(4, 0, 5, 9);
        assert_eq!(w.remove(c).map(|e| e.k), Some(4));
    }
}
