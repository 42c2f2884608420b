//! The live run, shared between the animation loop (which advances and draws it every
//! frame) and the panels (which re-render from it at most ~10 times a second).
//!
//! The run owns its playback mode: a seek in progress, a run to the end, or plain playback
//! (at the page's speed while the page plays). The page's settings ([`UiState`]) hold only
//! whether the user plays and how fast. Pages change the run through [`LiveHandle`]'s
//! methods, never by borrowing its insides; a method that changes what the page should show
//! answers with the [`UiAction`] the page then dispatches (pausing when a seek stops a run to
//! the end, playing when a run to the end starts).
//!
//! [`UiState`]: crate::state::UiState

use std::cell::{Ref, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;

use poolsim_charts::Motion;
use poolsim_engine::{Action, CallerSettings, ConnectionView, HealthMode, Scenario, Settings, SimTime};

use crate::run::fleet::Flows;
use crate::run::log_feed::LogFeed;
use crate::run::player::{Player, Speed};
use crate::state::UiAction;

/// Engine work allowed per animation frame while playing [ms], leaving the rest of the
/// 16.7 ms frame for drawing.
pub const FRAME_WORK_MS: f64 = 6.0;
/// Engine work per frame while seeking or running to the end [ms]: most of the time goes to
/// the engine, yet the page still answers (about 20 frames a second).
pub const RACE_WORK_MS: f64 = 40.0;

/// What "run to end" reports: how much was simulated, how fast.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RunStats {
    /// Simulated time covered [s].
    pub simulated_s: f64,
    /// Attempts simulated (retries included).
    pub attempts: u64,
    /// Engine time it took in this browser, summed over the frames it ran in [ms].
    pub wall_ms: f64,
}

/// Where a run to the end started, and the engine time it has taken so far.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Race {
    from_s: f64,
    attempts: u64,
    work_ms: f64,
}

/// How the run moves in a frame: the one record of seeking and running to the end.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Mode {
    /// At the page's speed while the page plays; still while it is paused.
    Playback,
    /// Re-simulating towards a time as fast as the frame budget allows, playing or not.
    Seeking { to: SimTime },
    /// Running to the end as fast as the frame budget allows, timed for [`RunStats`].
    ToEnd(Race),
}

/// A run in progress and what the page derives from it.
#[derive(Debug)]
pub struct Live {
    /// The run, or why the scenario cannot run. Read it; change it through the methods.
    pub player: Result<Player, String>,
    /// The event log as displayed.
    log: LogFeed,
    /// Reused buffer of connection views for drawing the pool (every frame).
    connections: RefCell<Vec<ConnectionView>>,
    /// In a fleet, each instance's flows per second, for the pool view of one of them.
    flows: RefCell<Flows>,
    /// The pool view's requests in motion, between frames.
    motion: RefCell<Motion>,
    /// The speed the page plays at, as its latest frame asked (the pool view draws requests
    /// one by one or as flows by arrivals per real second).
    speed: Speed,
    /// Set when a run to the end arrives.
    run_stats: Option<RunStats>,
    /// Bumped each time the panels should re-render.
    tick: u64,
    /// Seeking, running to the end, or playback.
    mode: Mode,
    /// Work time of the latest animation frames (engine + pool drawing) [ms].
    frame_work_ms: VecDeque<f64>,
}

/// Frames kept for the per-frame work statistic.
const FRAME_STATS: usize = 120;

/// What one animation frame did to the run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Frame {
    /// Engine events processed.
    pub events: u64,
    /// The run has reached its end.
    pub finished: bool,
    /// A seek arrived at its time during this frame.
    pub arrived: bool,
}

/// What the page shows of the run, read at once.
#[derive(Clone, Debug, PartialEq)]
pub struct Status {
    /// Changes each time the panels should re-render.
    pub tick: u64,
    /// Simulated time now.
    pub now: SimTime,
    /// Simulated time at the end of the run (0 when the scenario cannot run).
    pub end: SimTime,
    /// The settings in force once the run has started (`None` at time 0, when an edit
    /// still makes a new starting point, and when the scenario cannot run).
    pub settings: Option<Settings>,
    /// What the callers do now, once the run has started, when it models them.
    pub callers: Option<CallerSettings>,
    /// What the fleet's health checks do now, once the run has started, when it has them.
    pub health: Option<HealthMode>,
    /// What the last run to the end reported.
    pub run_stats: Option<RunStats>,
    /// Why the scenario cannot run.
    pub error: Option<String>,
}

