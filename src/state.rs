//! UI state: the scenario being edited (settings), playback (playing, speed), and a
//! generation counter that restarts the run. The running simulation itself lives
//! outside, in the page's [`LiveHandle`](crate::run::live::LiveHandle): settings are not
//! running state. A seek in progress and a run to the end are the run's own (it knows when
//! they arrive); the commands that start or stop them answer with the action for here.

use std::rc::Rc;

use poolsim_content::presets;
use poolsim_engine::{Scenario, SimTime};
use yew::prelude::*;

use crate::run::player::Speed;
use crate::scenarios;

/// The preset the page opens with: the incident poolsim was built to replay.
pub const DEFAULT_PRESET: &str = presets::SEED_INCIDENT;

/// Everything the page's controls decide.
#[derive(Clone, Debug, PartialEq)]
pub struct UiState {
    /// The preset the scenario came from (the picker's value).
    pub preset: String,
    /// The scenario a restart runs: the preset plus the user's edits.
    pub scenario: Rc<Scenario>,
    /// Simulated time is running (also during a run to the end: pausing stops it).
    pub playing: bool,
    /// Where a rebuilt run should seek to at once (the time the user was at when the
    /// timeline changed).
    pub resume_at: Option<SimTime>,
    /// How fast.
    pub speed: Speed,
    /// Bumped to rebuild the run from `scenario` (restart, preset change).
    pub generation: u32,
    /// In a fleet, the instance the pool view shows (0-based; the first when the fleet is
    /// smaller). Kept across restarts and edits; a new scenario starts at the first.
    pub instance: u32,
    /// The preset being fetched ([`crate::scenarios::load`]): the page keeps its scenario,
    /// paused, until it arrives.
    pub loading: Option<String>,
    /// Why the last preset chosen could not be loaded (until another is).
    pub preset_error: Option<String>,
    /// The preset's scenario as shipped, when the page has it (the seed, a preset it
    /// loaded): while the scenario equals it, the address is the short `?preset=<name>`.
    pub shipped: Option<Rc<Scenario>>,
}

impl Default for UiState {
    fn default() -> Self {
        let scenario = Rc::new(scenarios::seed());
        Self {
            preset: DEFAULT_PRESET.to_owned(),
            shipped: Some(scenario.clone()),
            scenario,
            playing: false,
            resume_at: None,
            speed: Speed::Times(60),
            generation: 0,
            instance: 0,
            loading: None,
            preset_error: None,
        }
    }
}

impl UiState {
    /// The state the page opens with: the seed incident, loading the preset a link names
    /// (`?preset=fast-leak`) if it names another one it knows.
    pub fn opening(preset: Option<&str>) -> Self {
        let default = Self::default();
        match preset {
            Some(name) if name != default.preset && scenarios::is_preset(name) => {
                Self { loading: Some(name.to_owned()), ..default }
            }
            _ => default,
        }
    }

    /// The preset the picker shows: the one being loaded, else the scenario's.
    pub fn picked(&self) -> &str {
        self.loading.as_deref().unwrap_or(&self.preset)
    }
}

/// Everything that changes [`UiState`].
#[derive(Clone, Debug, PartialEq)]
pub enum UiAction {
    /// Load a preset by name (the hook [`crate::hooks::use_preset_loader`] fetches it):
    /// pause and wait for it. An unknown name changes nothing.
    LoadPreset(String),
    /// A preset arrived: restart on it, paused (unless another was chosen meanwhile).
    PresetLoaded { name: String, scenario: Rc<Scenario> },
    /// A preset could not be loaded: keep the scenario, say why.
    PresetFailed { name: String, why: String },
    /// Open a shared scenario (a link): restart on it at `at` (from the start when
    /// `None`), at `speed` if given, playing if `autoplay`. `preset` is the picker's value.
    OpenShared {
        scenario: Rc<Scenario>,
        preset: Option<String>,
        at: Option<SimTime>,
        speed: Option<Speed>,
        autoplay: bool,
    },
    /// Replace the scenario's settings (a control changed). `restart` rebuilds the run.
    EditScenario { scenario: Rc<Scenario>, restart: bool },
    /// Start over from time 0 with the current settings.
    Restart,
    /// Start or resume playback (also what starting a run to the end answers).
    Play,
    /// Pause playback (also what a seek that stopped a run to the end answers).
    Pause,
    /// Play if paused, pause if playing.
    TogglePlay,
    /// The timeline changed: rebuild the run from the new scenario and come back to the
    /// time the user was at, re-simulating from the start (same seed, same run).
    ReplaceScenario { scenario: Rc<Scenario>, resume_at: SimTime },
    /// Choose a speed.
    SetSpeed(Speed),
    /// One speed up.
    Faster,
    /// One speed down.
    Slower,
    /// The run reached its end: stop playing.
    Finished,
    /// Show this instance of the fleet in the pool view (0-based).
    SelectInstance(u32),
}

