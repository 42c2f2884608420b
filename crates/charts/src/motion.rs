//! Requests in motion on the pool view: each request a particle that joins the waiting
//! line, flies to the slot it takes, leaves when served, or drops out when it times out or
//! is refused.
//!
//! The engine says where requests *are* (its waiters, each connection's holder); motion is
//! the difference between two drawings, kept here between animation frames ([`Motion`]):
//! a new holder on a slot is a request taking it (from its place in the line, or straight
//! from the door when the pool had a free connection), a holder gone is a request served,
//! a waiter gone at its deadline without a slot dropped out (one gone earlier was served
//! and done between two frames: it leaves the line without a flight; so does a request
//! served and done between two frames without waiting). Refused requests never join the
//! line: the flows count them. Buffers are reused from frame to frame.
//!
//! **When to stop drawing requests one by one.** A flight lasts [`FLIGHT_MS`] of screen
//! time, so `r` arrivals per real second put about `r × 0.45` particles in the air at once.
//! Up to [`FOLLOW_PER_REAL_S`] (200/s, about 90 in flight) they still read as separate dots
//! over a pool of 100 slots, so June 15's 150 logins/s stay drawable at 1×; at 10× it
//! would be 1,500/s — a blur of overlapping dots that would understate the volume. Past the
//! threshold the view switches to flows (arrivals, served and timed out per second as
//! moving stripes) and says so; it comes back below 80 % of it, so a rate hovering at the
//! threshold does not flicker. A frame that jumps far in simulated time (a seek) moves no
//! particle: it would throw every request of the jump across the screen at once.

use poolsim_engine::{ConnState, ConnectionView, SimTime, Waiter};

/// Arrivals per second of screen time above which requests are drawn as flows.
pub const FOLLOW_PER_REAL_S: f64 = 200.0;
/// How long a particle's flight takes on screen [real ms].
pub const FLIGHT_MS: f64 = 450.0;
/// Waiters kept as particles in the line (the longest-waiting ones); the rest are a count.
pub const LANE_MAX: usize = 60;
/// How long a particle takes to move up one place in the line [real ms].
pub const PLACE_MS: f64 = 60.0;

/// What a flying particle does.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Trip {
    /// Takes connection slot `slot`, from its place in the line (`None`: from the door,
    /// without waiting).
    Take { from: Option<f64>, slot: u32 },
    /// Served: leaves slot `slot`, its connection back in the pool.
    Served { slot: u32 },
    /// Timed out or refused: drops out of the line from its place.
    Dropped { from: f64 },
}

/// One particle in flight.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Flight {
    /// The request (its id, as the engine numbers requests).
    pub request: u64,
    /// Where it goes.
    pub trip: Trip,
    /// When the flight started [real ms].
    pub started_ms: f64,
}

impl Flight {
    /// How far the flight has gone at `now_ms`, 0 to 1.
    pub fn progress(&self, now_ms: f64) -> f64 {
        ((now_ms - self.started_ms) / FLIGHT_MS).clamp(0.0, 1.0)
    }
}

/// A waiter in the line and where its particle is drawn: place 0 is the head of the line;
/// a particle moves towards its index as the line moves up, a place per [`PLACE_MS`], and
/// never lags more than one place behind it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct InLane {
    /// The waiting request.
    pub waiter: Waiter,
    /// Where it is drawn, in places from the head.
    pub place: f64,
}

/// The particles of one pool between frames.
#[derive(Clone, Debug, Default)]
pub struct Motion {
    lane: Vec<InLane>,
    next_lane: Vec<InLane>,
    /// Each connection's holder at the previous drawing, by connection id.
    holders: Vec<Option<u64>>,
    flights: Vec<Flight>,
    last_real_ms: f64,
    last_sim: Option<SimTime>,
    flows: bool,
}

