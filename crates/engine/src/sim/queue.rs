//! The event queue, ordered by (time, sequence), so events at the same microsecond run
//! in the order they were scheduled.
//!
//! Timers are never removed. Each carries the lease, ticket or epoch it was scheduled
//! for; when it pops and that no longer matches, it is ignored. This keeps cancelling
//! O(1) instead of searching the queue. A lane's timers that are moot (the leak and
//! abandoned checks of connections that came back: nearly all of them) are dropped by
//! [`EventQueue::pop_due`] as they reach the front, without going back to the event loop's
//! dispatch; the loop counts them. Measured: −9 % wall time on a one-hour run of
//! `abandoned-reclaim-kills-slow-queries`, with a request's draws mixed once
//! ([`RequestDraws`](crate::rng::RequestDraws)) and the next arrival divided once.
//!
//! Most timers are "now + a fixed delay" (acquire timeout, leak check, abandoned check,
//! retry backoff), so they come due in the order they were scheduled. Each such kind
//! gets a FIFO lane; an entry that would break its lane's order (the delay was just
//! lowered) goes to the binary heap instead. The heap then only holds what is really
//! unordered (hold ends), which keeps it small when thousands of requests wait. The
//! single pending arrival has a slot of its own (rescheduling it on a rate change
//! replaces it). Rare events (max lifetimes, housekeeping, timeline, openings) sit in a second
//! heap, so a pool of a thousand idle connections does not deepen the hot one.
//! Popping takes the least (time, sequence) over both heaps and the lane fronts, so the
//! order is exactly that of a single heap.
//!
//! Laid out for the event loop, which pops every event: (time, sequence) is one `u128`
//! key (time in the high half), so a comparison is two instructions, not a tuple's
//! branches; each store's least key is kept in `heads`, so popping reads numbers instead
//! of peeking into eight stores; and the least key of the six stores whose front
//! changes rarely (the database slot, the rare heap, the lanes) is kept too (`rest`), so
//! popping compares three keys — the arrival, the heap's top, the rest — and looks
//! through the six again only after one of them changed its front. Measured with
//! cachegrind: −5 % instructions on a one-hour run of `abandoned-reclaim-kills-slow-queries`
//! and on June 15, against scanning every store's front on every pop. Both heaps are the
//! queue's own ([`Heap`]), inlined where they pop: −3 % instructions more, and the event
//! loop no longer waits on a stalled load of each popped hold end. Pushes are inlined
//! into their callers too (`#[inline(always)]`: the compiler kept them out of line), so
//! a new entry is written where it goes from the registers it was built in: passed by
//! reference, each event was written field by field and read back whole, a stalled load
//! on every hold and every timer scheduled (−4 % instructions, −3 % wall time).
//! Not in wasm, where the page's size comes first: there pushes are only `#[inline]`,
//! the compiler's choice, as before.

use std::collections::VecDeque;

use crate::sim::instance::InstanceId;
use crate::time::SimTime;

/// FIFO lanes for timers with a fixed delay.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Lane {
    AcquireTimeout = 0,
    LeakCheck = 1,
    AbandonCheck = 2,
    Retry = 3,
}

const LANES: usize = 4;

/// Where each store's earliest key sits in [`EventQueue::heads`].
const ARRIVAL: usize = 0;
const HEAP: usize = 1;
/// The stores from here on change their front rarely or pop rarely: their least key is
/// kept in [`EventQueue::rest`].
const DATABASE: usize = 2;
const RARE: usize = 3;
/// Lane `i`'s front is at `heads[FIRST_LANE + i]`.
const FIRST_LANE: usize = 4;
const SOURCES: usize = FIRST_LANE + LANES;

/// The key of an empty store: after every real one.
const EMPTY: u128 = u128::MAX;

/// An event's place in the order: its time in the high 64 bits, its sequence number in
/// the low, so one `u128` comparison orders by (time, seq).
#[inline]
fn key(time: SimTime, seq: u64) -> u128 {
    (u128::from(time.as_micros()) << 64) | u128::from(seq)
}

