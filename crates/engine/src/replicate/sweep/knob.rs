//! The settings a sweep can vary: each [`Knob`] is a scenario field, named by the path
//! [`Scenario::validate`] names in its errors (`pool.max_size`), read and written as a
//! number.

use crate::scenario::{ActionKind, FleetConfig, Scenario};

/// A scenario setting a sweep varies. A cell sets the scenario's own value, the one the
/// run starts with; a timeline action that changes the setting later still does
/// ([`changed_by`](Self::changed_by)).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Knob {
    /// `pool.max_size`, HikariCP's `maximumPoolSize` [connections]. A `min_idle` above it
    /// comes down to it, as HikariCP resets `minimumIdle`.
    MaxSize,
    /// `leak.probability`: the share of served requests that leak their connection.
    LeakProbability,
    /// `traffic.rate_per_s`: the mean arrival rate [requests/s].
    Rate,
    /// `work.hold_ms`: the mean time a request holds its connection [ms].
    Hold,
    /// `pool.connection_timeout_ms`, HikariCP's `connectionTimeout` [ms]; 0 waits for ever.
    ConnectionTimeout,
    /// `fleet.instances`: application instances, each with its own pool; 1 is no fleet.
    /// More keeps the scenario's balancer (round robin without one).
    Instances,
}

impl Knob {
    /// Every knob, in the order help texts list them.
    pub const ALL: [Knob; 6] = [
        Self::MaxSize,
        Self::LeakProbability,
        Self::Rate,
        Self::Hold,
        Self::ConnectionTimeout,
        Self::Instances,
    ];

