//! The diagnosis drills (lessons/drills.json): at least one per cause, each a visible incident
//! whose log gives nothing away, whose hidden truth is what its answer says, and whose
//! right fix, applied when the timeouts begin, really helps (and, for a database
//! saturated by too many queries at once, the tempting one makes it worse).

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
fn seven_drills_every_cause_has_one_each_a_visible_incident_with_no_giveaway() {
    let all = drills::all();
    assert_eq!(all.len(), 7, "a drill failed to read or validate");
    for cause in Cause::ALL {
        let expected = if cause == Cause::RetryStorm { 2 } else { 1 };
        assert_eq!(all.iter().filter(|d| d.cause == cause).count(), expected, "{cause:?}");
    }
    let mut ids: Vec<&str> = all.iter().map(|d| d.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), all.len(), "ids are unique");
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
    // The saturated database: steady traffic, queries of 2 ms alone, yet every connection
    // running a query for the rest of the run, each taking far longer, and the cores busy.
    let d = drill(Cause::DatabaseSaturated).scenario;
    assert!(!d.events.iter().any(|e| matches!(e.action, Action::SetRate { .. })), "traffic never changes");
    let mut sim = Simulation::new(&d).expect("valid");
    let summary = sim.run_to_end();
    let db = summary.database.expect("a database behind the pool");
    assert!(summary.milestones.recovered_s.is_none(), "it never recovers by itself");
    let end = &sim.database_samples()[sim.database_samples().len() - 60..];
    assert!(end.iter().all(|s| s.running == d.pool.max_size && s.utilisation > 0.99), "{:?}", end.last());
    assert!(end.iter().all(|s| s.query_ms > 20.0 * d.work.hold_ms), "{:?}", end.last());
    assert_eq!(db.peak_running, d.pool.max_size);
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
        (Cause::DatabaseSaturated, vec![Action::ResizePool { max_size: 10, min_idle: None }]),
    ];
    for (cause, actions) in cases {
        let d = drill(cause);
        let before = run(&d.scenario).counts.failed;
        let after = run(&fixed(&d.scenario, &actions)).counts.failed;
        assert!(after * 2 < before, "{cause:?}: {before} failed, {after} after the fix");
    }
}

/// The drill called `id`.
fn drill_id(id: &str) -> Drill {
    drills::all().into_iter().find(|d| d.id == id).expect("the drill")
}

#[test]
fn the_callers_retry_storm_outlasts_its_burst_and_only_capping_retries_ends_it() {
    let d = drill_id("mystery-g");
    assert_eq!((d.cause, d.fix), (Cause::RetryStorm, Fix::BackOffRetries));
    assert!(!d.briefing.to_lowercase().contains("retr"), "the briefing gives nothing away");
    let mut sim = Simulation::new(&d.scenario).expect("valid");
    let before = sim.run_to_end();
    // After the burst (09:05 to 09:05:30), about four attempts per request, about 144 served a
    // second, none in time: it never recovers by itself.
    let minute =
        |from_s: u32| sim.caller_samples().iter().filter(move |c| (from_s..from_s + 60).contains(&c.t_s));
    let (firsts, retries, goodput) =
        minute(600).fold((0, 0, 0), |(f, r, g), c| (f + c.first_tries, r + c.retries, g + c.goodput));
    assert!(f64::from(firsts + retries) > 3.9 * f64::from(firsts), "{firsts} first tries, {retries} retries");
    assert_eq!(goodput, 0);
    let served: u32 = sim.samples()[600..660].iter().map(|s| s.served).sum();
    assert!((140..=148).contains(&(served / 60)), "{served}");
    assert!(before.milestones.recovered_s.is_none() && before.counts.failed_share > 0.8);
    let good_after = |s: &Scenario| {
        let mut sim = Simulation::new(s).expect("valid");
        sim.run_to_end();
        let back = sim.caller_samples().iter().filter(|c| c.goodput < c.first_tries / 2).map(|c| c.t_s).max();
        (sim.summary(), back)
    };
    // A bigger pool changes nothing: the database's 20 cores are the limit.
    let (bigger, _) = good_after(&fixed(&d.scenario, &[Action::ResizePool { max_size: 40, min_idle: None }]));
    assert!((bigger.counts.failed_share - before.counts.failed_share).abs() < 0.01);
    // A 10 % retry budget with jittered backoff at the first timeout ends it a little over
    // three minutes later.
    let first = before.milestones.first_timeout_s.expect("a timeout");
    let retry = poolsim_content::remedies::jittered(&d.scenario.traffic.retry);
    let budget = poolsim_content::remedies::budget(&retry, poolsim_content::remedies::RETRY_BUDGET_RATIO);
    let capped = fixed(&d.scenario, &[Action::set_retry(&retry), Action::set_retry_budget(&budget)]);
    let (after, back) = good_after(&capped);
    let took = back.map(|t| f64::from(t) - first);
    assert!(
        took.is_some_and(|t| (180.0..240.0).contains(&t)),
        "answered in time again {took:?} s after the fix"
    );
    assert!(
        after.counts.failed * 4 < before.counts.failed,
        "{} {}",
        after.counts.failed,
        before.counts.failed
    );
}

#[test]
fn a_bigger_pool_makes_the_saturated_database_worse() {
    let d = drill(Cause::DatabaseSaturated);
    let before = run(&d.scenario).counts.failed;
    let bigger = run(&fixed(&d.scenario, &[Action::ResizePool { max_size: 200, min_idle: None }]));
    assert!(bigger.counts.failed > before, "{before} failed, {} with a pool of 200", bigger.counts.failed);
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
    let d = drill(Cause::DatabaseSaturated);
    assert_eq!(d.fix, Fix::SmallerPool);
    assert_eq!(
        d.judge(Cause::DatabaseSaturated, Fix::SmallerPool),
        Diagnosis { cause_right: true, fix_right: true }
    );
    assert_eq!(
        d.judge(Cause::UndersizedPool, Fix::BiggerPool),
        Diagnosis { cause_right: false, fix_right: false },
        "the dashboard's pool at its maximum is a trap"
    );
    assert_eq!(
        d.judge(Cause::SlowDatabase, Fix::SmallerPool),
        Diagnosis { cause_right: false, fix_right: true }
    );
}

#[test]
fn every_cause_and_fix_has_words_of_its_own() {
    let causes: Vec<&str> = Cause::ALL.iter().map(|c| c.label()).collect();
    let fixes: Vec<&str> = Fix::ALL.iter().map(|f| f.label()).collect();
    for labels in [&causes, &fixes] {
        let mut unique = labels.to_vec();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), labels.len(), "{labels:?}");
    }
}