impl Status {
    /// The run has reached its end (or cannot run at all: both times are 0).
    pub fn finished(&self) -> bool {
        self.now == self.end
    }

    /// Simulated time now [s].
    pub fn now_s(&self) -> f64 {
        self.now.as_secs_f64()
    }

    /// How much of the run has been simulated, 0 to 1.
    pub fn progress(&self) -> f64 {
        self.now.as_micros() as f64 / self.end.as_micros().max(1) as f64
    }
}

impl Live {
    /// A run of `scenario` at time 0.
    pub fn new(scenario: &Scenario) -> Self {
        let mut live = Self {
            player: Player::new(scenario).map_err(|e| e.to_string()),
            log: LogFeed::default(),
            connections: RefCell::default(),
            flows: RefCell::default(),
            motion: RefCell::default(),
            speed: Speed::Times(1),
            run_stats: None,
            tick: 0,
            mode: Mode::Playback,
            frame_work_ms: VecDeque::with_capacity(FRAME_STATS),
        };
        live.sync();
        live
    }

    /// A run of `scenario` on its way to `at` (where a rebuilt run resumes), or at time 0.
    pub fn starting_at(scenario: &Scenario, at: Option<SimTime>) -> Self {
        let mut live = Self::new(scenario);
        if let Some(t) = at {
            live.seek(scenario, t);
        }
        live
    }

    /// Go to simulated time `t`: forward by simulating on, backward by re-simulating
    /// `scenario` from the start (the same seed gives the same run, so the view at any time
    /// is always the same). The work happens in the following frames, a slice at a time,
    /// whether the page plays or not. Returns whether this stopped a run to the end.
    pub fn seek(&mut self, scenario: &Scenario, t: SimTime) -> bool {
        let behind = self.player.as_ref().is_ok_and(|p| p.sim().now() > t);
        if behind || self.player.is_err() {
            self.player = Player::new(scenario).map_err(|e| e.to_string());
            self.log = LogFeed::default();
            self.flows = RefCell::default();
            self.motion = RefCell::default();
            self.run_stats = None;
        }
        let stopped_run_to_end = self.running_to_end();
        self.mode = Mode::Seeking { to: t };
        stopped_run_to_end
    }

    /// A seek is still running.
    pub fn seeking(&self) -> bool {
        matches!(self.mode, Mode::Seeking { .. })
    }

    /// A run to the end is in progress.
    pub fn running_to_end(&self) -> bool {
        matches!(self.mode, Mode::ToEnd(_))
    }

    /// The run has work of its own (a seek, a run to the end): the animation loop runs
    /// whether the page plays or not, with the larger work budget.
    pub fn busy(&self) -> bool {
        self.mode != Mode::Playback
    }

    /// The speed this frame advances the run at, or `None` to leave it where it is: as fast
    /// as possible while seeking or running to the end, `speed` while the page plays.
    /// Decided by the run itself each frame, so a frame that comes before the re-render
    /// following an arrived seek cannot play a paused run on from where the seek stopped.
    pub fn frame_speed(&self, playing: bool, speed: Speed) -> Option<Speed> {
        match self.mode {
            Mode::Seeking { .. } | Mode::ToEnd(_) => Some(Speed::Max),
            Mode::Playback => playing.then_some(speed),
        }
    }

