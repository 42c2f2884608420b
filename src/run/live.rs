//! The live run, shared between the animation loop (which advances and draws it every
//! frame) and the panels (which re-render from it at most ~10 times a second).

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use poolsim_engine::{ConnectionView, Scenario};

use crate::run::log_feed::LogFeed;
use crate::run::player::{FrameReport, Player, Speed};

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

/// A run in progress and what the page derives from it.
#[derive(Debug)]
pub struct Live {
    /// The run, or why the scenario cannot run.
    pub player: Result<Player, String>,
    /// The event log as displayed.
    pub log: LogFeed,
    /// Reused buffer of connection views for drawing the pool.
    pub connections: Vec<ConnectionView>,
    /// Set by "run to end".
    pub run_stats: Option<RunStats>,
    /// Bumped each time the panels should re-render.
    pub tick: u64,
    /// A run to the end in progress.
    racing: Option<Race>,
    /// A seek in progress: the simulated time being raced to [µs].
    seek_to_us: Option<u64>,
    /// Work time of the latest animation frames (engine + pool drawing) [ms].
    frame_work_ms: VecDeque<f64>,
}

/// Frames kept for the per-frame work statistic.
const FRAME_STATS: usize = 120;

impl Live {
    /// A run of `scenario` at time 0.
    pub fn new(scenario: &Scenario) -> Self {
        let mut live = Self {
            player: Player::new(scenario).map_err(|e| e.to_string()),
            log: LogFeed::default(),
            connections: Vec::new(),
            run_stats: None,
            tick: 0,
            frame_work_ms: VecDeque::with_capacity(FRAME_STATS),
            racing: None,
            seek_to_us: None,
        };
        live.sync();
        live
    }

    /// Go to simulated time `t_us`: forward by simulating on, backward by re-simulating
    /// `scenario` from the start (the same seed gives the same run, so the view at any time
    /// is always the same). The work happens in the following frames, a slice at a time.
    pub fn seek(&mut self, scenario: &Scenario, t_us: u64) {
        let behind = self.player.as_ref().is_ok_and(|p| p.sim().now_us() > t_us);
        if behind || self.player.is_err() {
            self.player = Player::new(scenario).map_err(|e| e.to_string());
            self.log = LogFeed::default();
            self.run_stats = None;
        }
        self.racing = None;
        self.seek_to_us = Some(t_us);
    }

    /// A seek is still running.
    pub fn seeking(&self) -> bool {
        self.seek_to_us.is_some()
    }

    /// The speed this frame advances the run at, or `None` to leave it where it is: as fast
    /// as possible while seeking or running to the end, `speed` while playing. Asked of the
    /// run itself each frame, because a frame may come before the re-render that follows an
    /// arrived seek: it must not play on from where the seek stopped.
    pub fn frame_speed(&self, to_end: bool, playing: bool, speed: Speed) -> Option<Speed> {
        if to_end || self.seeking() { Some(Speed::Max) } else { playing.then_some(speed) }
    }

    /// One animation frame: a seek's slice while seeking, playback otherwise.
    pub fn frame_or_seek(
        &mut self,
        elapsed_real_ms: f64,
        speed: Speed,
        has_time: impl FnMut() -> bool,
    ) -> FrameReport {
        let Some(target) = self.seek_to_us else { return self.frame(elapsed_real_ms, speed, has_time) };
        let Ok(player) = &mut self.player else {
            self.seek_to_us = None;
            return FrameReport::default();
        };
        let report = player.race_to(target, has_time);
        if player.sim().now_us() >= target.min(player.sim().end_us()) {
            self.seek_to_us = None;
        }
        report
    }

    /// One animation frame of playback.
    pub fn frame(
        &mut self,
        elapsed_real_ms: f64,
        speed: Speed,
        has_time: impl FnMut() -> bool,
    ) -> FrameReport {
        match &mut self.player {
            Ok(player) => player.frame(elapsed_real_ms, speed, has_time),
            Err(_) => FrameReport::default(),
        }
    }

