//! The lessons (lessons/*.json): every file reads, every step runs, and what each step
//! teaches holds in the simulation — the checkpoints are real outcomes, and where a
//! lesson shows a formula, the formula agrees with the run.

use poolsim_content::lessons::{self, Answer, Band, Grade, Quantity, Spread, band, grade};
use poolsim_content::replications;
use poolsim_content::variants::VariantKind;
use poolsim_engine::replicate::Replications;

#[test]
fn there_are_twelve_lessons_and_every_file_reads() {
    let all = lessons::all();
    assert_eq!(all.len(), 12, "a lesson file failed to read");
    let ids: Vec<&str> = all.iter().map(|l| l.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "littles-law",
            "queueing",
            "slow-death",
            "bigger-pool",
            "rollback-or-restart",
            "detection-or-reclaim",
            "which-alert",
            "june-15",
            "pool-size",
            "fleet-arithmetic",
            "retries",
            "how-sure"
        ]
    );
    for lesson in &all {
        assert!(!lesson.steps.is_empty(), "{}", lesson.id);
        let mut replicated = Vec::new();
        for step in &lesson.steps {
            assert!(step.question.tolerance > 0.0 && step.question.tolerance < 1.0, "{}", lesson.id);
            if let Some(n) = step.replications {
                assert!((10..=1_000).contains(&n), "{}: {n} replications", lesson.id);
                assert!(step.question.quantity.replicated().is_some(), "{}: one run measures it", lesson.id);
                replicated.push((step.scenario(lesson).expect("the step's scenario"), n));
            }
        }
        // The page runs a lesson's runs over many seeds once, for all its replicated steps.
        assert!(
            replicated.windows(2).all(|w| w[0] == w[1]),
            "{}: its replicated steps run different scenarios or numbers of runs",
            lesson.id
        );
    }
}

/// Every step's answer, by lesson id and step.
fn answers() -> Vec<(String, usize, Quantity, Answer)> {
    lessons::all()
        .iter()
        .flat_map(|lesson| {
            lesson.steps.iter().enumerate().map(move |(i, step)| {
                let answer = step.answer(lesson).unwrap_or_else(|e| panic!("{} step {i}: {e}", lesson.id));
                (lesson.id.clone(), i, step.question.quantity, answer)
            })
        })
        .collect()
}

#[test]
fn every_step_has_a_simulated_answer_and_formulas_agree_with_the_runs() {
    for (id, i, quantity, answer) in answers() {
        let simulated = answer.simulated.unwrap_or_else(|| panic!("{id} step {i}: nothing to measure"));
        assert!(simulated.is_finite(), "{id} step {i}");
        if let Some(analytic) = answer.analytic {
            // The formula is what the lesson teaches: it must be near what really happens.
            let off = (analytic - simulated).abs() / simulated.max(1.0);
            assert!(
                off < 0.35,
                "{id} step {i} ({quantity:?}): formula {analytic:.2}, simulation {simulated:.2}"
            );
        }
    }
}

