//! The pool's connections: slots with a state, the LIFO idle stack, and the counters
//! that make every gauge O(1).
//!
//! Every state change goes through [`Pool::set_state`], which keeps the counters
//! right and bumps the slot's lease so timers scheduled for the old state go stale.

use std::collections::VecDeque;

use crate::metrics::{ConnState, ConnectionView};
use crate::time::{SimDuration, SimTime};

/// State of a slot; `Free` slots are closed connections whose id can be reused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Slot {
    /// No connection.
    Free,
    /// Being opened by the creator thread.
    Opening,
    /// Ready in the idle stack.
    Idle,
    /// Held by a request that will return it.
    Active,
    /// Held by a request that will never return it.
    Leaked,
}

/// One connection slot.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Conn {
    pub(crate) state: Slot,
    /// Bumped on every state change: a timer carrying an older lease is stale.
    pub(crate) lease: u32,
    /// Unique number of the physical connection (slot ids are reused, serials never).
    pub(crate) serial: u64,
    /// Entered the current state.
    pub(crate) since_us: SimTime,
    /// `Active`: hold end; `Opening`: ready time.
    pub(crate) until_us: SimTime,
    /// Request holding it (`Active`, `Leaked`).
    pub(crate) holder: u64,
    /// The holder's attempt number.
    pub(crate) attempt: u32,
    /// Past this time it is retired instead of reused (max lifetime, with HikariCP's variance).
    pub(crate) retire_at_us: SimTime,
    /// Flagged by leak detection during the current hold.
    pub(crate) suspected: bool,
    /// The holder's caller gave up at its deadline: the hold is wasted work.
    pub(crate) orphaned: bool,
}

impl Conn {
    const EMPTY: Conn = Conn {
        state: Slot::Free,
        lease: 0,
        serial: 0,
        since_us: SimTime::ZERO,
        until_us: SimTime::ZERO,
        holder: 0,
        attempt: 0,
        retire_at_us: SimTime::MAX,
        suspected: false,
        orphaned: false,
    };
}

/// All connection slots and their counts.
#[derive(Clone, Debug, Default)]
pub(crate) struct Pool {
    pub(crate) conns: Vec<Conn>,
    /// Closed slots, reused last-closed-first.
    free: Vec<u32>,
    /// Idle connections; the top is the most recently returned (HikariCP hands that one out first).
    pub(crate) idle: Vec<u32>,
    pub(crate) opening: u32,
    /// Held by requests that will return them.
    pub(crate) in_use: u32,
    pub(crate) leaked: u32,
    pub(crate) suspected: u32,
    /// When the single creator thread is free to start the next connection.
    pub(crate) opener_free_us: SimTime,
    /// With a database that charges CPU for opens, the creator works by events: the
    /// connection (slot, lease) it is opening now (HikariCP's single creator thread) …
    pub(crate) creator: Option<(u32, u32)>,
    /// … and the slots waiting their turn, oldest first.
    pub(crate) to_open: VecDeque<u32>,
    /// The database refused the last open: the creator waits out its pause before it
    /// tries again, and opens nothing meanwhile.
    pub(crate) open_retry_pending: bool,
    /// The creator's next pause after a refused open (HikariCP: 250 ms, then × 1.5);
    /// zero until the first refusal and after a success.
    pub(crate) open_backoff: SimDuration,
    next_serial: u64,
}

impl Pool {
    /// Open connections: idle plus in use plus leaked (opening ones excluded), as HikariCP's `total`.
    pub(crate) fn total(&self) -> u32 {
        self.idle_count() + self.active()
    }

    /// In use as the pool sees it: leaked connections included.
    pub(crate) fn active(&self) -> u32 {
        self.in_use + self.leaked
    }

    /// Idle connections.
    pub(crate) fn idle_count(&self) -> u32 {
        self.idle.len() as u32
    }

    /// A slot for a new connection, in state `Opening`, with a fresh serial.
    pub(crate) fn alloc(&mut self, now: SimTime) -> u32 {
        let id = match self.free.pop() {
            Some(id) => id,
            None => {
                self.conns.push(Conn::EMPTY);
                (self.conns.len() - 1) as u32
            }
        };
        let serial = self.next_serial;
        self.next_serial += 1;
        let c = &mut self.conns[id as usize];
        c.serial = serial;
        c.retire_at_us = SimTime::MAX;
        self.set_state(id, Slot::Opening, now);
        id
    }

    /// The slot `id`.
    pub(crate) fn get(&self, id: u32) -> Option<&Conn> {
        self.conns.get(id as usize)
    }

    /// Connection `id` is still out (held or leaked) under `lease`: a leak or abandoned
    /// check scheduled for that lease still applies.
    #[inline]
    pub(crate) fn out_under(&self, id: u32, lease: u32) -> bool {
        self.get(id).is_some_and(|c| c.lease == lease && matches!(c.state, Slot::Active | Slot::Leaked))
    }

    /// Move `id` to `state` at `now`, keeping every count right. The caller keeps the
    /// idle stack in step (push when entering `Idle`, pop/remove when leaving it).
    pub(crate) fn set_state(&mut self, id: u32, state: Slot, now: SimTime) {
        let Some(c) = self.conns.get_mut(id as usize) else { return };
        match c.state {
            Slot::Opening => self.opening -= 1,
            Slot::Active => self.in_use -= 1,
            Slot::Leaked => self.leaked -= 1,
            Slot::Free | Slot::Idle => {}
        }
        if c.suspected {
            c.suspected = false;
            self.suspected -= 1;
        }
        match state {
            Slot::Opening => self.opening += 1,
            Slot::Active => self.in_use += 1,
            Slot::Leaked => self.leaked += 1,
            Slot::Free | Slot::Idle => {}
        }
        c.state = state;
        c.lease = c.lease.wrapping_add(1);
        c.since_us = now;
        c.until_us = SimTime::ZERO;
        if state == Slot::Free {
            self.free.push(id);
        }
    }

    /// Flag `id` as a suspected leak (leak detection).
    pub(crate) fn flag_suspected(&mut self, id: u32) {
        if let Some(c) = self.conns.get_mut(id as usize)
            && !c.suspected
        {
            c.suspected = true;
            self.suspected += 1;
        }
    }

    /// Take `id` out of the idle stack (housekeeping, lifetime, shrink); O(idle).
    pub(crate) fn remove_idle(&mut self, id: u32) -> bool {
        match self.idle.iter().rposition(|&i| i == id) {
            Some(pos) => {
                self.idle.remove(pos);
                true
            }
            None => false,
        }
    }

    /// A connection as the page draws it; `None` for a free slot.
    pub(crate) fn view(&self, id: u32) -> Option<ConnectionView> {
        let c = self.get(id)?;
        let state = match c.state {
            Slot::Free => return None,
            Slot::Opening => ConnState::Opening,
            Slot::Idle => ConnState::Idle,
            Slot::Active => ConnState::Active,
            Slot::Leaked => ConnState::Leaked,
        };
        let held = matches!(c.state, Slot::Active | Slot::Leaked);
        Some(ConnectionView {
            id,
            state,
            since_us: c.since_us,
            // A queued open has not started: it has no time yet.
            until_us: matches!(c.state, Slot::Active | Slot::Opening)
                .then_some(c.until_us)
                .filter(|&t| t != SimTime::MAX),
            holder: held.then_some(c.holder),
            suspected: c.suspected,
            orphaned: c.orphaned && c.state == Slot::Active,
        })
    }
}