    /// Start timing a run to the end from where the run is now.
    pub fn start_run_to_end(&mut self) {
        self.seek_to_us = None;
        if let Ok(player) = &self.player {
            let summary = player.sim().summary();
            self.racing =
                Some(Race { from_s: summary.simulated_s, attempts: summary.attempts, work_ms: 0.0 });
            self.run_stats = None;
        }
    }

    /// Account one frame of a run to the end: `work_ms` of engine work. When the run has
    /// reached its end, the statistics are ready in [`run_stats`](Self::run_stats).
    pub fn race_frame(&mut self, work_ms: f64) {
        let (Some(race), Ok(player)) = (&mut self.racing, &self.player) else { return };
        race.work_ms += work_ms;
        if player.sim().is_finished() {
            let summary = player.sim().summary();
            self.run_stats = Some(RunStats {
                simulated_s: summary.simulated_s - race.from_s,
                attempts: summary.attempts - race.attempts,
                wall_ms: race.work_ms,
            });
            self.racing = None;
        }
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
        // Work times are never negative: their bit patterns sort as the values do.
        let mut bits: Vec<u64> = self.frame_work_ms.iter().map(|t| t.max(0.0).to_bits()).collect();
        if bits.is_empty() {
            return None;
        }
        bits.sort_unstable();
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

/// A cheap, shared handle to the live run. Two handles are equal when they share the run.
#[derive(Clone, Debug)]
pub struct LiveHandle(pub Rc<RefCell<Live>>);

impl LiveHandle {
    /// A handle to a new run of `scenario`.
    pub fn new(scenario: &Scenario) -> Self {
        Self(Rc::new(RefCell::new(Live::new(scenario))))
    }
}

impl PartialEq for LiveHandle {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let seek = |live: &mut Live, t_us| {
            live.seek(&scenario, t_us);
            while live.seeking() {
                live.frame_or_seek(16.0, Speed::Times(1), || false);
            }
        };
        seek(&mut live, 200_000_000);
        let at_200 = live.player.as_ref().map(|p| (p.sim().now_us(), p.sim().gauges())).expect("runs");
        assert_eq!(at_200.0, 200_000_000);
        seek(&mut live, 100_000_000);
        assert_eq!(live.player.as_ref().map(|p| p.sim().now_us()).ok(), Some(100_000_000), "back in time");
        seek(&mut live, 200_000_000);
        let again = live.player.as_ref().map(|p| (p.sim().now_us(), p.sim().gauges())).expect("runs");
        assert_eq!(again, at_200, "the view at a time is always the same");
    }

    #[test]
    fn a_frame_after_a_seek_arrived_leaves_a_paused_run_where_the_seek_stopped() {
        let scenario = Scenario::from_json(r#"{ "duration_s": 600 }"#).expect("valid");
        let mut live = Live::new(&scenario);
        live.seek(&scenario, 120_000_000);
        assert_eq!(live.frame_speed(false, false, Speed::Times(60)), Some(Speed::Max), "seeking races");
        while live.seeking() {
            live.frame_or_seek(16.0, Speed::Max, || true);
        }
        assert_eq!(live.frame_speed(false, false, Speed::Times(60)), None, "paused: stays at 08:02");
        assert_eq!(live.frame_speed(false, true, Speed::Times(60)), Some(Speed::Times(60)));
        assert_eq!(live.frame_speed(true, true, Speed::Times(60)), Some(Speed::Max));
        assert_eq!(live.player.as_ref().map(|p| p.sim().now_us()).ok(), Some(120_000_000));
    }

    #[test]
    fn run_to_end_reports_what_it_simulated_and_its_engine_time() {
        let mut live = Live::new(&Scenario::from_json(r#"{ "duration_s": 120 }"#).expect("valid"));
        live.frame(1_000.0, Speed::Times(10), || true); // 1 s played first (the frame clamps to 100 ms)
        live.start_run_to_end();
        let mut frames = 0;
        while live.run_stats.is_none() {
            live.frame(16.0, Speed::Max, || false);
            live.race_frame(2.5);
            frames += 1;
        }
        let stats = live.run_stats.expect("finished");
        assert_eq!(stats.simulated_s, 119.0, "the part run to the end, not what was played before");
        assert_eq!(stats.wall_ms, 2.5 * f64::from(frames));
        assert!(stats.attempts > 0);
    }
}