impl Reducible for UiState {
    type Action = UiAction;

    fn reduce(self: Rc<Self>, action: UiAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            UiAction::LoadPreset(name) => {
                if !scenarios::is_preset(&name) {
                    return self;
                }
                next.loading = Some(name);
                next.playing = false;
            }
            UiAction::PresetLoaded { name, scenario } => {
                if self.loading.as_ref() != Some(&name) {
                    return self;
                }
                next.loading = None;
                next.preset_error = None;
                next.preset = name;
                next.shipped = Some(scenario.clone());
                next.scenario = scenario;
                next.playing = false;
                next.resume_at = None;
                next.generation += 1;
                next.instance = 0;
            }
            UiAction::PresetFailed { name, why } => {
                if self.loading.as_ref() != Some(&name) {
                    return self;
                }
                next.loading = None;
                next.preset_error = Some(why);
            }
            UiAction::OpenShared { scenario, preset, at, speed, autoplay } => {
                // A scenario from a link belongs to the preset it names, else to none.
                next.preset = preset.filter(|p| scenarios::is_preset(p)).unwrap_or_default();
                next.loading = None;
                next.preset_error = None;
                // Only the seed is known as shipped without fetching.
                next.shipped = (next.preset == DEFAULT_PRESET).then(|| Rc::new(scenarios::seed()));
                next.scenario = scenario;
                next.resume_at = at.filter(|t| *t > SimTime::ZERO);
                next.speed = speed.unwrap_or(next.speed);
                next.playing = autoplay;
                next.generation += 1;
                next.instance = 0;
            }
            UiAction::EditScenario { scenario, restart } => {
                next.scenario = scenario;
                if restart {
                    next.resume_at = None;
                    next.generation += 1;
                }
            }
            UiAction::ReplaceScenario { scenario, resume_at } => {
                next.scenario = scenario;
                next.resume_at = (resume_at > SimTime::ZERO).then_some(resume_at);
                next.generation += 1;
            }
            UiAction::Restart => {
                next.generation += 1;
                next.resume_at = None;
                next.playing = false;
            }
            // Nothing plays while a preset is on its way (space included): it would be replaced.
            UiAction::Play | UiAction::TogglePlay if self.loading.is_some() => return self,
            UiAction::Play => next.playing = true,
            UiAction::Pause | UiAction::Finished => next.playing = false,
            UiAction::TogglePlay => next.playing = !next.playing,
            UiAction::SetSpeed(speed) => next.speed = speed,
            UiAction::Faster => next.speed = next.speed.faster(),
            UiAction::Slower => next.speed = next.speed.slower(),
            UiAction::SelectInstance(j) => next.instance = j,
        }
        if next == *self { self } else { Rc::new(next) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run::live::Live;

    fn reduce(state: UiState, action: UiAction) -> UiState {
        (*Rc::new(state).reduce(action)).clone()
    }

    #[test]
    fn opens_on_the_seed_incident_paused() {
        let state = UiState::default();
        assert_eq!(state.preset, "june-15-2024");
        assert_eq!(state.scenario.pool.max_size, 100);
        assert!(!state.playing);
    }

    /// Choose `name` and let it arrive.
    fn load(state: UiState, name: &str) -> UiState {
        let chosen = reduce(state, UiAction::LoadPreset(name.into()));
        let scenario = Rc::new(presets::load(name).expect("preset"));
        reduce(chosen, UiAction::PresetLoaded { name: name.into(), scenario })
    }

    #[test]
    fn choosing_a_preset_pauses_until_it_arrives_then_restarts_on_it() {
        let playing = reduce(UiState::default(), UiAction::Play);
        let chosen = reduce(playing.clone(), UiAction::LoadPreset("healthy-pool".into()));
        assert_eq!((chosen.picked(), chosen.preset.as_str()), ("healthy-pool", "june-15-2024"));
        assert!(!chosen.playing, "paused while it loads");
        assert_eq!(reduce(chosen.clone(), UiAction::TogglePlay), chosen, "and stays paused");
        assert_eq!((chosen.generation, &chosen.scenario), (playing.generation, &playing.scenario));
        let loaded = load(playing.clone(), "healthy-pool");
        assert_eq!(
            (loaded.preset.as_str(), loaded.picked(), loaded.loading.as_deref()),
            ("healthy-pool", "healthy-pool", None)
        );
        assert_eq!(*loaded.scenario, presets::load("healthy-pool").expect("preset"));
        assert_eq!(loaded.generation, playing.generation + 1);
        assert!(!loaded.playing);
        assert_eq!(reduce(loaded.clone(), UiAction::LoadPreset("no-such-preset".into())), loaded);
    }

    #[test]
    fn a_preset_that_arrives_after_another_was_chosen_is_dropped() {
        let first = reduce(UiState::default(), UiAction::LoadPreset("healthy-pool".into()));
        let second = reduce(first, UiAction::LoadPreset("fast-leak".into()));
        let late = UiAction::PresetLoaded {
            name: "healthy-pool".into(),
            scenario: Rc::new(presets::load("healthy-pool").expect("preset")),
        };
        assert_eq!(reduce(second.clone(), late), second);
        let failed_late = UiAction::PresetFailed { name: "healthy-pool".into(), why: "offline".into() };
        assert_eq!(reduce(second.clone(), failed_late), second);
    }

    #[test]
    fn a_preset_that_cannot_be_loaded_keeps_the_scenario_and_says_why() {
        let state = load(UiState::default(), "slow-leak");
        let chosen = reduce(state.clone(), UiAction::LoadPreset("fast-leak".into()));
        let failed =
            reduce(chosen, UiAction::PresetFailed { name: "fast-leak".into(), why: "offline".into() });
        assert_eq!((failed.preset.as_str(), failed.picked()), ("slow-leak", "slow-leak"));
        assert_eq!((&failed.scenario, failed.generation), (&state.scenario, state.generation));
        assert_eq!(failed.preset_error.as_deref(), Some("offline"));
        assert_eq!(load(failed, "fast-leak").preset_error, None, "a preset that loads clears it");
    }

    #[test]
    fn a_link_may_name_the_preset_to_open_with() {
        let state = UiState::opening(Some("fast-leak"));
        assert_eq!((state.picked(), state.loading.as_deref()), ("fast-leak", Some("fast-leak")));
        let loaded = load(state, "fast-leak");
        assert_eq!(*loaded.scenario, presets::load("fast-leak").expect("preset"));
        assert_eq!(UiState::opening(Some("no-such-preset")), UiState::default());
        assert_eq!(UiState::opening(Some("june-15-2024")), UiState::default(), "the seed is in the bundle");
        assert_eq!(UiState::opening(None), UiState::default());
    }

    #[test]
    fn a_shared_link_opens_its_scenario_where_and_how_it_says() {
        let mut shared = presets::load("fast-leak").expect("preset");
        shared.pool.max_size = 33;
        let state = UiState::default();
        let opened = reduce(
            state.clone(),
            UiAction::OpenShared {
                scenario: Rc::new(shared.clone()),
                preset: Some("fast-leak".into()),
                at: Some(SimTime::from_secs(120)),
                speed: Some(Speed::Times(10)),
                autoplay: true,
            },
        );
        assert_eq!(*opened.scenario, shared);
        assert_eq!(opened.preset, "fast-leak");
        assert_eq!(opened.resume_at, Some(SimTime::from_secs(120)));
        assert!(opened.playing);
        assert!(Live::starting_at(&opened.scenario, opened.resume_at).seeking(), "the new run seeks there");
        assert_eq!(opened.speed, Speed::Times(10));
        assert_eq!(opened.generation, state.generation + 1);
        // A link naming no preset, an unknown one, or one the picker does not list (a pool
        // flavour's) belongs to no preset: the picker must not claim the one it showed before.
        for named in [None, Some("not-a-preset"), Some("go-database-sql")] {
            let plain = reduce(
                state.clone(),
                UiAction::OpenShared {
                    scenario: Rc::new(shared.clone()),
                    preset: named.map(str::to_owned),
                    at: None,
                    speed: None,
                    autoplay: false,
                },
            );
            assert_eq!(plain.preset, "", "a link naming {named:?}");
            assert!(!plain.playing && plain.resume_at.is_none());
            assert!(!Live::starting_at(&plain.scenario, plain.resume_at).busy(), "from the start, paused");
            assert_eq!(plain.speed, state.speed);
        }
    }

    #[test]
    fn keyboard_playback_actions() {
        let s = reduce(UiState::default(), UiAction::TogglePlay);
        assert!(s.playing);
        let s = reduce(s, UiAction::Faster);
        assert_eq!(s.speed, Speed::Times(300));
        let s = reduce(s, UiAction::Slower);
        let s = reduce(s, UiAction::Slower);
        assert_eq!(s.speed, Speed::Times(10));
        let s = reduce(s, UiAction::Finished);
        assert!(!s.playing);
    }

    // A run to the end and a seek are the run's (`run::live`): its tests drive this reducer
    // with what the run's commands answer (run to the end plays until finished and pausing
    // stops it; seeking during a run to the end stops at the sought time, during playback
    // plays on).
    #[test]
    fn pausing_and_the_end_of_the_run_stop_playback() {
        let playing = reduce(UiState::default(), UiAction::Play);
        assert!(playing.playing);
        assert!(!reduce(playing.clone(), UiAction::Pause).playing);
        assert!(!reduce(playing.clone(), UiAction::TogglePlay).playing);
        assert!(!reduce(playing, UiAction::Finished).playing);
        let paused = UiState::default();
        assert_eq!(reduce(paused.clone(), UiAction::Pause), paused, "pausing a paused run changes nothing");
    }

    #[test]
    fn a_changed_timeline_rebuilds_the_run_and_returns_to_the_same_time() {
        let state = UiState::default();
        let next = reduce(
            state.clone(),
            UiAction::ReplaceScenario {
                scenario: state.scenario.clone(),
                resume_at: SimTime::from_secs(7_200),
            },
        );
        assert_eq!(next.generation, state.generation + 1);
        assert_eq!(next.resume_at, Some(SimTime::from_secs(7_200)));
        assert!(Live::starting_at(&next.scenario, next.resume_at).seeking(), "the new run seeks there");
        let restarted = reduce(next, UiAction::Restart);
        assert_eq!(restarted.resume_at, None, "a restart starts at the beginning");
    }

    #[test]
    fn the_chosen_instance_stays_through_restarts_and_a_new_scenario_starts_at_the_first() {
        let chosen = reduce(UiState::default(), UiAction::SelectInstance(2));
        assert_eq!(chosen.instance, 2);
        assert_eq!(chosen.generation, UiState::default().generation, "choosing rebuilds nothing");
        assert_eq!(reduce(chosen.clone(), UiAction::Restart).instance, 2);
        assert_eq!(load(chosen.clone(), "healthy-pool").instance, 0);
        let shared = UiAction::OpenShared {
            scenario: chosen.scenario.clone(),
            preset: None,
            at: None,
            speed: None,
            autoplay: false,
        };
        assert_eq!(reduce(chosen, shared).instance, 0);
    }

    #[test]
    fn edits_restart_only_when_asked() {
        let state = UiState::default();
        let mut scenario = (*state.scenario).clone();
        scenario.pool.max_size = 200;
        let live = reduce(
            state.clone(),
            UiAction::EditScenario { scenario: Rc::new(scenario.clone()), restart: false },
        );
        assert_eq!(live.generation, state.generation);
        assert_eq!(live.scenario.pool.max_size, 200);
        let fresh =
            reduce(state.clone(), UiAction::EditScenario { scenario: Rc::new(scenario), restart: true });
        assert_eq!(fresh.generation, state.generation + 1);
    }
}