#[test]
fn the_steps_teach_what_they_say() {
    let got = |id: &str, i: usize| {
        let lesson = lessons::find(id).expect("lesson");
        lesson.steps[i].answer(&lesson).expect("runs").simulated.expect("measured")
    };
    // Little's law: 200/s × 40 ms = 8 busy.
    assert!((got("littles-law", 0) - 8.0).abs() < 0.5);
    // A slow database with no leak still fails requests.
    assert!(got("queueing", 0) > 1.0);
    // Leaks grow linearly: ~6 after a minute, the pool gone in about 1.5 minutes.
    assert!((3.0..=10.0).contains(&got("slow-death", 0)));
    assert!((1.0..=2.5).contains(&got("slow-death", 1)));
    // Twice the pool, about twice the time.
    let doubled = got("bigger-pool", 0);
    assert!(doubled > 1.6 * got("slow-death", 1), "{doubled}");
    // A restart alone recovers only until the leak fills the pool again; a rollback alone
    // never recovers; both end the outage.
    let (restart, rollback, both) =
        (got("rollback-or-restart", 0), got("rollback-or-restart", 1), got("rollback-or-restart", 2));
    assert!(rollback > restart && restart > 2.0 * both, "{rollback} {restart} {both}");
    // Reclaim kills legitimate slow requests.
    assert!(got("detection-or-reclaim", 0) > 0.0);
    // An alert on a busy pool cries wolf before the leak (14:05) starts.
    assert!(got("which-alert", 0) < 5.0);
    // June 15: the pool ran out at 13:53 (113.5 minutes after 12:00).
    assert!((got("june-15", 0) - 113.5).abs() < 1.0);
    // How big should the pool be? A CPU-bound database: the rule of thumb's pool of 4 and
    // a pool of 64 give the same mean response (9.3 ms).
    let (rule, big) = (got("pool-size", 0), got("pool-size", 1));
    assert!((big - rule).abs() / rule < 0.02 && (rule - 9.3).abs() < 0.3, "{rule} {big}");
    // A contended one: about 3 ms with 10 connections, seconds with 400.
    let (ten, four_hundred) = (got("pool-size", 2), got("pool-size", 3));
    assert!(ten < 5.0 && four_hundred > 1_000.0, "{ten} {four_hundred}");
    // Saturated, a query of 2 ms takes seconds among 400; 10 get through ten times the work.
    assert!(got("pool-size", 4) > 1_000.0);
    assert!(got("pool-size", 5) > 1_800.0);
    // Fleet arithmetic: 5 × 40 fit in the 247 usable slots; 5 × 100 do not.
    assert_eq!((got("fleet-arithmetic", 0), got("fleet-arithmetic", 1)), (200.0, 247.0));
    // Pools of 100 that never existed fail more than pools sized for the fleet; the
    // rollback is what ends it.
    let (hundred, sized, rolled_back) =
        (got("fleet-arithmetic", 2), got("fleet-arithmetic", 3), got("fleet-arithmetic", 4));
    assert!(hundred > sized && sized > 1.4 * rolled_back, "{hundred} {sized} {rolled_back}");
}

#[test]
fn a_step_may_run_another_preset_than_its_lesson() {
    let lesson = lessons::find("pool-size").expect("lesson");
    assert_eq!(lesson.steps[0].preset(&lesson), "pool-sizing-cpu-bound");
    assert_eq!(lesson.steps[2].preset(&lesson), "pool-sizing-contended");
    let contended = poolsim_content::presets::load("pool-sizing-contended").expect("preset");
    assert_eq!(lesson.steps[2].scenario(&lesson), Ok(contended));
    assert!(lesson.steps[3].scenario(&lesson).is_ok_and(|s| s.database.is_some() && s.events.len() == 3));
}

#[test]
fn the_pool_size_lessons_formulas_are_the_queue_at_the_cores_and_the_usl() {
    let lesson = lessons::find("pool-size").expect("lesson");
    let answer = |i: usize| lesson.steps[i].answer(&lesson).expect("runs");
    // M/M/2 with the database's cores as servers: the same for a pool of 4 and of 64.
    let (rule, big) = (answer(0), answer(1));
    assert_eq!(rule.analytic, big.analytic);
    let mm2 = rule.analytic.expect("a formula");
    assert!((mm2 - 9.31).abs() < 0.01, "{mm2}");
    // No formula for a run with a rush in it.
    assert_eq!((answer(2).analytic, answer(3).analytic), (None, None));
    // Saturated: Little's law on the database with the USL's throughput, and the queries
    // a second the USL gives the pool.
    let usl = poolsim_engine::analytic::usl_saturated_query_ms(400, 4, 0.005, 0.000_05, 2.0);
    assert_eq!(answer(4).analytic, usl);
    let ten = poolsim_engine::analytic::usl_capacity(10, 4, 0.005, 0.000_05) * 1000.0 / 2.0;
    assert_eq!(answer(5).analytic, Some(ten));
    // A prediction is graded against the simulation, not the formula.
    let simulated = big.simulated.expect("measured");
    assert_eq!(grade(simulated * 1.1, &big, 0.2), Grade::Close);
    assert!(matches!(grade(simulated / 4.0, &big, 0.2), Grade::Off { ratio } if ratio < 0.3));
}