impl Motion {
    /// Bring the particles to simulated time `now`, drawn at `now_ms` of real time: the
    /// pool's `waiters` (longest first) and `connections` now, `arrivals_per_s` in the last
    /// simulated second, played at `speed` simulated seconds per real second. `still`
    /// (reduced motion): no particle moves; the line and its ages are drawn in place.
    #[allow(clippy::too_many_arguments)]
    pub fn update(
        &mut self,
        now_ms: f64,
        now: SimTime,
        speed: f64,
        arrivals_per_s: u32,
        waiters: impl Iterator<Item = Waiter>,
        connections: &[ConnectionView],
        still: bool,
    ) {
        let per_real_s = f64::from(arrivals_per_s) * speed;
        self.flows = per_real_s > FOLLOW_PER_REAL_S * if self.flows { 0.8 } else { 1.0 };
        let jumped = self.last_sim.is_none_or(|t| {
            now < t || now.saturating_duration_since(t).as_secs_f64() > speed.max(1.0) * 0.25
        });
        let animate = !(still || self.flows || jumped);
        let step = (now_ms - self.last_real_ms).max(0.0) / PLACE_MS;
        (self.last_sim, self.last_real_ms) = (Some(now), now_ms);
        self.flights.retain(|f| animate && now_ms - f.started_ms < FLIGHT_MS);

        self.next_lane.clear();
        for (i, waiter) in waiters.take(LANE_MAX).enumerate() {
            let target = i as f64;
            let was = self.lane.iter().find(|l| same(&l.waiter, &waiter)).map_or(target + 3.0, |l| l.place);
            // Never more than a place behind: a line whose head drops out faster than
            // particles slide (June 15 at 14:19: 163 timeouts a second) still fills its lane.
            let place = if animate { target.clamp(was - step, was + step).min(target + 1.0) } else { target };
            self.next_lane.push(InLane { waiter, place });
        }
        if animate {
            let taken = self.flights.len();
            for (slot, c) in connections.iter().enumerate() {
                let (holder, before) = (holder(c), self.holders.get(c.id as usize).copied().flatten());
                if holder == before {
                    continue;
                }
                let slot = slot as u32;
                if let Some(request) = before {
                    self.flights.push(Flight { request, trip: Trip::Served { slot }, started_ms: now_ms });
                }
                if let Some(request) = holder {
                    let from = self.lane.iter().find(|l| l.waiter.request == request).map(|l| l.place);
                    self.flights.push(Flight {
                        request,
                        trip: Trip::Take { from, slot },
                        started_ms: now_ms,
                    });
                }
            }
            for gone in
                self.lane.iter().filter(|l| !self.next_lane.iter().any(|n| same(&n.waiter, &l.waiter)))
            {
                // Gone before its deadline without a slot seen: served and done within one
                // frame, not a drop-out.
                let took = self.flights[taken..].iter().any(|f| f.request == gone.waiter.request);
                if !took && now >= gone.waiter.deadline_us {
                    let trip = Trip::Dropped { from: gone.place };
                    self.flights.push(Flight { request: gone.waiter.request, trip, started_ms: now_ms });
                }
            }
        }
        std::mem::swap(&mut self.lane, &mut self.next_lane);
        self.holders.clear();
        for c in connections {
            let id = c.id as usize;
            if self.holders.len() <= id {
                self.holders.resize(id + 1, None);
            }
            self.holders[id] = holder(c);
        }
    }

    /// Too many arrivals per real second to draw one by one: the view shows flows.
    pub fn flows(&self) -> bool {
        self.flows
    }

    /// The waiters drawn in the line, longest first.
    pub fn lane(&self) -> &[InLane] {
        &self.lane
    }

    /// The particles in flight.
    pub fn flights(&self) -> &[Flight] {
        &self.flights
    }

    /// When the particles were last brought up to date [real ms].
    pub fn now_ms(&self) -> f64 {
        self.last_real_ms
    }

    /// Particles moving now: in flight, or still sliding to their place in the line.
    pub fn moving(&self) -> usize {
        let sliding = self.lane.iter().enumerate().filter(|(i, l)| l.place != *i as f64);
        self.flights.len() + sliding.count()
    }

    /// The words for the mode on screen: one request a dot, or flows.
    pub fn caption(&self) -> &'static str {
        if self.flows { "Too many to draw one by one: flows per second." } else { "Each dot is one request." }
    }
}

/// The request holding connection `c` (in use or leaked).
fn holder(c: &ConnectionView) -> Option<u64> {
    c.holder.filter(|_| c.state != ConnState::Idle)
}

/// The same attempt of the same request.
fn same(a: &Waiter, b: &Waiter) -> bool {
    a.request == b.request && a.attempt == b.attempt
}