    /// The scenario field it sets, as errors and files name it.
    pub const fn path(self) -> &'static str {
        match self {
            Self::MaxSize => "pool.max_size",
            Self::LeakProbability => "leak.probability",
            Self::Rate => "traffic.rate_per_s",
            Self::Hold => "work.hold_ms",
            Self::ConnectionTimeout => "pool.connection_timeout_ms",
            Self::Instances => "fleet.instances",
        }
    }

    /// The knob whose [`path`](Self::path) is `path`.
    pub fn from_path(path: &str) -> Option<Knob> {
        Self::ALL.into_iter().find(|k| k.path() == path)
    }

    /// Every path, for a message listing what is accepted.
    pub fn paths() -> String {
        Self::ALL.map(Knob::path).join(", ")
    }

    /// Its unit, for an axis title (`""` for a probability).
    pub const fn unit(self) -> &'static str {
        match self {
            Self::MaxSize => "connections",
            Self::LeakProbability => "",
            Self::Rate => "requests/s",
            Self::Hold | Self::ConnectionTimeout => "ms",
            Self::Instances => "instances",
        }
    }

    /// The field holds a whole number: a sweep rounds its steps.
    pub const fn is_whole(self) -> bool {
        matches!(self, Self::MaxSize | Self::ConnectionTimeout | Self::Instances)
    }

    /// The largest value the field can hold (not the largest [`Scenario::validate`]
    /// accepts, which it says itself): a whole value beyond it would not fit.
    pub const fn capacity(self) -> f64 {
        match self {
            Self::MaxSize | Self::Instances => u32::MAX as f64,
            // Exact as f64 and far beyond any timeout accepted.
            Self::ConnectionTimeout => (1u64 << 53) as f64,
            Self::LeakProbability | Self::Rate | Self::Hold => f64::MAX,
        }
    }

    /// Its value in `scenario`.
    pub fn get(self, scenario: &Scenario) -> f64 {
        match self {
            Self::MaxSize => f64::from(scenario.pool.max_size),
            Self::LeakProbability => scenario.leak.probability,
            Self::Rate => scenario.traffic.rate_per_s,
            Self::Hold => scenario.work.hold_ms,
            // At most 2⁵³ ms once validated: exact.
            Self::ConnectionTimeout => scenario.pool.connection_timeout_ms as f64,
            Self::Instances => f64::from(FleetConfig::instances_of(scenario)),
        }
    }

    /// Set it to `value` in `scenario`. A whole knob takes `value` rounded and cut to
    /// [`capacity`](Self::capacity) (an axis never gives it more); the range is
    /// [`Scenario::validate`]'s to check.
    pub fn set(self, scenario: &mut Scenario, value: f64) {
        let whole = libm::round(value).clamp(0.0, self.capacity());
        match self {
            Self::MaxSize => scenario.pool.set_max_size(whole as u32),
            Self::LeakProbability => scenario.leak.probability = value,
            Self::Rate => scenario.traffic.rate_per_s = value,
            Self::Hold => scenario.work.hold_ms = value,
            Self::ConnectionTimeout => scenario.pool.connection_timeout_ms = whole as u64,
            Self::Instances => FleetConfig::set_instances(scenario, whole as u32),
        }
    }

    /// `scenario` with this knob set to `value`.
    pub fn with(self, scenario: &Scenario, value: f64) -> Scenario {
        let mut s = scenario.clone();
        self.set(&mut s, value);
        s
    }

    /// The timeline actions that change this setting while the run goes on.
    pub const fn changed_by(self) -> &'static [ActionKind] {
        match self {
            Self::MaxSize => &[ActionKind::ResizePool],
            Self::LeakProbability => &[ActionKind::DeployLeak, ActionKind::Rollback],
            Self::Rate => &[ActionKind::SetRate],
            Self::Hold => &[ActionKind::SetHold],
            Self::ConnectionTimeout => &[ActionKind::SetConnectionTimeout],
            Self::Instances => &[],
        }
    }

    /// The first timeline event of `scenario` that changes this setting: its time [s from
    /// the start] and kind. A sweep sets the value before it, not after.
    pub fn first_change(self, scenario: &Scenario) -> Option<(f64, ActionKind)> {
        scenario
            .events
            .iter()
            .map(|e| (e.at_s, e.action.kind()))
            .filter(|(_, kind)| self.changed_by().contains(kind))
            .min_by(|a, b| a.0.total_cmp(&b.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{Action, TimedEvent};

    #[test]
    fn each_knob_reads_back_what_it_set_and_names_a_validated_field() {
        let base = Scenario::default();
        for knob in Knob::ALL {
            assert_eq!(Knob::from_path(knob.path()), Some(knob));
            let value = if knob == Knob::LeakProbability { 0.25 } else { 7.0 };
            let s = knob.with(&base, value);
            assert_eq!(knob.get(&s), value, "{knob:?}");
            // An impossible value is refused naming the knob's own path.
            let refused = knob.with(&base, if knob.is_whole() { 1e12 } else { -1.0 });
            assert_eq!(refused.validate().map_err(|e| e.path), Err(knob.path().to_owned()), "{knob:?}");
        }
        assert_eq!(Knob::from_path("pool.size"), None);
    }

    #[test]
    fn a_smaller_pool_brings_min_idle_down_and_one_instance_is_no_fleet() {
        let mut base = Scenario::default();
        base.pool.min_idle = Some(8);
        let s = Knob::MaxSize.with(&base, 5.0);
        assert_eq!((s.pool.max_size, s.pool.min_idle), (5, Some(5)));
        assert!(s.validate().is_ok());
        let fleet = Knob::Instances.with(&base, 4.0);
        assert_eq!(fleet.fleet.map(|f| f.instances), Some(4));
        assert_eq!(Knob::Instances.with(&fleet_of(4), 1.0).fleet, None);
        assert_eq!(Knob::MaxSize.with(&base, 12.4).pool.max_size, 12, "whole knobs round");
    }

    fn fleet_of(n: u32) -> Scenario {
        Knob::Instances.with(&Scenario::default(), f64::from(n))
    }

    #[test]
    fn the_first_timeline_change_of_a_knob_is_found() {
        let mut s = Scenario { duration_s: 3600, ..Scenario::default() };
        s.events = vec![
            TimedEvent::new(900.0, Action::Rollback),
            TimedEvent::new(600.0, Action::DeployLeak { probability: 0.01 }),
        ];
        assert_eq!(Knob::LeakProbability.first_change(&s), Some((600.0, ActionKind::DeployLeak)));
        assert_eq!(Knob::MaxSize.first_change(&s), None);
    }
}