/// The time of a key.
#[inline]
fn time_of(key: u128) -> SimTime {
    SimTime::from_micros((key >> 64) as u64)
}

/// What happens when an event pops.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Event {
    /// The next new request arrives.
    Arrival,
    /// Request `k` tries again after a failure.
    Retry { k: u64, attempt: u32 },
    /// The waiter with this ticket at instance `inst` gives up (stale if it was served
    /// or failed already).
    AcquireTimeout { inst: InstanceId, ticket: u64 },
    /// The request holding `conn` under `lease` returns it.
    HoldEnd { inst: InstanceId, conn: u32, lease: u32 },
    /// Connection `conn` of instance `inst` finished opening (the fields of the
    /// events below name the instance the same way).
    Opened { inst: InstanceId, conn: u32, lease: u32 },
    /// Leak detection looks at `conn` if it is still out under `lease`.
    LeakCheck { inst: InstanceId, conn: u32, lease: u32 },
    /// Abandoned reclaim looks at `conn` if still out under `lease` and the timeout
    /// setting is still the one of `epoch`.
    AbandonCheck { inst: InstanceId, conn: u32, lease: u32, epoch: u32 },
    /// Connection `conn` (serial number `serial`) reached its max lifetime.
    Lifetime { inst: InstanceId, conn: u32, serial: u64 },
    /// HikariCP's housekeeper, every 30 s (each instance's in turn).
    Housekeeping,
    /// The database's next query finishes (there is at most one pending).
    DatabaseDone,
    /// The pool's creator tries to open connections again after the database refused one.
    OpenRetry { inst: InstanceId },
    /// The scenario's timeline event number `index` (sorted order).
    Timeline { index: u32 },
    /// The application is back up after the restart of `epoch`.
    RestartDone { inst: InstanceId, epoch: u32 },
    /// The caller of the request holding `conn` under `lease` reaches its deadline.
    CallerDeadline { inst: InstanceId, conn: u32, lease: u32 },
    /// The caller of the attempt with this ticket in the accept queue of `inst` reaches
    /// its deadline (stale if a thread took it).
    AcceptDeadline { inst: InstanceId, ticket: u64 },
    /// The oldest request of `inst` that needs no database is done (stale if the
    /// instance restarted since: `epoch`).
    NoDbDone { inst: InstanceId, epoch: u32 },
    /// A health check's probe is done with `conn` (stale unless still under `lease`).
    ProbeDone { inst: InstanceId, conn: u32, lease: u32 },
    /// The load balancer checks instance `inst`.
    HealthCheck { inst: InstanceId },
    /// Instance `inst` has been out of the balancer long enough to be restarted (stale if
    /// it returned since it left with `epoch`).
    HealthRestart { inst: InstanceId, epoch: u32 },
    /// The start of instance `inst` after its restart `epoch` runs out of time.
    StartupTimeout { inst: InstanceId, epoch: u32 },
}

/// An event at a time.
#[derive(Clone, Copy, Debug)]
struct Entry {
    /// (time, seq) as one number ([`key`]).
    key: u128,
    event: Event,
}

/// A binary min-heap of entries by key: the earliest (time, seq) on top.
///
/// The standard library's `BinaryHeap` pops out of line, and the event it hands back
/// came through memory in pieces the event loop then read across (a stalled load on
/// every hold's end); this one is inlined where it pops, reading the entry whole from
/// where it lies. Keys are distinct, so any correct heap pops in the same order.
#[derive(Clone, Debug, Default)]
struct Heap {
    entries: Vec<Entry>,
}

impl Heap {
    /// The least key ([`EMPTY`] when empty).
    #[inline]
    fn top_key(&self) -> u128 {
        self.entries.first().map_or(EMPTY, |e| e.key)
    }

    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    #[cfg_attr(target_arch = "wasm32", inline)]
    fn push(&mut self, entry: Entry) {
        let mut pos = self.entries.len();
        self.entries.push(entry);
        // Move the hole up while the parent is later.
        while pos > 0 {
            let parent = (pos - 1) / 2;
            let above = self.entries[parent];
            if above.key < entry.key {
                break;
            }
            self.entries[pos] = above;
            pos = parent;
        }
        self.entries[pos] = entry;
    }