#[cfg(test)]
mod tests {
    use super::*;

    fn waiter(request: u64, since_s: u64) -> Waiter {
        Waiter {
            request,
            attempt: 0,
            since_us: SimTime::from_secs(since_s),
            deadline_us: SimTime::from_secs(since_s + 30),
            gave_up: false,
        }
    }

    fn conn(id: u32, holder: Option<u64>) -> ConnectionView {
        ConnectionView {
            id,
            state: if holder.is_some() { ConnState::Active } else { ConnState::Idle },
            since_us: SimTime::ZERO,
            until_us: None,
            holder,
            suspected: false,
            orphaned: false,
        }
    }

    /// One drawing 16 ms after the previous, 16 ms of simulated time later (1×).
    fn frame(m: &mut Motion, n: u64, waiters: &[Waiter], connections: &[ConnectionView]) {
        let now = SimTime::from_micros((1_000 + 16 * n) * 1_000);
        m.update(16.0 * n as f64, now, 1.0, 10, waiters.iter().copied(), connections, false);
    }

    #[test]
    fn a_particle_per_waiter_ordered_by_arrival_easing_into_place() {
        let mut m = Motion::default();
        let line = [waiter(7, 1), waiter(8, 2), waiter(9, 3)];
        frame(&mut m, 0, &line, &[]);
        let order: Vec<u64> = m.lane().iter().map(|l| l.waiter.request).collect();
        assert_eq!(order, [7, 8, 9], "longest waiter at the head");
        assert_eq!(m.moving(), 0, "the first drawing puts everyone in place");
        frame(&mut m, 1, &[waiter(7, 1), waiter(8, 2), waiter(9, 3), waiter(10, 4)], &[]);
        let newcomer = m.lane()[3];
        assert!(newcomer.place > 3.0, "a newcomer slides in from behind the line: {newcomer:?}");
        assert_eq!(m.moving(), 1);
        for n in 2..60 {
            frame(&mut m, n, &[waiter(7, 1), waiter(8, 2), waiter(9, 3), waiter(10, 4)], &[]);
        }
        assert_eq!(m.moving(), 0, "and comes to rest at its place");
    }

    #[test]
    fn a_line_whose_head_drops_out_fast_stays_drawn_at_its_places() {
        // Three waiters time out at the head every frame, three more join at the back: a
        // place per 60 ms cannot keep up, yet every particle stays within a place of its own.
        let mut m = Motion::default();
        for n in 0..40u64 {
            let line: Vec<Waiter> = (n * 3..n * 3 + 30).map(|r| waiter(r, 0)).collect();
            frame(&mut m, n, &line, &[]);
            for (i, l) in m.lane().iter().enumerate() {
                assert!(l.place <= i as f64 + 1.0, "frame {n}: {l:?} lags behind place {i}");
            }
        }
        assert_eq!(m.lane().len(), 30);
    }

    #[test]
    fn a_served_waiter_leaves_the_line_for_its_slot_then_leaves_the_slot() {
        let mut m = Motion::default();
        let busy = [conn(0, Some(1)), conn(1, Some(2))];
        frame(&mut m, 0, &[waiter(7, 1), waiter(8, 2)], &busy);
        // Connection 1 is returned and goes to the head of the line at once.
        frame(&mut m, 1, &[waiter(8, 2)], &[conn(0, Some(1)), conn(1, Some(7))]);
        let trips: Vec<(u64, Trip)> = m.flights().iter().map(|f| (f.request, f.trip)).collect();
        assert_eq!(trips, [(2, Trip::Served { slot: 1 }), (7, Trip::Take { from: Some(0.0), slot: 1 })]);
        assert_eq!(m.lane()[0].waiter.request, 8, "the next in line moves up");
        // Request 3 arrives and finds connection 0 just returned: it never waited.
        frame(&mut m, 2, &[waiter(8, 2)], &[conn(0, Some(3)), conn(1, Some(7))]);
        assert!(m.flights().contains(&Flight {
            request: 3,
            trip: Trip::Take { from: None, slot: 0 },
            started_ms: 32.0
        }));
        // Flights land and are gone after FLIGHT_MS.
        for n in 3..40 {
            frame(&mut m, n, &[waiter(8, 2)], &[conn(0, Some(3)), conn(1, Some(7))]);
        }
        assert!(m.flights().is_empty());
    }

