//! The diagnosis drills (lessons/drills.json): one per cause, each a visible incident
//! whose log gives nothing away, whose hidden truth is what its answer says, and whose
//! right fix, applied when the timeouts begin, really helps.

use poolsim_content::lessons::drills::{self, Cause, Diagnosis, Drill, Fix};
use poolsim_engine::{Action, Scenario, Simulation, Summary, TimedEvent};

fn run(scenario: &Scenario) -> Summary {
    let mut sim = Simulation::new(scenario).expect("valid");
    sim.run_to_end();
    sim.summary()
}

fn drill(cause: Cause) -> Drill {
    drills::all().into_iter().find(|d| d.cause == cause).expect("a drill for every cause")
}

#[test]
fn five_drills_one_for_each_cause_each_a_visible_incident_with_no_giveaway() {
    let all = drills::all();
    assert_eq!(all.len(), 5, "a drill failed to read or validate");
    for cause in Cause::ALL {
        assert_eq!(all.iter().filter(|d| d.cause == cause).count(), 1, "{cause:?}");
    }
    for d in &all {
        assert!(d.scenario.events.iter().all(|e| !matches!(e.action, Action::Note { .. })), "{}", d.id);
        assert!(
            !d.title.to_lowercase().contains("leak") && !d.briefing.to_lowercase().contains("leak"),
            "{}",
            d.id
        );
        let s = run(&d.scenario);
        assert!(s.counts.timed_out > 0, "{}: no visible incident", d.id);
    }
}

#[test]
fn the_hidden_truth_is_what_the_answer_says() {
    for d in drills::all() {
        let s = run(&d.scenario);
        assert_eq!(s.counts.leaked > 0, d.cause == Cause::Leak, "{}: leaked {}", d.id, s.counts.leaked);
    }
    let storm = run(&drill(Cause::RetryStorm).scenario);
    assert!(storm.attempts as f64 > 1.2 * storm.requests as f64, "retries multiply the load");
    let c = drill(Cause::UndersizedPool).scenario;
    assert!(c.events.is_empty());
    assert!(c.traffic.rate_per_s * c.work.hold_ms / 1000.0 > f64::from(c.pool.max_size), "always too small");
}

/// `scenario` with `actions` applied when its first timeout happened.
fn fixed(scenario: &Scenario, actions: &[Action]) -> Scenario {
    let at_s = run(scenario).milestones.first_timeout_s.expect("a timeout");
    let mut s = scenario.clone();
    s.events.extend(actions.iter().map(|a| TimedEvent::new(at_s, a.clone())));
    TimedEvent::sort(&mut s.events);
    s
}

#[test]
fn the_right_fix_applied_at_the_first_timeout_helps() {
    let cases = [
        (Cause::Leak, vec![Action::Rollback, Action::RestartApp { downtime_s: 0.0 }]),
        (Cause::SlowDatabase, vec![Action::SetHold { hold_ms: 30.0 }]),
        (Cause::UndersizedPool, vec![Action::ResizePool { max_size: 20, min_idle: None }]),
        (Cause::TrafficSpike, vec![Action::SetRate { rate_per_s: 100.0 }]),
    ];
    for (cause, actions) in cases {
        let d = drill(cause);
        let before = run(&d.scenario).counts.failed;
        let after = run(&fixed(&d.scenario, &actions)).counts.failed;
        assert!(after * 2 < before, "{cause:?}: {before} failed, {after} after the fix");
    }
}

#[test]
fn a_diagnosis_is_judged_on_cause_and_fix() {
    let d = drill(Cause::Leak);
    assert_eq!(d.judge(Cause::Leak, Fix::RollBack), Diagnosis { cause_right: true, fix_right: true });
    assert_eq!(d.judge(Cause::Leak, Fix::BiggerPool), Diagnosis { cause_right: true, fix_right: false });
    assert_eq!(
        d.judge(Cause::TrafficSpike, Fix::ShedTraffic),
        Diagnosis { cause_right: false, fix_right: false }
    );
    assert_eq!(Cause::ALL.len(), Fix::ALL.len());
}