    /// One animation frame, `elapsed_real_ms` after the previous one: a seek's slice while
    /// seeking, the rest of the run while running to the end, playback at `speed` while
    /// `playing`, nothing otherwise. `clock_ms` reads the real clock [ms]: the frame works
    /// until its budget ([`FRAME_WORK_MS`], or [`RACE_WORK_MS`] while busy) is spent, and a
    /// run to the end counts the engine time it took.
    pub fn frame(
        &mut self,
        elapsed_real_ms: f64,
        playing: bool,
        speed: Speed,
        clock_ms: impl Fn() -> f64,
    ) -> Frame {
        self.speed = speed;
        let Some(speed) = self.frame_speed(playing, speed) else { return Frame::default() };
        let started = clock_ms();
        let deadline = started + if self.busy() { RACE_WORK_MS } else { FRAME_WORK_MS };
        let has_time = || clock_ms() < deadline;
        let was_seeking = self.seeking();
        let Ok(player) = &mut self.player else {
            // A scenario that cannot run has nowhere to seek to and no end to race to.
            self.mode = Mode::Playback;
            return Frame { arrived: was_seeking, ..Frame::default() };
        };
        let report = match self.mode {
            Mode::Seeking { to } => {
                let report = player.race_to(to, has_time);
                if player.sim().now() >= to.min(player.sim().end()) {
                    self.mode = Mode::Playback;
                }
                report
            }
            Mode::Playback | Mode::ToEnd(_) => player.frame(elapsed_real_ms, speed, has_time),
        };
        if let Mode::ToEnd(race) = &mut self.mode {
            race.work_ms += clock_ms() - started;
            if player.sim().is_finished() {
                let summary = player.sim().summary();
                self.run_stats = Some(RunStats {
                    simulated_s: summary.simulated_s - race.from_s,
                    attempts: summary.attempts - race.attempts,
                    wall_ms: race.work_ms,
                });
                self.mode = Mode::Playback;
            }
        }
        Frame { events: report.events, finished: report.finished, arrived: was_seeking && !self.seeking() }
    }

    /// Run the rest of the run as fast as the frame budget allows, timing it from where the
    /// run is now (a seek in progress stops where it got to).
    pub fn start_run_to_end(&mut self) {
        self.mode = match &self.player {
            Ok(player) => {
                let summary = player.sim().summary();
                self.run_stats = None;
                Mode::ToEnd(Race { from_s: summary.simulated_s, attempts: summary.attempts, work_ms: 0.0 })
            }
            Err(_) => Mode::Playback,
        };
    }

    /// Stop a run to the end where it got to (playback paused, or played on at its speed).
    pub fn stop_run_to_end(&mut self) {
        if self.running_to_end() {
            self.mode = Mode::Playback;
        }
    }

    /// Advance exactly one simulated second (the "step" button) and bring the panels up to date.
    pub fn step_second(&mut self) {
        if let Ok(player) = &mut self.player {
            player.step_second();
        }
        self.sync();
    }

    /// Apply `action` to the run at the current simulated time (a live fix or a control
    /// changed while running) and bring the panels up to date. Returns the time it applied at
    /// [s], or `None` when the engine refused it or the scenario cannot run (nothing changed).
    pub fn apply_now(&mut self, action: Action) -> Option<f64> {
        let player = self.player.as_mut().ok()?;
        let at_s = player.sim().now().as_secs_f64();
        player.apply(action).ok()?;
        self.sync();
        Some(at_s)
    }

    /// Simulated time now (0 when the scenario cannot run).
    pub fn now(&self) -> SimTime {
        self.player.as_ref().map_or(SimTime::ZERO, |p| p.sim().now())
    }

    /// What the page shows of the run now.
    pub fn status(&self) -> Status {
        match &self.player {
            Ok(player) => {
                let sim = player.sim();
                Status {
                    tick: self.tick,
                    now: sim.now(),
                    end: sim.end(),
                    settings: (sim.now() > SimTime::ZERO).then(|| sim.current()),
                    callers: (sim.now() > SimTime::ZERO && sim.models_callers())
                        .then(|| sim.caller_settings()),
                    health: sim.health_mode().filter(|_| sim.now() > SimTime::ZERO),
                    run_stats: self.run_stats,
                    error: None,
                }
            }
            Err(e) => Status {
                tick: self.tick,
                now: SimTime::ZERO,
                end: SimTime::ZERO,
                settings: None,
                callers: None,
                health: None,
                run_stats: None,
                error: Some(e.clone()),
            },
        }
    }

    /// Changes each time the panels should re-render.
    pub fn tick(&self) -> u64 {
        self.tick
    }

