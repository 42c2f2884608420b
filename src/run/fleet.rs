//! What the page shows of a fleet: which instances have run out, which the load balancer
//! took out (health checks) or are restarting, the database the fleet shares, a sentence
//! for screen readers, and each instance's flows per second for the
//! pool view of the one selected. Plain functions of the engine's views, tested natively.

use poolsim_content::words::{count, instance, percent};
use poolsim_engine::analytic::usable_connections;
use poolsim_engine::{Gauges, InstanceSummary, SimTime, Simulation, Summary};

/// Names listed in the fleet's sentence before "…".
const NAMED: usize = 5;

/// An instance whose pool has run out now: nothing idle or opening, and every connection in
/// use with requests waiting (or refused, for a pool that lets none wait).
pub fn exhausted(g: &Gauges) -> bool {
    g.idle == 0 && g.opening == 0 && (g.pending > 0 || (g.max > 0 && g.active >= g.max))
}

/// In a fleet, the instance that ran out first (its summary), if one has.
pub fn first_exhausted(summary: &Summary) -> Option<&InstanceSummary> {
    summary.instances.iter().filter(|i| i.first_exhaustion_s.is_some()).min_by(|a, b| {
        a.first_exhaustion_s.partial_cmp(&b.first_exhaustion_s).unwrap_or(std::cmp::Ordering::Equal)
    })
}

/// Why instance `j` takes no requests now, in words: `"restarting"` (down, or starting
/// up), `"out of the load balancer"` (failing its health checks); `None` while it serves.
pub fn not_serving(sim: &Simulation, j: u32) -> Option<&'static str> {
    let server = sim.instance_server(j)?;
    if server.down {
        Some("restarting")
    } else if !server.in_balancer {
        Some("out of the load balancer")
    } else {
        None
    }
}

/// Instances that take no requests now ([`not_serving`]).
fn out_of_service(sim: &Simulation) -> usize {
    (0..sim.instance_count()).filter(|&j| not_serving(sim, j).is_some()).count()
}

/// `"fleet of 20"` in a fleet (of more than one), for the panels that show its sums.
pub fn fleet_of(sim: &Simulation) -> Option<String> {
    let n = sim.instance_count();
    (n > 1).then(|| format!("fleet of {n}"))
}

/// The database the fleet shares, now.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DatabaseGauge {
    /// Connections the fleet holds open (the database's own count of them).
    pub connections: u32,
    /// What the application may hold: `max_connections − reserved_connections`.
    pub usable: u32,
    /// PostgreSQL `max_connections`.
    pub max_connections: u32,
    /// Share of the cores busy over the latest simulated second (none before the first).
    pub cpu: Option<f64>,
}

impl DatabaseGauge {
    /// The database behind `sim`'s fleet, if the scenario has one.
    pub fn of(sim: &Simulation) -> Option<Self> {
        let config = sim.scenario().database.as_ref()?;
        Some(Self {
            // Open connections, opening ones excluded: what the database's samples count.
            connections: sim.gauges().total,
            usable: usable_connections(config.max_connections, config.reserved_connections),
            max_connections: config.max_connections,
            cpu: sim.database_samples().last().map(|s| s.utilisation),
        })
    }

    /// Every slot the application may hold is taken.
    pub fn full(&self) -> bool {
        self.connections >= self.usable
    }

    /// `"297 of 297 connections (max_connections 300)"`.
    pub fn connections_words(&self) -> String {
        format!(
            "{} of {} connections (max_connections {})",
            count(u64::from(self.connections)),
            count(u64::from(self.usable)),
            count(u64::from(self.max_connections))
        )
    }

    /// `"CPU 64 %"`, or `"CPU —"` before the first second.
    pub fn cpu_words(&self) -> String {
        self.cpu.map_or_else(|| "CPU —".to_owned(), |u| format!("CPU {}", percent(u)))
    }
}

/// The numbers (from 1) of the instances that have run out now.
pub fn exhausted_instances(sim: &Simulation) -> Vec<u32> {
    (0..sim.instance_count())
        .filter(|&j| sim.instance_gauges(j).is_some_and(|g| exhausted(&g)))
        .map(|j| j + 1)
        .collect()
}

/// The fleet in a sentence: "20 instances: 4 exhausted (app-1, app-2, …); database 297 of
/// 297 connections (max_connections 300), CPU 64 %".
pub fn describe(sim: &Simulation) -> String {
    let n = sim.instance_count();
    let out = exhausted_instances(sim);
    let mut text = format!("{n} instances: ");
    if out.is_empty() {
        text.push_str("none exhausted");
    } else {
        let mut names: Vec<String> = out.iter().take(NAMED).map(|&k| instance(k)).collect();
        if out.len() > NAMED {
            names.push("…".to_owned());
        }
        text.push_str(&format!("{} exhausted ({})", out.len(), names.join(", ")));
    }
    if sim.models_health() {
        let out = out_of_service(sim);
        text.push_str(&format!("; {out} out of the load balancer"));
    }
    let g = sim.gauges();
    text.push_str(&format!(
        "; {} of {} connections in use",
        count(u64::from(g.active)),
        count(u64::from(g.max))
    ));
    if let Some(db) = DatabaseGauge::of(sim) {
        text.push_str(&format!("; database {}, {}", db.connections_words(), db.cpu_words()));
    }
    text
}