#[test]
fn predictions_are_graded_against_the_simulation() {
    let answer = Answer { simulated: Some(2.0), analytic: Some(2.0) };
    assert_eq!(grade(2.2, &answer, 0.25), Grade::Close);
    assert_eq!(grade(4.0, &answer, 0.25), Grade::Off { ratio: 2.0 });
    assert_eq!(grade(1.0, &answer, 0.25), Grade::Off { ratio: 0.5 });
    // Small truths are judged in absolute terms: 0.4 off zero is close at 50 %.
    let none = Answer { simulated: Some(0.0), analytic: None };
    assert_eq!(grade(0.4, &none, 0.5), Grade::Close);
    assert_eq!(grade(3.0, &none, 0.5), Grade::Off { ratio: f64::INFINITY });
    assert_eq!(grade(1.0, &Answer { simulated: None, analytic: None }, 0.5), Grade::Never);
}

#[test]
fn a_steps_events_change_the_run_and_unknown_lessons_are_none() {
    let lesson = lessons::find("rollback-or-restart").expect("lesson");
    let base = poolsim_content::presets::load(&lesson.preset).expect("preset");
    let with_fix = lesson.steps[1].scenario(&lesson).expect("valid");
    assert_eq!(with_fix.events.len(), base.events.len() + 1);
    assert!(lessons::find("no-such-lesson").is_none());
}

#[test]
#[ignore = "prints every step's numbers, for writing lessons"]
fn print_answers() {
    for (id, i, q, a) in answers() {
        println!("{id} {i} {q:?} simulated {:?} analytic {:?}", a.simulated, a.analytic);
    }
}

#[test]
fn the_retries_lesson_says_what_the_storm_and_each_remedy_do() {
    let lesson = lessons::find("retries").expect("lesson");
    let got = |i: usize| lesson.steps[i].answer(&lesson).expect("runs").simulated.expect("measured");
    // At 12:20 every request is tried four times: its first try and three retries.
    let attempts = got(0);
    assert!((attempts - 4.0).abs() < 0.05, "{attempts}");
    // Answered in time over the hour as it happened: 57 %, the number the steps compare with.
    let as_it_happened = {
        let mut sim =
            poolsim_engine::Simulation::new(&poolsim_content::presets::load(&lesson.preset).expect("preset"))
                .expect("valid");
        sim.run_to_end().callers.expect("callers").goodput_share * 100.0
    };
    assert!((as_it_happened - 57.0).abs() < 1.0, "{as_it_happened}");
    // A pool of 100: 57 %, as with 50. Jitter alone: 57 %. The budget alone: 89 %.
    let (hundred, jitter, budget) = (got(1), got(2), got(3));
    assert!(
        (hundred - as_it_happened).abs() < 1.0 && (jitter - as_it_happened).abs() < 1.0,
        "{hundred} {jitter}"
    );
    assert!((budget - 89.0).abs() < 1.0, "{budget}");
    // The step's other numbers: the pool of 100 moves the queue into the database (a
    // query of 144 ms instead of 81 ms); the budget refuses about 119,000 retries and 11 %
    // of the requests fail; both halves together fail as many.
    let summary = |i: usize| {
        let s = lesson.steps[i].scenario(&lesson).expect("valid");
        poolsim_engine::Simulation::new(&s).expect("valid").run_to_end()
    };
    let query_ms = |s: &poolsim_engine::Summary| s.database.as_ref().expect("a database").mean_query_ms;
    let (pool_100, jittered) = (summary(1), summary(2));
    assert!((query_ms(&pool_100) - 144.0).abs() < 1.0 && (query_ms(&jittered) - 81.0).abs() < 1.0);
    let budgeted = summary(3);
    let refused = budgeted.callers.as_ref().expect("callers").retries_denied;
    assert!((118_000..121_000).contains(&refused), "{refused}");
    let (twin, budget_failed) = (got(4), budgeted.counts.failed_share * 100.0);
    assert!((twin - 11.0).abs() < 0.5 && (twin - budget_failed).abs() < 0.5, "{twin} {budget_failed}");
    // The words quote these numbers.
    let explain: Vec<&str> = lesson.steps.iter().map(|s| s.explain.as_str()).collect();
    assert!(
        explain[0].starts_with("Four:")
            && explain[1].starts_with("57 %")
            && explain[2].starts_with("Still 57 %")
    );
    assert!(explain[3].starts_with("89 %") && explain[4].starts_with("11 %"));
}