    #[test]
    fn a_waiter_handed_a_newly_opened_connection_flies_to_its_new_slot() {
        let mut m = Motion::default();
        frame(&mut m, 0, &[waiter(7, 1)], &[conn(0, Some(1))]);
        frame(&mut m, 1, &[], &[conn(0, Some(1)), conn(1, Some(7))]);
        let trips: Vec<(u64, Trip)> = m.flights().iter().map(|f| (f.request, f.trip)).collect();
        assert_eq!(trips, [(7, Trip::Take { from: Some(0.0), slot: 1 })], "not a drop-out");
    }

    #[test]
    fn a_timed_out_waiter_drops_out_of_the_line() {
        let mut m = Motion::default();
        let full = [conn(0, Some(1))];
        // Request 7's timeout is up at 1.016 s, the second drawing.
        let due = Waiter { deadline_us: SimTime::from_micros(1_016_000), ..waiter(7, 0) };
        frame(&mut m, 0, &[due, waiter(8, 0), waiter(9, 0)], &full);
        frame(&mut m, 1, &[waiter(8, 0), waiter(9, 0)], &full);
        let trips: Vec<(u64, Trip)> = m.flights().iter().map(|f| (f.request, f.trip)).collect();
        assert_eq!(trips, [(7, Trip::Dropped { from: 0.0 })]);
        // Request 8 leaves long before its deadline, its connection already back: served
        // between two drawings, it leaves the line without dropping out.
        frame(&mut m, 2, &[waiter(9, 0)], &full);
        assert!(m.flights().iter().all(|f| f.request != 8));
    }

    #[test]
    fn too_many_arrivals_per_real_second_switch_to_flows_and_back_below_the_threshold() {
        let mut m = Motion::default();
        let line = [waiter(7, 1)];
        // June 15: 150 logins a second.
        let at = |m: &mut Motion, speed: f64, arrivals: u32| {
            m.update(0.0, SimTime::ZERO, speed, arrivals, line.iter().copied(), &[], false);
            m.flows()
        };
        assert!(!at(&mut m, 1.0, 150), "150/s at 1× is drawn one by one");
        assert_eq!(m.caption(), "Each dot is one request.");
        assert!(at(&mut m, 10.0, 150), "1,500/s at 10× is flows");
        assert_eq!(m.caption(), "Too many to draw one by one: flows per second.");
        assert!(at(&mut m, 1.0, 190), "just under the threshold stays flows");
        assert!(!at(&mut m, 1.0, 150), "well under it is dots again");
        assert!(!at(&mut m, 1.0, 200) && at(&mut m, 1.0, 201), "the threshold is 200 a real second");
    }

    #[test]
    fn reduced_motion_moves_nothing_yet_keeps_the_line() {
        let mut m = Motion::default();
        let still = |m: &mut Motion, n: u64, w: &[Waiter], c: &[ConnectionView]| {
            let now = SimTime::from_micros((1_000 + 16 * n) * 1_000);
            m.update(16.0 * n as f64, now, 1.0, 10, w.iter().copied(), c, true);
        };
        still(&mut m, 0, &[waiter(7, 1), waiter(8, 2)], &[conn(0, None)]);
        still(&mut m, 1, &[waiter(8, 2), waiter(9, 3)], &[conn(0, Some(7))]);
        assert_eq!(m.moving(), 0);
        let lane: Vec<(u64, f64)> = m.lane().iter().map(|l| (l.waiter.request, l.place)).collect();
        assert_eq!(lane, [(8, 0.0), (9, 1.0)]);
    }

    #[test]
    fn a_jump_in_simulated_time_moves_no_particle() {
        let mut m = Motion::default();
        frame(&mut m, 0, &[waiter(7, 1)], &[conn(0, None)]);
        // A seek: 60 simulated seconds in one drawing at 1×.
        m.update(
            16.0,
            SimTime::from_secs(61),
            1.0,
            10,
            [waiter(9, 50)].into_iter(),
            &[conn(0, Some(8))],
            false,
        );
        assert_eq!(m.moving(), 0);
        assert_eq!(m.lane()[0].place, 0.0);
    }
}