/// What the fleet's polite announcement follows: it is said again only when this changes
/// (how many instances have run out, whether the database is full, how many are out of
/// the load balancer), not at every redraw.
pub fn alarm(sim: &Simulation) -> (usize, bool, usize) {
    (exhausted_instances(sim).len(), DatabaseGauge::of(sim).is_some_and(|db| db.full()), out_of_service(sim))
}

/// One instance's pool in words: "app-3 of 20: 50 of 50 in use (3 leaked), 0 idle, 0
/// opening, 12 waiting — exhausted — out of the load balancer".
pub fn describe_instance(sim: &Simulation, j: u32) -> String {
    let Some(g) = sim.instance_gauges(j) else { return String::new() };
    format!(
        "{} of {}: {} of {} in use ({} leaked), {} idle, {} opening, {} waiting{}{}",
        instance(j + 1),
        sim.instance_count(),
        g.active,
        g.max,
        g.leaked,
        g.idle,
        g.opening,
        g.pending,
        if exhausted(&g) { " — exhausted" } else { "" },
        not_serving(sim, j).map(|why| format!(" — {why}")).unwrap_or_default()
    )
}

/// Attempts, served and timeouts of each instance over the run, at one moment.
#[derive(Clone, Debug, Default, PartialEq)]
struct Snapshot {
    at: SimTime,
    counts: Vec<[u64; 3]>,
}

/// Each instance's flows per second — attempts in, served, timed out — between the two
/// latest per-second samples the page saw (the engine samples only the fleet's sums each
/// second; an instance's counters over the run are its own). Two snapshots a second apart
/// when playing slowly; at high speed, the mean over the span a frame covered.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Flows {
    /// Samples the run had at the latest snapshot.
    seen: usize,
    before: Snapshot,
    latest: Snapshot,
}

impl Flows {
    /// Take a snapshot if the run has sampled another second since the last one (a run
    /// rebuilt from the start begins again).
    pub fn update(&mut self, sim: &Simulation) {
        let seen = sim.samples().len();
        if seen == self.seen {
            return;
        }
        if seen < self.seen {
            *self = Self::default();
        }
        let counts = sim.summary().instances.iter().map(|i| [i.attempts, i.served, i.timed_out]).collect();
        let latest = Snapshot { at: sim.now(), counts };
        self.before = std::mem::replace(&mut self.latest, latest);
        self.seen = seen;
    }