    /// Remove the entry with the least key.
    #[inline]
    fn pop(&mut self) -> Option<Entry> {
        let last = self.entries.pop()?;
        let Some(&top) = self.entries.first() else { return Some(last) };
        // The last entry goes to the root's hole, then down while a child is earlier.
        let n = self.entries.len();
        let mut pos = 0;
        loop {
            let mut child = 2 * pos + 1;
            if child >= n {
                break;
            }
            if child + 1 < n && self.entries[child + 1].key < self.entries[child].key {
                child += 1;
            }
            let below = self.entries[child];
            if last.key < below.key {
                break;
            }
            self.entries[pos] = below;
            pos = child;
        }
        self.entries[pos] = last;
        Some(top)
    }
}

/// Pending events up to the end of the run.
#[derive(Clone, Debug)]
pub(crate) struct EventQueue {
    /// The earliest key of each store ([`EMPTY`] when it holds nothing): the arrival slot,
    /// the database slot, the heap, the rare heap, then each lane's front. Popping reads
    /// these eight numbers instead of peeking into every store.
    heads: [u128; SOURCES],
    /// The least of `heads[DATABASE..]` and where it is: popping compares three keys, and
    /// the others are looked through again only when one of them changes its front.
    rest: (usize, u128),
    heap: Heap,
    /// Rare events, kept out of the hot heap.
    rare: Heap,
    /// Each lane is sorted by (time, seq) from front to back.
    lanes: [VecDeque<Entry>; LANES],
    next_seq: u64,
    /// Timers that came due and were dropped as moot, not yet counted by the event loop.
    moot: u64,
    /// Events after this time can never run, so they are not stored [µs].
    horizon: SimTime,
}

impl EventQueue {
    /// An empty queue for a run ending at `horizon`.
    pub(crate) fn new(horizon: SimTime) -> Self {
        Self {
            heads: [EMPTY; SOURCES],
            rest: (DATABASE, EMPTY),
            heap: Heap::default(),
            rare: Heap::default(),
            lanes: Default::default(),
            next_seq: 0,
            moot: 0,
            horizon,
        }
    }

    /// The next sequence number.
    #[inline]
    fn seq(&mut self) -> u64 {
        let seq = self.next_seq;
        self.next_seq += 1;
        seq
    }

    /// Schedule the next arrival at `time`, replacing any pending one; `None` (rate 0)
    /// or a time after the end of the run leaves no arrival pending.
    pub(crate) fn set_arrival(&mut self, time: Option<SimTime>) {
        self.heads[ARRIVAL] = self.slot(time);
    }

    /// Schedule the database's next completion at `time`, replacing any pending one;
    /// `None` (nothing running) or a time after the end of the run leaves none pending.
    pub(crate) fn set_database(&mut self, time: Option<SimTime>) {
        let key = self.slot(time);
        self.set_rest_head(DATABASE, key);
    }

    /// Store `source` (one of the rest) now has `key` at its front.
    #[inline]
    fn set_rest_head(&mut self, source: usize, key: u128) {
        self.heads[source] = key;
        if key < self.rest.1 {
            self.rest = (source, key);
        } else if self.rest.0 == source {
            self.find_rest();
        }
    }

    /// Look through the rest for the least key.
    fn find_rest(&mut self) {
        let mut best = (DATABASE, self.heads[DATABASE]);
        for (i, &head) in self.heads.iter().enumerate().skip(DATABASE + 1) {
            if head < best.1 {
                best = (i, head);
            }
        }
        self.rest = best;
    }

    /// The key for a single-event slot, if `time` is within the run ([`EMPTY`] if not).
    #[inline]
    fn slot(&mut self, time: Option<SimTime>) -> u128 {
        match time {
            Some(t) if t <= self.horizon => {
                let seq = self.seq();
                key(t, seq)
            }
            _ => EMPTY,
        }
    }

