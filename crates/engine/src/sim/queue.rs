//! The event queue, ordered by (time, sequence), so events at the same microsecond run
//! in the order they were scheduled.
//!
//! Timers are never removed. Each carries the lease, ticket or epoch it was scheduled
//! for; when it pops and that no longer matches, it is ignored. This keeps cancelling
//! O(1) instead of searching the queue.
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

use std::cmp::Ordering;
use std::collections::{BinaryHeap, VecDeque};

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

/// Which store holds an entry.
#[derive(Clone, Copy, Debug)]
enum Source {
    Arrival,
    Database,
    Heap,
    Rare,
    Lane(usize),
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

/// An event at a time; ordered so that the heap pops the earliest, FIFO among ties.
#[derive(Clone, Copy, Debug)]
struct Entry {
    time: SimTime,
    seq: u64,
    event: Event,
}

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        self.time == other.time && self.seq == other.seq
    }
}

impl Eq for Entry {}

impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Entry {
    /// Reversed: `BinaryHeap` is a max-heap and we want the earliest (time, seq) on top.
    fn cmp(&self, other: &Self) -> Ordering {
        (other.time, other.seq).cmp(&(self.time, self.seq))
    }
}

/// Pending events up to the end of the run.
#[derive(Clone, Debug)]
pub(crate) struct EventQueue {
    /// The next arrival of a new request: there is at most one.
    arrival: Option<Entry>,
    /// The database's next completion: there is at most one.
    database: Option<Entry>,
    heap: BinaryHeap<Entry>,
    /// Rare events, kept out of the hot heap.
    rare: BinaryHeap<Entry>,
    /// Each lane is sorted by (time, seq) from front to back.
    lanes: [VecDeque<Entry>; LANES],
    next_seq: u64,
    /// Events after this time can never run, so they are not stored [µs].
    horizon: SimTime,
}

impl EventQueue {
    /// An empty queue for a run ending at `horizon`.
    pub(crate) fn new(horizon: SimTime) -> Self {
        Self {
            arrival: None,
            database: None,
            heap: BinaryHeap::new(),
            rare: BinaryHeap::new(),
            lanes: Default::default(),
            next_seq: 0,
            horizon,
        }
    }

    /// Schedule the next arrival at `time`, replacing any pending one; `None` (rate 0)
    /// or a time after the end of the run leaves no arrival pending.
    pub(crate) fn set_arrival(&mut self, time: Option<SimTime>) {
        self.arrival = self.slot(time, Event::Arrival);
    }

    /// Schedule the database's next completion at `time`, replacing any pending one;
    /// `None` (nothing running) or a time after the end of the run leaves none pending.
    pub(crate) fn set_database(&mut self, time: Option<SimTime>) {
        self.database = self.slot(time, Event::DatabaseDone);
    }

    /// The entry for a single-event slot, if `time` is within the run.
    fn slot(&mut self, time: Option<SimTime>, event: Event) -> Option<Entry> {
        time.filter(|&t| t <= self.horizon).map(|time| {
            let seq = self.next_seq;
            self.next_seq += 1;
            Entry { time, seq, event }
        })
    }

    /// Schedule a rare event (kept in the second heap); dropped if after the end of the run.
    pub(crate) fn push_rare(&mut self, time: SimTime, event: Event) {
        if time <= self.horizon {
            self.rare.push(Entry { time, seq: self.next_seq, event });
            self.next_seq += 1;
        }
    }

    /// Schedule a fixed-delay timer: into its lane when that keeps the lane sorted,
    /// else into the heap. Dropped if it would fall after the end of the run.
    pub(crate) fn push_lane(&mut self, lane: Lane, time: SimTime, event: Event) {
        if time > self.horizon {
            return;
        }
        let entry = Entry { time, seq: self.next_seq, event };
        self.next_seq += 1;
        let fifo = &mut self.lanes[lane as usize];
        if fifo.back().is_none_or(|last| last.time <= time) {
            fifo.push_back(entry);
        } else {
            self.heap.push(entry);
        }
    }

    /// Where the earliest event is, and its (time, seq).
    fn earliest(&self) -> Option<(Source, SimTime, u64)> {
        let mut best = self.arrival.as_ref().map(|e| (Source::Arrival, e.time, e.seq));
        let mut consider = |source, e: Option<&Entry>| {
            // Compared as plain `u64`s: `<` on a tuple holding a `SimTime` goes through
            // `partial_cmp` and costs this, the hottest loop of the engine, a third more.
            if let Some(e) = e
                && best.is_none_or(|(_, t, s)| (e.time.as_micros(), e.seq) < (t.as_micros(), s))
            {
                best = Some((source, e.time, e.seq));
            }
        };
        consider(Source::Database, self.database.as_ref());
        consider(Source::Heap, self.heap.peek());
        consider(Source::Rare, self.rare.peek());
        for (i, lane) in self.lanes.iter().enumerate() {
            consider(Source::Lane(i), lane.front());
        }
        best
    }

    /// Schedule `event` at `time`; dropped if it would fall after the end of the run.
    pub(crate) fn push(&mut self, time: SimTime, event: Event) {
        if time <= self.horizon {
            self.heap.push(Entry { time, seq: self.next_seq, event });
            self.next_seq += 1;
        }
    }

    /// Time of the earliest event [µs].
    pub(crate) fn peek_time(&self) -> Option<SimTime> {
        self.earliest().map(|(_, t, _)| t)
    }

    /// Remove the earliest event.
    #[cfg(test)]
    pub(crate) fn pop(&mut self) -> Option<(SimTime, Event)> {
        self.pop_due(SimTime::MAX)
    }

    /// Remove the earliest event if it is due at or before `until`.
    pub(crate) fn pop_due(&mut self, until: SimTime) -> Option<(SimTime, Event)> {
        let (source, time, _) = self.earliest()?;
        if time > until {
            return None;
        }
        let entry = match source {
            Source::Arrival => self.arrival.take(),
            Source::Database => self.database.take(),
            Source::Heap => self.heap.pop(),
            Source::Rare => self.rare.pop(),
            Source::Lane(i) => self.lanes[i].pop_front(),
        };
        entry.map(|e| (e.time, e.event))
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