#[test]
fn each_step_marks_the_moment_its_question_is_about() {
    let moment = |id: &str, i: usize| {
        let lesson = lessons::find(id).expect("lesson");
        let step = &lesson.steps[i];
        let answer = step.answer(&lesson).expect("runs");
        let duration_s = step.scenario(&lesson).expect("valid").duration_s;
        (step.moment(&answer, duration_s), answer)
    };
    // A question about a time: the time the step runs to.
    let (m, _) = moment("slow-death", 0);
    assert_eq!((m.at_s, m.what), (60.0, "the time the question asks about"));
    let (m, _) = moment("retries", 0);
    assert_eq!(m.at_s, 1200.0, "the minute before 12:20");
    // A question about when something happens: when it happened in the run.
    let (m, answer) = moment("june-15", 0);
    assert_eq!(m.what, "the pool runs out");
    assert!((m.at_s - answer.simulated.expect("it runs out") * 60.0).abs() < 1e-9);
    assert!((6_000.0..8_000.0).contains(&m.at_s), "13:53 is 6,780 s after 12:00: {}", m.at_s);
    let (m, _) = moment("which-alert", 0);
    assert_eq!(m.what, "the first alert fires");
    // A question about the whole run: its end.
    let (m, _) = moment("littles-law", 0);
    assert_eq!(m.what, "the end of the run the question is about");
    let lesson = lessons::find("littles-law").expect("lesson");
    assert_eq!(m.at_s, lesson.steps[0].scenario(&lesson).expect("valid").duration_s as f64);
}

#[test]
fn a_step_shows_the_connections_chart_unless_it_names_another() {
    let retries = lessons::find("retries").expect("lesson");
    assert_eq!(retries.steps[1].chart_name(), "goodput");
    let littles = lessons::find("littles-law").expect("lesson");
    assert_eq!(littles.steps[0].chart, None);
    assert_eq!(littles.steps[0].chart_name(), lessons::DEFAULT_CHART);
    assert_eq!(lessons::DEFAULT_CHART, "connections");
}

/// The spread of `id`'s step `i` over its first `runs` replications, run as the page's
/// workers run them (the same seeds as `poolsim replicate`).
fn spread(id: &str, i: usize, runs: u32) -> Spread {
    let lesson = lessons::find(id).expect("lesson");
    let step = &lesson.steps[i];
    let base = step.scenario(&lesson).expect("valid");
    let mut all = Replications::new();
    for run in 0..runs {
        let outcomes = replications::replication(&base, &[VariantKind::AsItHappened {}], run).expect("runs");
        all.push(run, outcomes[0]).expect("each run once");
    }
    Spread::of(step.question.quantity, &all).expect("measured")
}

#[test]
fn how_sure_spreads_the_june_15_morning_over_its_seeds_and_grades_against_the_range() {
    // 40 of the lesson's 200 mornings (the page runs them all): the pool runs out every
    // time, around 13:46, the replay's 13:54 among the later mornings.
    let out = spread("how-sure", 0, 40);
    assert_eq!((out.runs, out.reached), (40, 40));
    assert!(out.low < out.median && out.median < out.high, "{out:?}");
    assert!((95.0..=115.0).contains(&out.median), "median {} min after 12:00", out.median);
    assert!(out.high - out.low > 10.0, "mornings differ by minutes: {out:?}");
    let replay = lessons::find("june-15").expect("lesson").steps[0]
        .answer(&lessons::find("june-15").expect("lesson"))
        .expect("runs")
        .simulated
        .expect("ran out");
    assert!(replay > out.median, "the replay ({replay:.1} min) is a later morning than most");
    // A guess counts when it falls within the range of 90 % of the runs.
    assert_eq!(band(out.median, &out), Band::Inside);
    assert_eq!(band(out.low - 1.0, &out), Band::Below);
    assert_eq!(band(out.high + 1.0, &out), Band::Above);
    // The share that failed: ~35–44 % on 90 % of mornings.
    let failed = spread("how-sure", 1, 20);
    assert!(failed.low > 30.0 && failed.high < 48.0, "{failed:?}");
}
