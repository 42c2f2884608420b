//! Requests waiting for a connection, in arrival order.
//!
//! Each waiter gets a ticket number in arrival order; the queue holds tickets
//! `front_ticket..` contiguously, so a ticket finds its entry in O(1). A waiter that
//! leaves from the middle (timed out after `connectionTimeout` was lowered, or served
//! at random as Go serves) is marked dead in place and skipped when it reaches the
//! front; the common case, the front timing out or being served, pops it. Beside the
//! queue, `live` lists the tickets still waiting in no particular order, so a random
//! waiter is picked in O(1) (each entry knows its place there).

use std::collections::VecDeque;

use crate::time::SimTime;

/// One waiting request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct WaitEntry {
    /// Request id.
    pub(crate) k: u64,
    /// Attempt number (0 = first try).
    pub(crate) attempt: u32,
    /// Started waiting.
    pub(crate) since_us: SimTime,
    /// Gives up then ([`SimTime::MAX`]: never).
    pub(crate) deadline_us: SimTime,
    /// Its caller's deadline when it arrived [ms after `since_us`] (0: none).
    pub(crate) due_ms: u32,
    /// Its caller has given up; the pool still has it waiting (an orphan).
    pub(crate) gave_up: bool,
    /// Still waiting (false: left from the middle of the queue).
    alive: bool,
    /// Index of this ticket in `Waiters::live` while alive.
    slot: u32,
}

/// The requests waiting, in arrival order.
#[derive(Clone, Debug, Default)]
pub(crate) struct Waiters {
    queue: VecDeque<WaitEntry>,
    /// Ticket of `queue[0]`.
    front_ticket: u64,
    /// Tickets still waiting, unordered (for a random pick).
    live: Vec<u64>,
}

impl Waiters {
    /// Requests waiting now.
    pub(crate) fn len(&self) -> u32 {
        self.live.len() as u32
    }

    /// Queue a request that times out at `deadline_us` and whose caller gives up `due_ms`
    /// after it arrives (0: never); returns its ticket for the timeout timer.
    pub(crate) fn push(
        &mut self,
        k: u64,
        attempt: u32,
        since_us: SimTime,
        deadline_us: SimTime,
        due_ms: u32,
    ) -> u64 {
        let ticket = self.front_ticket + self.queue.len() as u64;
        let slot = self.live.len() as u32;
        let entry =
            WaitEntry { k, attempt, since_us, deadline_us, due_ms, gave_up: false, alive: true, slot };
        self.queue.push_back(entry);
        self.live.push(ticket);
        ticket
    }

    /// The waiter with `ticket`, if it is still waiting.
    pub(crate) fn get(&self, ticket: u64) -> Option<&WaitEntry> {
        let index = usize::try_from(ticket.checked_sub(self.front_ticket)?).ok()?;
        self.queue.get(index).filter(|w| w.alive)
    }

    /// The caller of the waiter with `ticket` has given up (it keeps its place).
    pub(crate) fn mark_gave_up(&mut self, ticket: u64) {
        let Some(index) = ticket.checked_sub(self.front_ticket).and_then(|i| usize::try_from(i).ok()) else {
            return;
        };
        if let Some(w) = self.queue.get_mut(index) {
            w.gave_up = true;
        }
    }

    /// The longest waiter leaves the queue (it is being served).
    pub(crate) fn pop_front(&mut self) -> Option<WaitEntry> {
        let first = *self.queue.front()?;
        // Dead entries never sit at the front (see `skip_dead`), so `first` is alive.
        debug_assert!(first.alive);
        self.unlist(first.slot);
        self.queue.pop_front();
        self.front_ticket += 1;
        self.skip_dead();
        Some(first)
    }

    /// A waiter picked by `unit` (uniform in [0, 1)) leaves the queue: Go's random handoff.
    pub(crate) fn pop_random(&mut self, unit: f64) -> Option<WaitEntry> {
        let n = self.live.len();
        let i = ((unit * n as f64) as usize).min(n.checked_sub(1)?);
        let ticket = *self.live.get(i)?;
        self.remove(ticket)
    }

    /// The waiter with `ticket` leaves, if it is still waiting.
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
        let left = *entry;
        self.unlist(left.slot);
        Some(left)
    }

    /// Take the ticket at `slot` out of `live`; the ticket moved into its place learns it.
    fn unlist(&mut self, slot: u32) {
        let slot = slot as usize;
        if slot >= self.live.len() {
            return;
        }
        self.live.swap_remove(slot);
        if let Some(&moved) = self.live.get(slot)
            && let Some(e) = self.queue.get_mut((moved - self.front_ticket) as usize)
        {
            e.slot = slot as u32;
        }
    }

    /// Everyone leaves (the application restarts); returns them in arrival order.
    pub(crate) fn drain(&mut self) -> impl Iterator<Item = WaitEntry> + '_ {
        self.front_ticket += self.queue.len() as u64;
        self.live.clear();
        self.queue.drain(..).filter(|w| w.alive)
    }

    /// The waiters in arrival order.
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

    /// Recount live entries whose place in `live` holds their own ticket (the O(n)
    /// invariant check: equals `len()` only if the two views agree).
    #[cfg(any(test, debug_assertions))]
    pub(crate) fn recount(&self) -> u32 {
        let front = self.front_ticket;
        let listed =
            |(i, w): (usize, &WaitEntry)| self.live.get(w.slot as usize) == Some(&(front + i as u64));
        self.queue.iter().enumerate().filter(|(_, w)| w.alive).filter(|&e| listed(e)).count() as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An instant [µs].
    fn at(us: u64) -> SimTime {
        SimTime::from_micros(us)
    }

    #[test]
    fn serves_in_fifo_order_and_skips_timed_out_waiters() {
        let mut w = Waiters::default();
        let t0 = w.push(10, 0, at(0), at(100), 0);
        let t1 = w.push(11, 0, at(1), at(50), 0);
        let t2 = w.push(12, 0, at(2), at(100), 0);
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
        let a = w.push(1, 0, at(0), at(9), 0);
        let b = w.push(2, 0, at(0), at(9), 0);
        w.push(3, 0, at(0), at(9), 0);
        w.remove(b);
        let left: Vec<u64> = w.drain().map(|e| e.k).collect();
        assert_eq!(left, vec![1, 3]);
        assert_eq!(w.remove(a), None);
        let c = w.push(4, 0, at(5), at(9), 0);
        assert_eq!(w.remove(c).map(|e| e.k), Some(4));
    }

    #[test]
    fn random_picks_reach_every_waiter_once_and_keep_tickets_valid() {
        let mut w = Waiters::default();
        let tickets: Vec<u64> = (0..50).map(|k| w.push(k, 0, at(k), at(1000), 0)).collect();
        let mut served = Vec::new();
        for i in 0..25 {
            let unit = (i as f64 * 0.618_033_988_75).fract();
            served.push(w.pop_random(unit).expect("waiters left").k);
            assert_eq!(w.len(), w.recount());
        }
        // Timeouts still find the ones left, by ticket, and only them.
        for (k, &t) in tickets.iter().enumerate() {
            let left = w.remove(t).map(|e| e.k);
            assert_eq!(left.is_some(), !served.contains(&(k as u64)), "request {k}");
            assert_eq!(w.len(), w.recount());
        }
        assert_eq!(w.len(), 0);
        assert_eq!(w.pop_random(0.5), None);
        served.sort_unstable();
        served.dedup();
        assert_eq!(served.len(), 25, "no waiter served twice");
        assert!(served.iter().any(|&k| k >= 25), "a random pick is not the front: {served:?}");
    }
}