    /// Instance `j`'s attempts in, served and timed out per second (0-based `j`; zeros
    /// until two snapshots exist).
    pub fn per_second(&self, j: u32) -> [u32; 3] {
        let span_s = (self.latest.at.saturating_duration_since(self.before.at)).as_secs_f64();
        let (Some(now), Some(then)) =
            (self.latest.counts.get(j as usize), self.before.counts.get(j as usize))
        else {
            return [0; 3];
        };
        if span_s <= 0.0 {
            return [0; 3];
        }
        std::array::from_fn(|i| (now[i].saturating_sub(then[i]) as f64 / span_s).round() as u32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use poolsim_engine::{Scenario, SimTime};

    /// Five instances of 10; a leaky deploy on app-2 and app-4 only; a database that takes
    /// them all (50 of 53 slots, 3 reserved).
    fn fleet() -> Scenario {
        Scenario::from_json(
            r#"{ "duration_s": 600, "pool": { "max_size": 10 }, "fleet": { "instances": 5 },
                 "traffic": { "rate_per_s": 200 },
                 "database": { "cores": 16, "max_connections": 53 },
                 "events": [ { "at_s": 10, "action": "deploy_leak", "probability": 0.05, "instances": [2, 4] } ] }"#,
        )
        .expect("valid")
    }

    #[test]
    fn instances_the_health_checks_take_out_are_named_and_counted() {
        // Buildkite 2016: checks that call the database take every instance out once the
        // pools are exhausted.
        let scenario = poolsim_content::presets::load("buildkite-2016-health-checks").expect("preset");
        let mut sim = Simulation::new(&scenario).expect("runs");
        assert!(
            describe(&sim).starts_with("4 instances: none exhausted; 0 out of the load balancer;"),
            "{}",
            describe(&sim)
        );
        assert_eq!(not_serving(&sim, 0), None);
        let (exhausted_then, _, out_then) = alarm(&sim);
        let mut t = 0;
        while (0..4).any(|j| not_serving(&sim, j).is_none()) {
            t += 10;
            assert!(t < 3_600, "every instance leaves the balancer within the hour");
            sim.advance_to(SimTime::from_secs(t)).expect("runs");
        }
        assert!(describe(&sim).contains("; 4 out of the load balancer"), "{}", describe(&sim));
        assert!(
            describe_instance(&sim, 2).ends_with(" — out of the load balancer"),
            "{}",
            describe_instance(&sim, 2)
        );
        assert_ne!(alarm(&sim), (exhausted_then, false, out_then), "the announcement is said again");
        // Without health checks nothing is said of the balancer.
        assert!(!describe(&Simulation::new(&fleet()).expect("runs")).contains("load balancer"));
    }

    #[test]
    fn the_sentence_names_the_instances_that_ran_out_and_the_database() {
        let mut sim = Simulation::new(&fleet()).expect("runs");
        let start = describe(&sim);
        assert!(start.starts_with("5 instances: none exhausted; 0 of 50 connections in use"), "{start}");
        assert!(start.ends_with("database 50 of 50 connections (max_connections 53), CPU —"), "{start}");
        sim.advance_to(SimTime::from_secs(120)).expect("runs");
        assert_eq!(exhausted_instances(&sim), [2, 4], "only the leaky ones");
        let summary = sim.summary();
        let first = first_exhausted(&summary).expect("one ran out");
        assert_eq!(first.first_exhaustion_s, summary.milestones.first_exhaustion_s);
        assert_eq!(fleet_of(&sim).as_deref(), Some("fleet of 5"));
        let text = describe(&sim);
        assert!(text.starts_with("5 instances: 2 exhausted (app-2, app-4);"), "{text}");
        assert!(text.contains(", CPU "), "{text}");
        assert_eq!(alarm(&sim).0, 2);
        let two = describe_instance(&sim, 1);
        assert!(two.starts_with("app-2 of 5: 10 of 10 in use (10 leaked), 0 idle, 0 opening,"), "{two}");
        assert!(two.ends_with(" — exhausted"), "{two}");
        assert!(describe_instance(&sim, 0).starts_with("app-1 of 5:"), "{}", describe_instance(&sim, 0));
        assert_eq!(describe_instance(&sim, 5), "", "no sixth instance");
    }

    #[test]
    fn many_exhausted_instances_are_named_up_to_five() {
        let mut scenario = fleet();
        scenario.fleet = Some(poolsim_engine::FleetConfig { instances: 8, ..Default::default() });
        scenario.database = None;
        scenario.leak.probability = 0.1;
        scenario.events.clear();
        let mut sim = Simulation::new(&scenario).expect("runs");
        sim.advance_to(SimTime::from_secs(120)).expect("runs");
        let text = describe(&sim);
        assert!(
            text.starts_with("8 instances: 8 exhausted (app-1, app-2, app-3, app-4, app-5, …);"),
            "{text}"
        );
        assert!(!text.contains("database"), "no database, no gauge: {text}");
    }

    #[test]
    fn flows_are_each_instances_own_per_second() {
        let mut sim = Simulation::new(&fleet()).expect("runs");
        let mut flows = Flows::default();
        assert_eq!(flows.per_second(0), [0; 3], "nothing seen yet");
        for t in [4, 5] {
            sim.advance_to(SimTime::from_secs(t) + poolsim_engine::SimDuration::from_millis(1))
                .expect("runs");
            flows.update(&sim);
        }
        // 200 requests a second, round robin over five: about 40 each.
        let [arrived, served, timed_out] = flows.per_second(2);
        assert!((25..=55).contains(&arrived), "{arrived}");
        assert!(served <= arrived + 5 && timed_out == 0, "{served} {timed_out}");
        // A run rebuilt from the start starts over.
        let fresh = Simulation::new(&fleet()).expect("runs");
        flows.update(&fresh);
        assert_eq!(flows.per_second(2), [0; 3]);
    }

    #[test]
    fn an_instance_runs_out_when_nothing_is_idle_or_opening_and_requests_wait() {
        let g = Gauges { total: 10, active: 10, max: 10, pending: 3, ..Gauges::default() };
        assert!(exhausted(&g));
        assert!(!exhausted(&Gauges { opening: 1, ..g }), "a connection is on its way");
        assert!(!exhausted(&Gauges { idle: 1, active: 9, ..g }));
        // Behind a full database the pool cannot grow to its size: waiting says it.
        assert!(exhausted(&Gauges { total: 4, active: 4, ..g }));
        // A pool that lets no request wait runs out when every connection is in use.
        assert!(exhausted(&Gauges { pending: 0, ..g }));
        assert!(!exhausted(&Gauges::default()));
    }
}