    /// What the last run to the end reported.
    pub fn run_stats(&self) -> Option<RunStats> {
        self.run_stats
    }

    /// The event log as displayed (up to the last [`sync`](Self::sync)).
    pub fn log(&self) -> &LogFeed {
        &self.log
    }

    /// Call `f` with instance `instance`'s connections now (0-based; the only pool without a
    /// fleet; `None`: every instance's, one after the other), gathered into a buffer reused
    /// from frame to frame (the pool is drawn every frame); empty when the scenario cannot
    /// run.
    pub fn with_connections<R>(&self, instance: Option<u32>, f: impl FnOnce(&[ConnectionView]) -> R) -> R {
        let mut connections = self.connections.borrow_mut();
        connections.clear();
        if let Ok(player) = &self.player {
            let sim = player.sim();
            let (from, to) = instance.map_or((0, sim.instance_count()), |j| (j, j + 1));
            for j in from..to {
                connections.extend(sim.instance_connections(j));
            }
        }
        f(&connections)
    }

    /// The pool view's requests in motion (see [`Motion`]), to bring up to date and draw.
    pub fn motion(&self) -> std::cell::RefMut<'_, Motion> {
        self.motion.borrow_mut()
    }

    /// The speed the page plays at, as its latest frame asked.
    pub fn speed(&self) -> Speed {
        self.speed
    }

    /// The instance the pool view shows when `wanted` is asked for: it, or the first when the
    /// fleet has no such instance (a smaller fleet, or none).
    pub fn shown_instance(&self, wanted: u32) -> u32 {
        let count = self.player.as_ref().map_or(1, |p| p.sim().instance_count());
        if wanted < count { wanted } else { 0 }
    }

    /// Instance `j`'s attempts in, served and timed out per second lately (0-based; see
    /// [`Flows`]).
    pub fn instance_flows(&self, j: u32) -> [u32; 3] {
        let mut flows = self.flows.borrow_mut();
        if let Ok(player) = &self.player {
            flows.update(player.sim());
        }
        flows.per_second(j)
    }

    /// Record how long one frame's work took [ms].
    pub fn record_frame_work(&mut self, ms: f64) {
        if self.frame_work_ms.len() == FRAME_STATS {
            self.frame_work_ms.pop_front();
        }
        self.frame_work_ms.push_back(ms);
    }

    /// Median and worst work time of the recent frames [ms], if any frame ran.
    pub fn frame_work_stats(&self) -> Option<(f64, f64)> {
        // Work times are never negative: their bit patterns sort as the values do. The
        // project's one small sort: the last FRAME_STATS values, ten times a second.
        let mut bits: Vec<u64> = self.frame_work_ms.iter().map(|t| t.max(0.0).to_bits()).collect();
        if bits.is_empty() {
            return None;
        }
        poolsim_engine::sort::stable_by(&mut bits, |a, b| a < b);
        Some((f64::from_bits(bits[bits.len() / 2]), f64::from_bits(bits[bits.len() - 1])))
    }

    /// Bring the derived views (log rows) up to date and mark the panels stale.
    pub fn sync(&mut self) {
        if let Ok(player) = &self.player {
            let sim = player.sim();
            self.log.update(sim.log(), sim.log_total());
        }
        self.tick += 1;
    }
}

/// A cheap, shared handle to the live run: what the pages ask of the run and tell it. Two
/// handles are equal when they share the run.
///
/// Pages go through the methods; the panels read the run with [`read`](Self::read). Nothing
/// else reaches the cell: one place changes the run.
#[derive(Clone, Debug)]
pub struct LiveHandle(Rc<RefCell<Live>>);

impl LiveHandle {
    /// A handle to a new run of `scenario`.
    pub fn new(scenario: &Scenario) -> Self {
        Self::starting_at(scenario, None)
    }

    /// A handle to a new run of `scenario`, on its way to `at` if given (see
    /// [`Live::starting_at`]).
    pub fn starting_at(scenario: &Scenario, at: Option<SimTime>) -> Self {
        Self(Rc::new(RefCell::new(Live::starting_at(scenario, at))))
    }