    /// Schedule a rare event (kept in the second heap); dropped if after the end of the run.
    pub(crate) fn push_rare(&mut self, time: SimTime, event: Event) {
        if time <= self.horizon {
            let key = key(time, self.seq());
            self.rare.push(Entry { key, event });
            if key < self.heads[RARE] {
                self.set_rest_head(RARE, key);
            }
        }
    }

    /// Schedule a fixed-delay timer: into its lane when that keeps the lane sorted,
    /// else into the heap. Dropped if it would fall after the end of the run.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    #[cfg_attr(target_arch = "wasm32", inline)]
    pub(crate) fn push_lane(&mut self, lane: Lane, time: SimTime, event: Event) {
        if time > self.horizon {
            return;
        }
        let key = key(time, self.seq());
        let i = lane as usize;
        let fifo = &mut self.lanes[i];
        match fifo.back() {
            None => {
                fifo.push_back(Entry { key, event });
                self.set_rest_head(FIRST_LANE + i, key);
            }
            Some(last) if time_of(last.key) <= time => fifo.push_back(Entry { key, event }),
            Some(_) => self.push_heap(key, event),
        }
    }

    /// Schedule `event` at `time`; dropped if it would fall after the end of the run.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    #[cfg_attr(target_arch = "wasm32", inline)]
    pub(crate) fn push(&mut self, time: SimTime, event: Event) {
        if time <= self.horizon {
            let key = key(time, self.seq());
            self.push_heap(key, event);
        }
    }

    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    #[cfg_attr(target_arch = "wasm32", inline)]
    fn push_heap(&mut self, key: u128, event: Event) {
        self.heap.push(Entry { key, event });
        self.heads[HEAP] = self.heads[HEAP].min(key);
    }

    /// Which store holds the earliest event, and its key ([`EMPTY`]: none at all).
    #[inline]
    fn earliest(&self) -> (usize, u128) {
        let mut best = self.rest;
        if self.heads[HEAP] < best.1 {
            best = (HEAP, self.heads[HEAP]);
        }
        if self.heads[ARRIVAL] < best.1 {
            best = (ARRIVAL, self.heads[ARRIVAL]);
        }
        best
    }

    /// Time of the earliest event [µs].
    pub(crate) fn peek_time(&self) -> Option<SimTime> {
        let (_, key) = self.earliest();
        (key != EMPTY).then(|| time_of(key))
    }

    /// Remove the earliest event.
    #[cfg(test)]
    pub(crate) fn pop(&mut self) -> Option<(SimTime, Event)> {
        self.pop_due(SimTime::MAX, |_| false)
    }

    /// Remove the earliest event if it is due at or before `until`.
    ///
    /// A lane's timer for which `moot` says it would do nothing (a leak or abandoned check
    /// of a connection that came back long ago: most of them) is removed as it comes due
    /// and counted in [`take_moot`](Self::take_moot) instead of being returned, so the
    /// event loop does not dispatch it. That changes nothing but the work: the timer is
    /// the earliest event when it is dropped, so nothing can happen between now and its
    /// time, and what `moot` looks at (a lease, an epoch) only moves on.
    #[inline]
    pub(crate) fn pop_due(
        &mut self,
        until: SimTime,
        moot: impl Fn(&Event) -> bool,
    ) -> Option<(SimTime, Event)> {
        loop {
            let (source, key) = self.earliest();
            if key == EMPTY {
                return None;
            }
            let time = time_of(key);
            if time > until {
                return None;
            }
            let event = match source {
                ARRIVAL => {
                    self.heads[ARRIVAL] = EMPTY;
                    Event::Arrival
                }
                DATABASE => {
                    self.set_rest_head(DATABASE, EMPTY);
                    Event::DatabaseDone
                }
                HEAP => {
                    let entry = self.heap.pop()?;
                    self.heads[HEAP] = self.heap.top_key();
                    entry.event
                }
                RARE => {
                    let entry = self.rare.pop()?;
                    let next = self.rare.top_key();
                    self.set_rest_head(RARE, next);
                    entry.event
                }
                _ => {
                    let i = source - FIRST_LANE;
                    let lane = &mut self.lanes[i];
                    let entry = lane.pop_front()?;
                    let next = lane.front().map_or(EMPTY, |e| e.key);
                    self.set_rest_head(source, next);
                    if moot(&entry.event) {
                        self.moot += 1;
                        continue;
                    }
                    entry.event
                }
            };
            return Some((time, event));
        }
    }