    /// The run, for reading (the panels render from it). Do not hold it across a call that
    /// changes the run.
    pub fn read(&self) -> Ref<'_, Live> {
        self.0.borrow()
    }

    /// What the page shows of the run now.
    pub fn status(&self) -> Status {
        self.read().status()
    }

    /// Simulated time now.
    pub fn now(&self) -> SimTime {
        self.read().now()
    }

    /// Simulated time now [s].
    pub fn now_s(&self) -> f64 {
        self.now().as_secs_f64()
    }

    /// The run has work of its own (see [`Live::busy`]): the animation loop must run.
    pub fn busy(&self) -> bool {
        self.read().busy()
    }

    /// The scrubber: go to `t` (see [`Live::seek`]). Grabbing the scrubber during a run to
    /// the end stops there, so this answers [`UiAction::Pause`] then; during playback,
    /// playback goes on from the new time (`None`: the settings stay as they are).
    pub fn seek(&self, scenario: &Scenario, t: SimTime) -> Option<UiAction> {
        self.0.borrow_mut().seek(scenario, t).then_some(UiAction::Pause)
    }

    /// "Step 1 s": one simulated second, the panels brought up to date.
    pub fn step_second(&self) {
        self.0.borrow_mut().step_second();
    }

    /// "Run to end": race the rest of the run. Answers [`UiAction::Play`]: the play button
    /// shows "Pause" during the run to the end, and pausing stops it.
    pub fn start_run_to_end(&self) -> UiAction {
        self.0.borrow_mut().start_run_to_end();
        UiAction::Play
    }

    /// Play or pause (the button, the space bar): either way a run to the end is over (it
    /// stops where it got to; playing on plays at the chosen speed). Answers
    /// [`UiAction::TogglePlay`].
    pub fn toggle_play(&self) -> UiAction {
        self.0.borrow_mut().stop_run_to_end();
        UiAction::TogglePlay
    }

    /// Apply `action` now (see [`Live::apply_now`]): the time it applied at [s], or `None`.
    pub fn apply_now(&self, action: Action) -> Option<f64> {
        self.0.borrow_mut().apply_now(action)
    }

    /// One animation frame (see [`Live::frame`]).
    pub fn frame(
        &self,
        elapsed_real_ms: f64,
        playing: bool,
        speed: Speed,
        clock_ms: impl Fn() -> f64,
    ) -> Frame {
        self.0.borrow_mut().frame(elapsed_real_ms, playing, speed, clock_ms)
    }

    /// Record how long one frame's work took [ms] (see [`Live::frame_work_stats`]).
    pub fn record_frame_work(&self, ms: f64) {
        self.0.borrow_mut().record_frame_work(ms);
    }

    /// Bring the panels' views up to date (see [`Live::sync`]).
    pub fn sync(&self) {
        self.0.borrow_mut().sync();
    }
}

impl PartialEq for LiveHandle {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use super::*;
    use crate::state::UiState;
    use yew::Reducible;

    /// A clock that moves 1 ms each time it is read, and how often it was read.
    fn ticking_clock(reads: &Cell<u32>) -> impl Fn() -> f64 + '_ {
        || {
            reads.set(reads.get() + 1);
            f64::from(reads.get() - 1)
        }
    }

    /// A clock with all the time in the world.
    fn stopped_clock() -> f64 {
        0.0
    }

    /// A clock whose every read is past any frame's budget: one slice of work a frame.
    fn rushed_clock(reads: &Cell<u32>) -> impl Fn() -> f64 + '_ {
        || {
            reads.set(reads.get() + 1);
            f64::from(reads.get()) * 1_000.0
        }
    }

    fn reduce(state: UiState, action: UiAction) -> UiState {
        (*Rc::new(state).reduce(action)).clone()
    }

    /// Frames until a seek arrives; the count of frames that said it arrived.
    fn finish_seek(live: &mut Live, playing: bool) -> u32 {
        let mut arrivals = 0;
        while live.seeking() {
            arrivals += u32::from(live.frame(16.0, playing, Speed::Times(60), stopped_clock).arrived);
        }
        arrivals
    }

    #[test]
    fn frame_statistics_keep_the_recent_frames() {
        let mut live = Live::new(&Scenario::default());
        assert_eq!(live.frame_work_stats(), None);
        for i in 0..1_000 {
            live.record_frame_work(f64::from(i % 10));
        }
        assert_eq!(live.frame_work_ms.len(), FRAME_STATS);
        assert_eq!(live.frame_work_stats(), Some((5.0, 9.0)));
    }

    #[test]
    fn seeking_back_re_simulates_the_same_run_and_forward_simulates_on() {
        let scenario =
            Scenario::from_json(r#"{ "duration_s": 300, "leak": { "probability": 0.01 } }"#).expect("valid");
        let mut live = Live::new(&scenario);
        let seek = |live: &mut Live, t_s| {
            live.seek(&scenario, SimTime::from_secs(t_s));
            assert_eq!(finish_seek(live, false), 1, "a seek arrives once");
        };
        seek(&mut live, 200);
        let at_200 = live.player.as_ref().map(|p| (p.sim().now(), p.sim().gauges())).expect("runs");
        assert_eq!(at_200.0, SimTime::from_secs(200));
        seek(&mut live, 100);
        assert_eq!(live.now(), SimTime::from_secs(100), "back in time");
        seek(&mut live, 200);
        let again = live.player.as_ref().map(|p| (p.sim().now(), p.sim().gauges())).expect("runs");
        assert_eq!(again, at_200, "the view at a time is always the same");
    }

    #[test]
    fn a_frame_after_a_seek_arrived_leaves_a_paused_run_where_the_seek_stopped() {
        let scenario = Scenario::from_json(r#"{ "duration_s": 600 }"#).expect("valid");
        let mut live = Live::new(&scenario);
        live.seek(&scenario, SimTime::from_secs(120));
        assert!(live.busy(), "the loop runs while seeking, paused or not");
        assert_eq!(live.frame_speed(false, Speed::Times(60)), Some(Speed::Max), "seeking races");
        assert_eq!(finish_seek(&mut live, false), 1);
        assert!(!live.busy());
        assert_eq!(live.frame_speed(false, Speed::Times(60)), None, "paused: stays at 08:02");
        // The frames that still come before the re-render stopping the loop.
        for _ in 0..3 {
            assert_eq!(live.frame(16.0, false, Speed::Times(60), stopped_clock), Frame::default());
        }
        assert_eq!(live.now(), SimTime::from_secs(120));
        assert_eq!(live.frame_speed(true, Speed::Times(60)), Some(Speed::Times(60)));
        live.start_run_to_end();
        assert_eq!(live.frame_speed(true, Speed::Times(60)), Some(Speed::Max));
    }

    #[test]
    fn a_shared_link_opens_on_its_way_to_its_time() {
        let scenario = Scenario::from_json(r#"{ "duration_s": 600 }"#).expect("valid");
        let mut live = Live::starting_at(&scenario, Some(SimTime::from_secs(120)));
        assert!(live.seeking());
        finish_seek(&mut live, true);
        assert_eq!(live.now(), SimTime::from_secs(120));
        assert!(!Live::starting_at(&scenario, None).busy(), "no time: from the start");
    }

    #[test]
    fn run_to_end_reports_what_it_simulated_and_its_engine_time() {
        let mut live = Live::new(&Scenario::from_json(r#"{ "duration_s": 120 }"#).expect("valid"));
        live.frame(1_000.0, true, Speed::Times(10), stopped_clock); // 1 s played first (the frame clamps to 100 ms)
        live.start_run_to_end();
        let reads = Cell::new(0);
        let mut work_ms = 0.0;
        while live.run_stats().is_none() {
            let before = reads.get();
            live.frame(16.0, true, Speed::Times(10), ticking_clock(&reads));
            // The frame's first read starts it, its last ends it: 1 ms a read in between.
            work_ms += f64::from(reads.get() - before - 1);
        }
        let stats = live.run_stats().expect("finished");
        assert_eq!(stats.simulated_s, 119.0, "the part run to the end, not what was played before");
        assert_eq!(stats.wall_ms, work_ms);
        assert!(stats.wall_ms > 0.0 && stats.attempts > 0);
        assert!(!live.running_to_end() && live.status().finished());
    }

    #[test]
    fn run_to_end_plays_until_finished_and_pausing_stops_it() {
        let scenario = Scenario::from_json(r#"{ "duration_s": 300, "traffic": { "rate_per_s": 2000 } }"#)
            .expect("valid");
        let live = LiveHandle::new(&scenario);
        let racing = reduce(UiState::default(), live.start_run_to_end());
        assert!(racing.playing && live.read().running_to_end());
        live.frame(16.0, racing.playing, racing.speed, rushed_clock(&Cell::new(0)));
        let paused = reduce(racing.clone(), live.toggle_play());
        assert!(!paused.playing && !live.busy(), "paused where it got to");
        let at = live.now();
        assert!(at > SimTime::ZERO && at < SimTime::from_secs(300), "{at:?}");
        // Playing on plays at the chosen speed, no longer racing.
        let playing = reduce(paused, live.toggle_play());
        assert!(playing.playing);
        assert_eq!(live.read().frame_speed(playing.playing, playing.speed), Some(playing.speed));

        let live = LiveHandle::new(&scenario);
        let racing = reduce(UiState::default(), live.start_run_to_end());
        let mut state = racing;
        while state.playing {
            if live.frame(16.0, state.playing, state.speed, stopped_clock).finished {
                state = reduce(state, UiAction::Finished);
            }
        }
        assert!(live.status().finished() && live.read().run_stats().is_some() && !live.busy());
    }

    #[test]
    fn seeking_during_run_to_end_stops_at_the_sought_time_but_playback_plays_on() {
        let scenario = Scenario::from_json(r#"{ "duration_s": 600 }"#).expect("valid");
        let live = LiveHandle::new(&scenario);
        let racing = reduce(UiState::default(), live.start_run_to_end());
        let stop = live.seek(&scenario, SimTime::from_secs(60));
        assert_eq!(stop, Some(UiAction::Pause));
        let sought = stop.into_iter().fold(racing, reduce);
        assert!(live.read().seeking() && !live.read().running_to_end() && !sought.playing);
        finish_seek(&mut live.0.borrow_mut(), sought.playing);
        assert_eq!(live.read().frame_speed(sought.playing, sought.speed), None, "stopped at the sought time");
        assert_eq!(live.now(), SimTime::from_secs(60));

        let playing = reduce(UiState::default(), UiAction::Play);
        let live = LiveHandle::new(&scenario);
        assert_eq!(live.seek(&scenario, SimTime::from_secs(60)), None, "playback goes on from the new time");
        finish_seek(&mut live.0.borrow_mut(), playing.playing);
        assert_eq!(live.read().frame_speed(playing.playing, playing.speed), Some(playing.speed));
    }

    #[test]
    fn a_live_action_applies_at_the_current_time_and_a_refused_one_changes_nothing() {
        let scenario = Scenario::from_json(r#"{ "duration_s": 600 }"#).expect("valid");
        let live = LiveHandle::new(&scenario);
        for _ in 0..3 {
            live.step_second();
        }
        assert_eq!(live.now_s(), 3.0);
        let tick = live.status().tick;
        assert_eq!(live.apply_now(Action::ResizePool { max_size: 20, min_idle: None }), Some(3.0));
        assert_eq!(live.status().settings.map(|s| s.max_size), Some(20));
        assert!(live.status().tick > tick, "the panels re-render");
        assert_eq!(live.apply_now(Action::ResizePool { max_size: 0, min_idle: None }), None);
        assert_eq!(live.status().settings.map(|s| s.max_size), Some(20));
    }

    #[test]
    fn a_scenario_that_cannot_run_says_why_and_never_keeps_the_loop_busy() {
        let mut scenario = Scenario::default();
        scenario.pool.max_size = 0;
        let mut live = Live::starting_at(&scenario, Some(SimTime::from_secs(5)));
        let status = live.status();
        assert!(status.error.is_some() && status.finished() && status.settings.is_none());
        assert!(live.frame(16.0, false, Speed::Times(1), stopped_clock).arrived);
        assert!(!live.busy());
        live.start_run_to_end();
        assert!(!live.busy());
    }
}