    /// How many timers [`pop_due`](Self::pop_due) dropped as moot since the last call.
    pub(crate) fn take_moot(&mut self) -> u64 {
        std::mem::take(&mut self.moot)
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
    fn ties_pop_in_scheduling_order() {
        let mut q = EventQueue::new(at(100));
        q.push(at(5), Event::Timeline { index: 0 });
        q.push(at(3), Event::Housekeeping);
        q.push(at(5), Event::Timeline { index: 1 });
        q.push(at(5), Event::Timeline { index: 2 });
        q.push(at(101), Event::Housekeeping); // after the horizon: dropped
        let order: Vec<_> = std::iter::from_fn(|| q.pop()).collect();
        assert_eq!(
            order,
            vec![
                (at(3), Event::Housekeeping),
                (at(5), Event::Timeline { index: 0 }),
                (at(5), Event::Timeline { index: 1 }),
                (at(5), Event::Timeline { index: 2 }),
            ]
        );
    }

    #[test]
    fn moot_lane_timers_are_dropped_in_order_and_counted() {
        let mut q = EventQueue::new(at(1000));
        let check = |conn| Event::AbandonCheck { inst: 0, conn, lease: 0, epoch: 0 };
        for (t, conn) in [(10, 1), (20, 2), (30, 3), (40, 4)] {
            q.push_lane(Lane::AbandonCheck, at(t), check(conn));
        }
        q.push(at(25), Event::Housekeeping);
        q.push_rare(at(35), Event::Timeline { index: 0 });
        let moot = |e: &Event| matches!(e, Event::AbandonCheck { conn: 1 | 2 | 4, .. });
        let mut order = Vec::new();
        while let Some(popped) = q.pop_due(at(1000), moot) {
            order.push((popped, q.take_moot()));
        }
        assert_eq!(
            order,
            vec![
                ((at(25), Event::Housekeeping), 2),
                ((at(30), check(3)), 0),
                ((at(35), Event::Timeline { index: 0 }), 0),
            ]
        );
        assert_eq!(q.take_moot(), 1, "the last moot timer, once the queue ran dry");
        // Nothing after `until` is dropped, moot or not.
        q.push_lane(Lane::AbandonCheck, at(50), check(1));
        assert_eq!(q.pop_due(at(49), moot), None);
        assert_eq!(q.take_moot(), 0);
        assert_eq!(q.peek_time(), Some(at(50)));
    }

    #[test]
    fn lanes_and_heap_pop_in_one_global_order() {
        let mut q = EventQueue::new(at(1000));
        let t = |ticket| Event::AcquireTimeout { inst: 0, ticket };
        q.push_lane(Lane::AcquireTimeout, at(10), t(0));
        q.push(at(10), Event::Housekeeping);
        q.push_lane(Lane::AcquireTimeout, at(20), t(1));
        // Out of lane order (the timeout was lowered): goes to the heap, still pops in order.
        q.push_lane(Lane::AcquireTimeout, at(15), t(2));
        q.push_lane(Lane::Retry, at(10), Event::Retry { k: 1, attempt: 1 });
        q.push_rare(at(10), Event::Timeline { index: 0 });
        let order: Vec<_> = std::iter::from_fn(|| q.pop()).collect();
        assert_eq!(
            order,
            vec![
                (at(10), t(0)),
                (at(10), Event::Housekeeping),
                (at(10), Event::Retry { k: 1, attempt: 1 }),
                (at(10), Event::Timeline { index: 0 }),
                (at(15), t(2)),
                (at(20), t(1)),
            ]
        );
    }
}
