//! What-if comparisons tell the truth: every variant runs the same requests as its base
//! until its fix, each kind of what-if does what its name says, the table marks the
//! right rows, and the lesson sentences say what the numbers show. The June 15 what-ifs
//! are run once and shared by the tests that read them.

use std::sync::OnceLock;

use poolsim_content::presets;
use poolsim_content::variants::{self, VariantKind, VariantOutcome};
use poolsim_engine::time::ClockTime;
use poolsim_engine::{Action, AlertMetric, Sample, Scenario, Simulation, Summary};

/// 15:45 on June 15: the pool resized to 200 and the app restarted [s].
const RESIZED_S: f64 = 13_500.0;
/// 16:00: the restarted app serves again [s].
const BACK_UP_S: f64 = 14_400.0;

/// Run `s`, which must be valid, to the end.
fn run(s: &Scenario) -> (Simulation, Summary) {
    let mut sim = Simulation::new(s).unwrap_or_else(|e| panic!("scenario refused: {e}"));
    let summary = sim.run_to_end();
    (sim, summary)
}

/// The samples with `from_s < t_s <= to_s`.
fn window(samples: &[Sample], from_s: u32, to_s: u32) -> Vec<Sample> {
    samples.iter().filter(|s| s.t_s > from_s && s.t_s <= to_s).copied().collect()
}

fn seed() -> Scenario {
    presets::load(presets::SEED_INCIDENT).expect("the seed preset loads")
}

fn preset(name: &str) -> Scenario {
    presets::load(name).unwrap_or_else(|e| panic!("preset {name}: {e}"))
}

/// The June 15 what-ifs, run once for the whole file (one thread per row: the rows are
/// independent runs, and the test binary may use the machine's cores).
fn june_15() -> &'static [VariantOutcome] {
    static ROWS: OnceLock<Vec<VariantOutcome>> = OnceLock::new();
    ROWS.get_or_init(|| {
        let base = seed();
        let kinds = variants::june_15_what_ifs();
        std::thread::scope(|scope| {
            let runs: Vec<_> = kinds
                .iter()
                .map(|kind| scope.spawn(|| variants::run(&base, std::slice::from_ref(kind))))
                .collect();
            runs.into_iter()
                .flat_map(|run| match run.join() {
                    Ok(Ok(rows)) => rows,
                    Ok(Err(e)) => panic!("June 15 what-if: {e}"),
                    Err(_) => panic!("a June 15 what-if panicked"),
                })
                .collect()
        })
    })
}

#[test]
fn a_row_is_flat_in_json_and_reads_back() {
    let row = as_it_happened();
    let json = serde_json::to_string(row).expect("serialises");
    assert!(json.contains(r#""requests":"#) && json.contains(r#","served":"#), "{json}");
    assert!(json.contains(r#","reclaimed":0,"killed_by_reclaim":0,"first_exhaustion_s":"#), "{json}");
    let back: VariantOutcome = serde_json::from_str(&json).expect("reads back");
    assert_eq!((&back.label, &back.kind, back.requests), (&row.label, &row.kind, row.requests));
    assert_eq!(
        (back.counts.served, back.counts.failed, back.counts.leaked),
        (row.counts.served, row.counts.failed, row.counts.leaked)
    );
}

/// The June 15 row of the first kind `pick` accepts.
fn row(pick: impl Fn(&VariantKind) -> bool) -> &'static VariantOutcome {
    june_15().iter().find(|o| pick(&o.kind)).expect("the June 15 what-ifs have this row")
}

fn as_it_happened() -> &'static VariantOutcome {
    row(|k| matches!(k, VariantKind::AsItHappened {}))
}

/// `t_s` seconds after 12:00 as the lessons show it (`HH:MM`, rounded down).
fn noon_clock(t_s: f64) -> String {
    let s = 12 * 3600 + t_s as u64;
    format!("{:02}:{:02}", s / 3600 % 24, s / 60 % 60)
}

#[test]
fn a_variant_runs_the_same_requests_as_its_base_until_its_fix() {
    // Doubling the pool at 10:20 and 10:45 (the bigger-pool-only preset) against no fix:
    // identical, second by second, until the first resize.
    let base = preset("bigger-pool-only");
    let (real, _) = run(&base);
    let no_fix = variants::build(&base, &VariantKind::NoFix {}).expect("builds");
    let (what_if, _) = run(&no_fix);
    let before = |sim: &Simulation| window(sim.samples(), 0, 1199);
    assert_eq!(before(&real), before(&what_if), "same arrivals, same leaks, same waits before 10:20");
    assert!(before(&real).iter().any(|s| s.timeouts > 0), "including the outage");
    let after = |sim: &Simulation| window(sim.samples(), 1200, 1260);
    assert_ne!(after(&real), after(&what_if), "the fix changes what follows");

    // A restart at 08:05 on the fast leak: the same five minutes, then the pool is given back.
    let fast = preset("fast-leak");
    let restart =
        variants::build(&fast, &VariantKind::RestartAt { at_s: 300.0, downtime_s: 0.0 }).expect("builds");
    let ((a, _), (b, _)) = (run(&fast), run(&restart));
    assert_eq!(window(a.samples(), 0, 299), window(b.samples(), 0, 299));
    let leaked_at = |sim: &Simulation, t: usize| sim.samples()[t - 1].gauges.leaked;
    assert_eq!(leaked_at(&a, 299), 10, "every connection has leaked by 08:05");
    assert_eq!(leaked_at(&b, 301), 0, "the restart returned them");
}

#[test]
fn every_kind_builds_a_valid_scenario_with_the_base_seed_that_does_what_it_says() {
    let base = seed();
    let fixes = |s: &Scenario| s.events.iter().filter(|e| e.action.kind().is_fix()).count();
    let count = |s: &Scenario, f: fn(&Action) -> bool| s.events.iter().filter(|e| f(&e.action)).count();
    let at = |s: &Scenario, f: fn(&Action) -> bool| -> Vec<f64> {
        s.events.iter().filter(|e| f(&e.action)).map(|e| e.at_s).collect()
    };
    let is_rollback: fn(&Action) -> bool = |a| matches!(a, Action::Rollback);
    let is_restart: fn(&Action) -> bool = |a| matches!(a, Action::RestartApp { .. });
    let is_resize: fn(&Action) -> bool = |a| matches!(a, Action::ResizePool { .. });
    let is_note: fn(&Action) -> bool = |a| matches!(a, Action::Note { .. });
    let build = |kind: VariantKind| {
        let s = variants::build(&base, &kind).unwrap_or_else(|e| panic!("{kind:?}: {e}"));
        assert!(s.validate().is_ok(), "{kind:?} builds a valid scenario");
        assert_eq!(s.seed, base.seed, "{kind:?} keeps the seed");
        s
    };

    assert_eq!(build(VariantKind::AsItHappened {}), base);

    let no_fix = build(VariantKind::NoFix {});
    assert_eq!(fixes(&no_fix), 0, "no resize, restart or rollback");
    assert_eq!(count(&no_fix, is_note), count(&base, is_note), "the postmortem notes stay");
    assert_eq!(no_fix.events.len(), base.events.len() - 3, "only the three fixes go");
    assert_eq!((no_fix.pool.clone(), no_fix.traffic.clone()), (base.pool.clone(), base.traffic.clone()));

    let bigger = build(VariantKind::BiggerPoolOnly { max_size: 200, at_s: 0.0 });
    assert_eq!((bigger.pool.max_size, fixes(&bigger)), (200, 0), "200 from the start, nothing else");
    let late = build(VariantKind::BiggerPoolOnly { max_size: 200, at_s: RESIZED_S });
    assert_eq!((late.pool.max_size, at(&late, is_resize), fixes(&late)), (100, vec![RESIZED_S], 1));

    let rollback = build(VariantKind::RollbackAt { at_s: 7200.0, restart: true });
    assert_eq!((at(&rollback, is_rollback), at(&rollback, is_restart)), (vec![7200.0], vec![7200.0]));
    assert_eq!(fixes(&rollback), 2);
    let bare = build(VariantKind::RollbackAt { at_s: 7200.0, restart: false });
    assert_eq!((at(&bare, is_rollback), count(&bare, is_restart)), (vec![7200.0], 0));

    let restart = build(VariantKind::RestartAt { at_s: 7200.0, downtime_s: 0.0 });
    assert_eq!(
        (at(&restart, is_restart), count(&restart, is_rollback), fixes(&restart)),
        (vec![7200.0], 0, 1)
    );

    let reclaim = build(VariantKind::AbandonedReclaim { timeout_ms: 60_000, from_s: 0.0 });
    assert_eq!((reclaim.pool.abandoned_timeout_ms, fixes(&reclaim)), (60_000, 0));

    let alert = build(VariantKind::UsageAlert { above: 0.8, for_s: 120 });
    assert_eq!(alert.events, base.events, "an alert changes no event");
    let rule = alert.alerts.last().expect("a rule is added");
    assert_eq!(
        (rule.name.as_str(), rule.metric, rule.above, rule.for_s),
        ("PoolUsageHigh", AlertMetric::Usage, 0.8, 120)
    );

    // The first alert of June 15 without fixes (FailedLogins at 14:06:27), plus five minutes.
    let react = build(VariantKind::RollbackAfterFirstAlert { reaction_s: 300.0, restart: true });
    let first_alert = as_it_happened().time_to_detect_s.expect("an alert fires");
    assert_eq!(at(&react, is_rollback), vec![first_alert + 300.0]);
    assert_eq!(at(&react, is_restart), vec![first_alert + 300.0]);

    let no_rollback = build(VariantKind::NoRollback { duration_s: Some(9 * 3600) });
    assert_eq!((count(&no_rollback, is_rollback), no_rollback.duration_s), (0, 9 * 3600));
    assert_eq!(
        (count(&no_rollback, is_resize), count(&no_rollback, is_restart)),
        (1, 1),
        "the 15:45 fixes stay"
    );

    let mut edited = base.clone();
    edited.seed = 99;
    edited.pool.max_size = 150;
    let custom = build(VariantKind::Custom { scenario: Box::new(edited) });
    assert_eq!(
        (custom.pool.max_size, custom.seed),
        (150, base.seed),
        "a custom edit runs with the base's seed"
    );
}

#[test]
fn impossible_what_ifs_are_refused_naming_the_field() {
    let base = seed();
    let refused = |kind: VariantKind| variants::build(&base, &kind).expect_err("refused").path;
    assert_eq!(refused(VariantKind::RollbackAt { at_s: -1.0, restart: true }), "at_s");
    assert_eq!(refused(VariantKind::RestartAt { at_s: 1e9, downtime_s: 0.0 }), "at_s");
    assert_eq!(refused(VariantKind::RestartAt { at_s: 60.0, downtime_s: -5.0 }), "downtime_s");
    assert_eq!(refused(VariantKind::BiggerPoolOnly { max_size: 0, at_s: 0.0 }), "max_size");
    assert_eq!(refused(VariantKind::AbandonedReclaim { timeout_ms: 0, from_s: 0.0 }), "timeout_ms");
    assert_eq!(refused(VariantKind::UsageAlert { above: 80.0, for_s: 120 }), "above");
    assert_eq!(refused(VariantKind::NoRollback { duration_s: Some(60) }), "duration_s");
    let mut bad = base.clone();
    bad.pool.max_size = 0;
    assert_eq!(refused(VariantKind::Custom { scenario: Box::new(bad) }), "scenario.pool.max_size");

    // Nothing to react to: no alert rule ever fires in a healthy pool.
    let healthy = preset("healthy-pool");
    let e =
        variants::build(&healthy, &VariantKind::RollbackAfterFirstAlert { reaction_s: 60.0, restart: true })
            .expect_err("no alert fires");
    assert!(e.reason.contains("no alert rule fires"), "{e}");

    // In a list, the error names the variant.
    let e = variants::run(
        &healthy,
        &[VariantKind::AsItHappened {}, VariantKind::RollbackAt { at_s: -1.0, restart: true }],
    )
    .expect_err("refused");
    assert_eq!(e.path, "variants[1].at_s");
}

#[test]
fn june_15_as_it_happened_runs_out_near_14_00_and_recovers_after_15_45() {
    let real = as_it_happened();
    let exhausted = real.first_exhaustion_s.expect("the pool runs out");
    assert!((exhausted - 7200.0).abs() < 600.0, "exhausted at {}", noon_clock(exhausted));
    let recovered = real.recovered_s.expect("the incident ends");
    assert!(recovered > RESIZED_S && recovered <= BACK_UP_S + 60.0, "recovered at {}", noon_clock(recovered));
    assert!(!real.still_failing_at_end);
    let first_timeout = real.first_timeout_s.expect("logins time out");
    // HikariCP lets requests wait: none is refused, and the outage starts at the first timeout.
    assert_eq!((real.first_refusal_s, real.outage_from_s()), (None, Some(first_timeout)));
    let took = real.time_to_recover_s.expect("a time to recover");
    assert!((took - (recovered - first_timeout)).abs() < 1e-9, "time to recover = recovered − first timeout");
    assert_eq!(real.first_alert.as_deref(), Some("FailedLogins"));
    assert_eq!(real.label, "As it happened");
}

#[test]
fn a_bigger_pool_alone_only_delays_the_june_15_exhaustion() {
    let no_fix = row(|k| matches!(k, VariantKind::NoFix {}));
    let bigger = row(|k| matches!(k, VariantKind::BiggerPoolOnly { .. }));
    assert_eq!(bigger.label, "Bigger pool only (200)");
    let (was, now) =
        (no_fix.first_exhaustion_s.expect("runs out"), bigger.first_exhaustion_s.expect("runs out too"));
    assert!(now > was, "a pool of 200 runs out later ({} vs {})", noon_clock(now), noon_clock(was));
    // T ≈ (N − λ·hold)/(λ·p): doubling N roughly doubles the time from the 12:30 deploy.
    let ratio = (now - 1800.0) / (was - 1800.0);
    assert!((1.6..2.6).contains(&ratio), "time bought × {ratio:.2}");
    assert!(bigger.still_failing_at_end && bigger.counts.failed > 0, "and it still fails on June 15");
    assert!(no_fix.still_failing_at_end && no_fix.time_to_recover_s.is_none(), "no fix never recovers");
    assert!(no_fix.counts.failed > as_it_happened().counts.failed);
}

#[test]
fn without_the_rollback_the_pool_of_200_runs_dry_again() {
    let v = row(|k| matches!(k, VariantKind::NoRollback { .. }));
    assert_eq!((v.duration_s, v.final_max_size), (variants::JUNE_15_NO_ROLLBACK_DURATION_S, 200));
    let again = v.failing_after(BACK_UP_S + 60.0).next().expect("failures come back after 16:00");
    assert!(f64::from(again.from_s) > BACK_UP_S + 3600.0, "the 200 connections last hours: {}", again.from_s);
    assert!(v.still_failing_at_end);
    assert!(v.counts.leaked > 200, "100 leaked before the restart, 200 after: {}", v.counts.leaked);
}

#[test]
fn abandoned_reclaim_avoids_the_june_15_outage() {
    let v = row(|k| matches!(k, VariantKind::AbandonedReclaim { .. }));
    assert_eq!((v.first_timeout_s, v.counts.timed_out, v.counts.failed), (None, 0, 0), "nobody times out");
    assert_eq!(v.first_exhaustion_s, None, "the pool never runs out");
    assert!(
        v.counts.leaked > 100 && v.counts.reclaimed + 10 >= v.counts.leaked,
        "leaked {} reclaimed {}",
        v.counts.leaked,
        v.counts.reclaimed
    );
    assert_eq!(v.killed_by_reclaim, 0, "40 ms logins never hold a connection for a minute");
}

#[test]
fn a_usage_alert_rings_before_the_first_failed_login_and_changes_nothing_else() {
    let real = as_it_happened();
    let v = row(|k| matches!(k, VariantKind::UsageAlert { .. }));
    let fired = v.alerts.get(variants::USAGE_ALERT_NAME).copied().flatten().expect("the usage alert fires");
    assert_eq!((v.first_alert.as_deref(), v.time_to_detect_s), (Some("PoolUsageHigh"), Some(fired)));
    assert!(fired < real.first_timeout_s.expect("logins time out"), "fires before the first timeout");
    assert!(fired < real.time_to_detect_s.expect("FailedLogins fires"), "and before FailedLogins");
    assert_eq!(
        (v.requests, v.counts.failed, v.counts.leaked),
        (real.requests, real.counts.failed, real.counts.leaked)
    );
    assert_eq!((v.first_exhaustion_s, v.recovered_s), (real.first_exhaustion_s, real.recovered_s));
}

#[test]
fn rolling_back_five_minutes_after_the_first_alert_ends_the_outage_within_minutes() {
    let real = as_it_happened();
    let v = row(|k| matches!(k, VariantKind::RollbackAfterFirstAlert { .. }));
    let alert = real.time_to_detect_s.expect("FailedLogins fires");
    assert_eq!(v.fix_at_s, Some(alert + 300.0));
    let recovered = v.recovered_s.expect("recovers");
    assert!(recovered <= alert + 300.0 + 60.0, "recovered at {}", noon_clock(recovered));
    assert!(
        v.counts.failed * 10 < real.counts.failed,
        "{} failed instead of {}",
        v.counts.failed,
        real.counts.failed
    );
    assert!(v.time_to_recover_s.expect("a time to recover") < 900.0);
}

#[test]
fn the_table_marks_the_rows_a_reader_expects() {
    let rows = june_15();
    let index = |pick: fn(&VariantKind) -> bool| rows.iter().position(|o| pick(&o.kind)).expect("row");
    let reclaim = index(|k| matches!(k, VariantKind::AbandonedReclaim { .. }));
    let alert = index(|k| matches!(k, VariantKind::UsageAlert { .. }));
    let best = variants::best(rows);
    assert_eq!(best.failed, vec![reclaim], "abandoned reclaim fails nobody");
    assert_eq!(best.first_exhaustion_s, vec![reclaim], "never running out beats running out later");
    assert_eq!(best.first_timeout_s, vec![reclaim]);
    assert_eq!(best.time_to_recover_s, vec![reclaim], "no outage beats a quick recovery");
    assert_eq!(best.time_to_detect_s, vec![alert], "the usage alert rings first");
}

/// A row with only the table's columns set.
fn table_row(
    failed: u64,
    exhausted: Option<f64>,
    detect: Option<f64>,
    recover: Option<f64>,
    stuck: bool,
) -> VariantOutcome {
    let mut o = as_it_happened().clone();
    o.counts.failed = failed;
    o.counts.failed_share = failed as f64 / 1000.0;
    o.first_exhaustion_s = exhausted;
    o.first_timeout_s = exhausted.map(|t| t + 30.0);
    o.time_to_detect_s = detect;
    o.time_to_recover_s = recover;
    o.still_failing_at_end = stuck;
    o.counts.leaked = 5;
    o
}

#[test]
fn best_prefers_later_exhaustion_fewer_failures_and_quicker_recovery() {
    let rows = [
        table_row(500, Some(100.0), Some(90.0), None, true),
        table_row(200, Some(300.0), Some(150.0), Some(600.0), false),
        table_row(200, Some(300.0), None, Some(60.0), false),
        table_row(900, Some(50.0), Some(40.0), None, true),
    ];
    let best = variants::best(&rows);
    assert_eq!(best.first_exhaustion_s, vec![1, 2], "later is better; ties mark both rows");
    assert_eq!(best.failed, vec![1, 2]);
    assert_eq!(best.time_to_detect_s, vec![3], "the earliest alert; no alert ranks last");
    assert_eq!(best.time_to_recover_s, vec![2], "never recovering ranks last");
    // Leaks are not ranked: the row that leaked least may be the one whose pool was dead.
    let mut leaky = rows.clone();
    leaky[3].counts.leaked = 0;
    leaky[1].counts.leaked = 400;
    let json = serde_json::to_value(variants::best(&leaky)).expect("serialises");
    assert!(json.get("leaked").is_none(), "{json}");
    let table = variants::markdown("t", ClockTime::from_seconds_of_day(0), &leaky);
    assert!(!table.contains("| **0** |") && !table.contains("**400**"), "{table}");

    let never =
        [table_row(0, None, None, None, false), table_row(10, Some(100.0), Some(50.0), Some(30.0), false)];
    let best = variants::best(&never);
    assert_eq!(best.first_exhaustion_s, vec![0], "never running out is best");
    assert_eq!(best.time_to_recover_s, vec![0], "no outage at all is best");
    assert_eq!(best.time_to_detect_s, vec![1]);
    assert!(variants::best(&[]).failed.is_empty());
}

#[test]
fn the_june_15_lessons_say_what_the_numbers_show() {
    let base = seed();
    let real = as_it_happened();
    let say = |o: &VariantOutcome| variants::lesson(real, o, base.clock_start);
    let has = |text: &str, part: &str| assert!(text.contains(part), "{text:?} should say {part:?}");

    let s = say(real);
    has(&s, &format!("the pool ran out at {}", noon_clock(real.first_exhaustion_s.unwrap_or_default())));
    has(&s, &format!("until {}", noon_clock(real.recovered_s.unwrap_or_default())));

    let no_fix = row(|k| matches!(k, VariantKind::NoFix {}));
    has(&say(no_fix), "to the end of the run at 17:00");

    let bigger = row(|k| matches!(k, VariantKind::BiggerPoolOnly { .. }));
    let (was, now) =
        (real.first_exhaustion_s.unwrap_or_default(), bigger.first_exhaustion_s.unwrap_or_default());
    has(
        &say(bigger),
        &format!("A pool of 200 alone only moved exhaustion from {} to {}", noon_clock(was), noon_clock(now)),
    );

    let alert = row(|k| matches!(k, VariantKind::UsageAlert { .. }));
    let fired = alert.time_to_detect_s.unwrap_or_default();
    let first_timeout = real.first_timeout_s.unwrap_or_default();
    let minutes = (12 * 3600 + first_timeout as u64) / 60 - (12 * 3600 + fired as u64) / 60;
    let s = say(alert);
    has(&s, &format!("An 80 % usage alert would have fired at {}", noon_clock(fired)));
    has(
        &s,
        &format!("{minutes} minutes before the first request timed out at {}", noon_clock(first_timeout)),
    );

    let s = say(row(|k| matches!(k, VariantKind::AbandonedReclaim { .. })));
    has(&s, "avoids the outage");
    has(&s, "kills no legitimate request");

    let react = row(|k| matches!(k, VariantKind::RollbackAfterFirstAlert { .. }));
    let s = say(react);
    has(
        &s,
        &format!(
            "at {} (5 minutes after the FailedLogins alert",
            noon_clock(react.fix_at_s.unwrap_or_default())
        ),
    );
    has(&s, &format!("ends the failures at {}", noon_clock(react.recovered_s.unwrap_or_default())));

    let no_rollback = row(|k| matches!(k, VariantKind::NoRollback { .. }));
    let again = no_rollback.failing_after(BACK_UP_S + 60.0).next().map_or(0, |s| s.from_s);
    let s = say(no_rollback);
    has(&s, &format!("requests fail again from {}", noon_clock(f64::from(again))));
    has(&s, "to the end of the run at 21:00");
}

#[test]
fn reclaim_counts_the_slow_requests_it_kills_and_says_so() {
    let base = preset("abandoned-reclaim-kills-slow-queries");
    let rows = variants::run(
        &base,
        &[VariantKind::AsItHappened {}, VariantKind::AbandonedReclaim { timeout_ms: 60_000, from_s: 0.0 }],
    )
    .expect("runs");
    let (real, reclaim) = (&rows[0], &rows[1]);
    // No timeouts, retries or restarts here: every failure is a request reclaim killed.
    for o in [real, reclaim] {
        assert_eq!(o.counts.timed_out, 0);
        assert!(
            o.killed_by_reclaim > 0 && o.killed_by_reclaim == o.counts.failed,
            "{} killed, {} failed",
            o.killed_by_reclaim,
            o.counts.failed
        );
    }
    let s = variants::lesson(real, reclaim, base.clock_start);
    assert!(s.contains(&format!("kills {} legitimate slow requests", reclaim.killed_by_reclaim)), "{s}");
}

#[test]
fn counting_the_log_in_steps_gives_the_same_run_as_one_call() {
    let base = preset("abandoned-reclaim-kills-slow-queries");
    let kind = VariantKind::AsItHappened {};
    let (stepped, outcome) = variants::run_built(&kind, kind.label(base.clock_start), &base).expect("runs");
    let mut once = Simulation::new(&base).expect("valid");
    let summary = once.run_to_end();
    assert_eq!(stepped.trace_digest(), once.trace_digest());
    assert_eq!(
        (outcome.counts.failed, outcome.counts.reclaimed, outcome.first_exhaustion_s),
        (summary.counts.failed, summary.counts.reclaimed, summary.milestones.first_exhaustion_s)
    );
}

#[test]
fn variant_kinds_read_and_write_json() {
    let kind: VariantKind =
        serde_json::from_str(r#"{ "kind": "rollback_at", "at_s": 7200 }"#).expect("parses");
    assert_eq!(
        kind,
        VariantKind::RollbackAt { at_s: 7200.0, restart: true },
        "a rollback restarts by default"
    );
    for kind in variants::june_15_what_ifs() {
        let json = serde_json::to_string(&kind).expect("serializes");
        assert_eq!(serde_json::from_str::<VariantKind>(&json).expect("parses back"), kind, "{json}");
    }
    for bad in [
        r#"{ "kind": "rollback_at", "at_s": 1, "when": 2 }"#,
        r#"{ "kind": "magic" }"#,
        r#"{ "at_s": 1 }"#,
        r#"{ "kind": "no_fix", "oops": 1 }"#,
    ] {
        assert!(serde_json::from_str::<VariantKind>(bad).is_err(), "{bad} is refused");
    }
}

#[test]
fn labels_read_as_table_rows() {
    let label = |k: VariantKind| k.label(ClockTime::from_seconds_of_day(12 * 3600));
    assert_eq!(label(VariantKind::BiggerPoolOnly { max_size: 200, at_s: 0.0 }), "Bigger pool only (200)");
    assert_eq!(
        label(VariantKind::BiggerPoolOnly { max_size: 200, at_s: RESIZED_S }),
        "Bigger pool only (200 from 15:45)"
    );
    assert_eq!(label(VariantKind::RollbackAt { at_s: 7200.0, restart: true }), "Rollback at 14:00");
    assert_eq!(
        label(VariantKind::RestartAt { at_s: 7230.0, downtime_s: 0.0 }),
        "Restart at 14:00:30 (no rollback)"
    );
    assert_eq!(
        label(VariantKind::AbandonedReclaim { timeout_ms: 60_000, from_s: 0.0 }),
        "Abandoned reclaim (60 s)"
    );
    assert_eq!(label(VariantKind::UsageAlert { above: 0.8, for_s: 120 }), "Usage alert (> 80 % for 120 s)");
    assert_eq!(
        label(VariantKind::RollbackAfterFirstAlert { reaction_s: 300.0, restart: true }),
        "Rollback 5 minutes after the first alert"
    );
}

#[test]
fn each_scenario_gets_what_ifs_that_fit_it() {
    assert_eq!(variants::suggested(&seed()), variants::june_15_what_ifs(), "the seed incident gets its own");
    // The fast leak leaks from 08:00 to 08:10: roll back halfway.
    let fast = variants::suggested(&preset("fast-leak"));
    assert!(fast.contains(&VariantKind::RollbackAt { at_s: 300.0, restart: true }), "{fast:?}");
    assert!(fast.contains(&VariantKind::BiggerPoolOnly { max_size: 20, at_s: 0.0 }));
    assert_eq!(fast[..2], [VariantKind::AsItHappened {}, VariantKind::NoFix {}]);
    // Nothing leaks in a healthy pool: no rollback to offer.
    let healthy = variants::suggested(&preset("healthy-pool"));
    assert!(!healthy.iter().any(|k| matches!(k, VariantKind::RollbackAt { .. })), "{healthy:?}");
    for name in presets::names() {
        let base = preset(name);
        for kind in variants::suggested(&base) {
            assert!(variants::build(&base, &kind).is_ok(), "{name}: {kind:?}");
        }
    }
}

#[test]
fn a_pool_that_refuses_instead_of_waiting_has_an_outage_to_recover_from() {
    // Go's defaults: nothing waits, so nothing times out; requests fail by refusal.
    let base = preset("go-database-sql");
    let rows = variants::run(&base, &variants::suggested(&base)).expect("the what-ifs run");
    let real = &rows[0];
    assert_eq!(real.first_timeout_s, None, "no request times out");
    assert!(real.counts.failed > 0 && !real.still_failing_at_end, "{real:?}");
    let (first, recovered) = (real.first_refusal_s.expect("refusals"), real.recovered_s.expect("recovers"));
    assert!(first < recovered);
    assert_eq!(real.outage_from_s(), Some(first));
    assert_eq!(real.time_to_recover_s, Some(recovered - first));
    let table = variants::markdown(&base.name, base.clock_start, &rows);
    let as_it_happened = table.lines().find(|l| l.starts_with("| 0 |")).expect("row 0");
    assert!(!as_it_happened.contains("no outage"), "{as_it_happened}");
    // Its lesson counts from the first refusal, not from a timeout that never came.
    let rollback =
        rows.iter().find(|r| matches!(r.kind, VariantKind::RollbackAt { .. })).expect("a rollback row");
    let lesson = variants::lesson(real, rollback, base.clock_start);
    assert!(lesson.contains("after the first refusal"), "{lesson}");
}

#[test]
fn the_pool_sizing_presets_compare_pool_sizes_and_say_where_the_time_went() {
    let cpu = preset("pool-sizing-cpu-bound");
    assert_eq!(variants::suggested(&cpu), variants::pool_size_what_ifs(&variants::CPU_BOUND_POOL_SIZES));
    let contended = preset("pool-sizing-contended");
    let kinds = variants::suggested(&contended);
    assert_eq!(
        kinds,
        [
            VariantKind::AsItHappened {},
            VariantKind::BiggerPoolOnly { max_size: 50, at_s: 0.0 },
            VariantKind::BiggerPoolOnly { max_size: 400, at_s: 0.0 }
        ]
    );
    // Edited, a preset gets the generic what-ifs.
    let mut edited = contended.clone();
    edited.traffic.rate_per_s = 120.0;
    assert_eq!(variants::suggested(&edited), variants::default_what_ifs(&edited));

    // CPU-bound: the queue only moves, and the lesson says so.
    let rows = variants::run(&cpu, &variants::suggested(&cpu)).expect("the what-ifs run");
    let said = |i: usize| variants::lesson(&rows[0], &rows[i], cpu.clock_start);
    assert!(said(0).contains("ms for a connection and") && said(0).contains("in all."), "{}", said(0));
    let biggest = said(3);
    assert!(
        biggest.starts_with("A pool of 128: no request failed either way; the mean response stays"),
        "{biggest}"
    );
    assert!(biggest.ends_with("— the queue only moved."), "{biggest}");
    // Contended: slower, then failing.
    let rows = variants::run(&contended, &kinds).expect("the what-ifs run");
    let said = |i: usize| variants::lesson(&rows[0], &rows[i], contended.clock_start);
    assert!(said(1).contains("the mean response is ") && !said(1).contains("stays"), "{}", said(1));
    assert!(said(2).contains("requests failed (") && said(2).contains("none as it happened"), "{}", said(2));
    // The Markdown table adds where the time went, and marks the quickest pool.
    let table = variants::markdown(&contended.name, contended.clock_start, &rows);
    assert!(table.contains("| Run ends | Mean wait | Mean query | Mean response |"), "{table}");
    let first = table.lines().find(|l| l.starts_with("| 0 |")).expect("row 0");
    assert!(first.ends_with(" ms** |") && first.matches(" | ").count() == 12, "{first}");
    // In JSON the database's figures sit in the row; a run without a database has none.
    let json = serde_json::to_string(&rows[1]).expect("serialises");
    assert!(json.contains(r#""database":{"mean_wait_ms":"#) && json.contains(r#""mean_stretch":"#), "{json}");
    assert!(!serde_json::to_string(as_it_happened()).expect("serialises").contains("\"database\""));
    let best = serde_json::to_string(&variants::best(june_15())).expect("serialises");
    assert!(!best.contains("mean_response_ms"), "{best}");
}

#[test]
fn rows_that_model_their_callers_say_goodput_and_wasted_work() {
    // Callers who give up after a second and retry at once, against the same callers
    // with jittered backoff and a retry budget.
    let base = Scenario {
        duration_s: 300,
        traffic: poolsim_engine::TrafficConfig {
            rate_per_s: 280.0,
            deadline_ms: 1000,
            retry: poolsim_engine::RetryConfig {
                attempts: 3,
                backoff: poolsim_engine::Backoff::Immediate,
                ..Default::default()
            },
            ..Default::default()
        },
        ..seed_sized_for_callers()
    };
    let mut remedy = base.clone();
    remedy.traffic.retry.backoff = poolsim_engine::Backoff::Exponential;
    remedy.traffic.retry.backoff_ms = 200;
    remedy.traffic.retry.jitter = poolsim_engine::Jitter::Full;
    remedy.traffic.retry.budget = Some(poolsim_engine::RetryBudget { ratio: 0.1, ..Default::default() });
    let kinds = [VariantKind::AsItHappened {}, VariantKind::Custom { scenario: Box::new(remedy) }];
    let rows = variants::run(&base, &kinds).expect("both run");
    let (storm, calm) =
        (rows[0].callers.as_ref().expect("callers"), rows[1].callers.as_ref().expect("callers"));
    assert!(calm.goodput_share > storm.goodput_share, "{storm:?} {calm:?}");
    assert_eq!(variants::best(&rows).goodput_share, vec![1]);
    let md = variants::markdown("callers", ClockTime::from_seconds_of_day(12 * 3600), &rows);
    assert!(md.contains("| Answered in time | Wasted work |"), "{md}");
    // A comparison without callers is written as before.
    assert!(
        !variants::markdown("june", ClockTime::from_seconds_of_day(12 * 3600), june_15())
            .contains("Answered")
    );
    assert!(variants::best(june_15()).goodput_share.is_empty());
}

/// A pool of 10 holding 40 ms for each request: 250 requests a second at most.
fn seed_sized_for_callers() -> Scenario {
    let mut s = Scenario::default();
    s.pool.max_size = 10;
    s.work.hold_ms = 40.0;
    s
}

/// The retry storm's what-ifs, each built and run to the end once for the whole file (one
/// thread per row), with its per-second samples: (the what-if, its run, its table row).
fn storm() -> &'static [(VariantKind, Simulation, VariantOutcome)] {
    static RUNS: OnceLock<Vec<(VariantKind, Simulation, VariantOutcome)>> = OnceLock::new();
    RUNS.get_or_init(|| {
        let base = preset(variants::RETRY_STORM.0);
        let kinds = variants::suggested(&base);
        std::thread::scope(|scope| {
            let runs: Vec<_> = kinds
                .iter()
                .map(|kind| {
                    let base = &base;
                    scope.spawn(move || {
                        let s = variants::build(base, kind).unwrap_or_else(|e| panic!("{kind:?}: {e}"));
                        let label = kind.label(base.clock_start);
                        let (sim, row) = variants::run_built(kind, label, &s).expect("runs");
                        (kind.clone(), sim, row)
                    })
                })
                .collect();
            runs.into_iter().map(|r| r.join().expect("a storm what-if panicked")).collect()
        })
    })
}

/// The storm's run of the first what-if `pick` accepts.
fn storm_run(pick: impl Fn(&VariantKind) -> bool) -> &'static Simulation {
    storm().iter().find(|(k, ..)| pick(k)).map(|(_, sim, _)| sim).expect("the storm's what-ifs have this row")
}

/// Attempts per first try over the caller samples with `from_s < t_s <= to_s`.
fn attempts_per_request(sim: &Simulation, from_s: u32, to_s: u32) -> f64 {
    let (firsts, retries) = sim
        .caller_samples()
        .iter()
        .filter(|c| c.t_s > from_s && c.t_s <= to_s)
        .fold((0u64, 0u64), |(f, r), c| (f + u64::from(c.first_tries), r + u64::from(c.retries)));
    (firsts + retries) as f64 / firsts.max(1) as f64
}

/// The storm's peak: 12:19 to 12:21 [s from the start].
const STORM_PEAK_S: (u32, u32) = (1140, 1260);
/// 12:40: the slow writes end [s].
const STORM_FIX_S: f64 = 2400.0;

#[test]
fn on_the_retry_storm_jitter_alone_changes_nothing_the_load_is_steady_not_waves() {
    // As it happened, every request is tried four times at the peak, and the retries come
    // at a steady rate (their per-second count varies by about 3 %): the storm is not
    // synchronized waves but a queue deeper than the callers' second, so every attempt
    // misses its deadline. Spreading the retries in time leaves their number as it was.
    let (from, to) = STORM_PEAK_S;
    let was = storm_run(|k| *k == VariantKind::AsItHappened {});
    let jittered = storm_run(|k| *k == VariantKind::JitteredRetries {});
    let (a, j) = (attempts_per_request(was, from, to), attempts_per_request(jittered, from, to));
    assert!(a > 3.9 && (a - j).abs() < 0.01 * a, "attempts per request {a} as it happened, {j} jittered");
    let steadiness = |sim: &Simulation| {
        let r: Vec<f64> = sim
            .caller_samples()
            .iter()
            .filter(|c| c.t_s > 1000 && c.t_s <= 2400)
            .map(|c| f64::from(c.retries))
            .collect();
        let mean = r.iter().sum::<f64>() / r.len() as f64;
        (r.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / r.len() as f64).sqrt() / mean
    };
    assert!(steadiness(was) < 0.1, "retries per second vary by {}", steadiness(was));
    let (b, v) = (was.summary(), jittered.summary());
    assert!((b.counts.failed_share - v.counts.failed_share).abs() < 0.01, "{b:?} {v:?}");
    assert_eq!(
        jittered.summary().milestones.recovered_s.map(f64::round),
        b.milestones.recovered_s.map(f64::round)
    );
}

#[test]
fn on_the_retry_storm_a_budget_alone_keeps_retries_within_a_tenth_and_ends_it() {
    let sim = storm_run(|k| matches!(k, VariantKind::RetryBudget { .. }));
    let samples = sim.caller_samples();
    // Over every minute: retries ≤ 10 % of the first tries of that minute and the 10 s
    // before (deposits last 10 s) + the allowance of 10 a second.
    for start in (0..3540).step_by(60) {
        let sum = |from: u32, to: u32, f: fn(&poolsim_engine::metrics::CallerSample) -> u32| -> f64 {
            samples.iter().filter(|c| c.t_s > from && c.t_s <= to).map(|c| f64::from(f(c))).sum()
        };
        let retries = sum(start, start + 60, |c| c.retries);
        let firsts = sum(start.saturating_sub(10), start + 60, |c| c.first_tries);
        assert!(
            retries <= 0.1 * firsts + 10.0 * 70.0,
            "from {start} s: {retries} retries, {firsts} first tries"
        );
    }
    let (from, to) = STORM_PEAK_S;
    assert!(attempts_per_request(sim, from, to) < 1.15, "{}", attempts_per_request(sim, from, to));
    // Callers are answered in time again from 12:21, 19 minutes before the fix.
    let back = samples.iter().filter(|c| c.t_s > 905).find(|c| c.goodput > 0).map(|c| c.t_s);
    assert!(back.is_some_and(|t| t < 22 * 60), "answered in time from {back:?}");
    let c = sim.summary().callers.expect("callers");
    assert!(c.goodput_share > 0.88 && c.retries_denied > 100_000, "{c:?}");
}

#[test]
fn on_the_retry_storm_failing_fast_at_the_deadline_only_trims_the_waste() {
    // A connection timeout of 1 s equals the callers' deadline: the queue can no longer
    // grow past a second of attempts, but it stays a second deep (1,200 attempts a second
    // for 357 served), so a request served still waited almost a second and is late.
    // It cuts the work served for nobody by more than 10 %, and with no backlog left the
    // storm ends with the fix at 12:40, not half a minute later; attempts stay four per request.
    let was = storm_run(|k| *k == VariantKind::AsItHappened {});
    let fast = storm_run(|k| matches!(k, VariantKind::FailFast { .. }));
    let (b, v) = (was.summary(), fast.summary());
    let (bc, vc) = (b.callers.clone().expect("callers"), v.callers.clone().expect("callers"));
    assert!((vc.served_late as f64) < 0.9 * bc.served_late as f64, "{bc:?} {vc:?}");
    assert!((vc.goodput_share - bc.goodput_share).abs() < 0.02, "{bc:?} {vc:?}");
    let (from, to) = STORM_PEAK_S;
    assert!(attempts_per_request(fast, from, to) > 3.9);
    let ends = |s: &Summary| s.milestones.recovered_s.expect("recovers after the fix");
    assert!(ends(&v) < STORM_FIX_S + 5.0 && ends(&b) > STORM_FIX_S + 20.0, "{} {}", ends(&v), ends(&b));
}

#[test]
fn on_the_retry_storm_the_budget_alone_recovers_as_early_as_the_remedy_twin() {
    // The remedy twin adds jittered backoff to the budget; jitter adds nothing here, so
    // both are answered in time again for good in the same second (the last second
    // before the fix in which fewer than half the requests were answered in time), and
    // the budget does the work. The others only recover with the fix at 12:40.
    let back = |sim: &Simulation| {
        sim.caller_samples()
            .iter()
            .filter(|c| f64::from(c.t_s) < STORM_FIX_S && c.goodput < c.first_tries / 2)
            .map(|c| c.t_s)
            .max()
    };
    let budget = storm_run(|k| matches!(k, VariantKind::RetryBudget { .. }));
    let twin = storm_run(|k| matches!(k, VariantKind::Custom { .. }));
    assert_eq!(back(budget), back(twin));
    assert!(back(twin).is_some_and(|t| t < 22 * 60), "{:?}", back(twin));
    for (kind, sim, _) in storm() {
        if !matches!(kind, VariantKind::RetryBudget { .. } | VariantKind::Custom { .. }) {
            assert!(back(sim).is_some_and(|t| t >= 2390), "{kind:?} recovers before the fix");
        }
    }
}

#[test]
fn the_callers_what_ifs_are_named_built_and_refused_with_their_field() {
    let base = preset(variants::RETRY_STORM.0);
    let noon = base.clock_start;
    let jitter = variants::build(&base, &VariantKind::JitteredRetries {}).expect("builds");
    assert_eq!(jitter.seed, base.seed);
    assert_eq!(jitter.traffic.retry.backoff, poolsim_engine::Backoff::Exponential);
    assert_eq!(jitter.traffic.retry.jitter, poolsim_engine::Jitter::Full);
    assert_eq!(jitter.traffic.retry.backoff_ms, poolsim_content::remedies::JITTER_FIRST_PAUSE_MS);
    assert_eq!(
        (jitter.traffic.retry.attempts, jitter.traffic.retry.on),
        (base.traffic.retry.attempts, base.traffic.retry.on)
    );
    let budget = variants::build(&base, &VariantKind::RetryBudget { ratio: 0.1 }).expect("builds");
    assert_eq!(budget.traffic.retry.budget.as_ref().map(|b| b.ratio), Some(0.1));
    let fast = variants::build(&base, &VariantKind::FailFast { timeout_ms: 1000 }).expect("builds");
    assert_eq!(fast.pool.connection_timeout_ms, 1000);
    let labels: Vec<_> = [
        VariantKind::JitteredRetries {},
        VariantKind::RetryBudget { ratio: 0.1 },
        VariantKind::FailFast { timeout_ms: 1000 },
    ]
    .iter()
    .map(|k| k.label(noon))
    .collect();
    assert_eq!(labels, ["Jittered backoff", "Retry budget (10 %)", "Fail fast (timeout 1 s)"]);
    for (json, kind) in [
        (r#"{"kind":"jittered_retries"}"#, VariantKind::JitteredRetries {}),
        (r#"{"kind":"retry_budget","ratio":0.1}"#, VariantKind::RetryBudget { ratio: 0.1 }),
        (r#"{"kind":"fail_fast","timeout_ms":1000}"#, VariantKind::FailFast { timeout_ms: 1000 }),
    ] {
        assert_eq!(serde_json::from_str::<VariantKind>(json).expect("reads"), kind);
        assert_eq!(serde_json::to_string(&kind).expect("writes"), json);
    }
    let refused = |kind: VariantKind, on: &Scenario| variants::build(on, &kind).expect_err("refused").path;
    assert_eq!(refused(VariantKind::RetryBudget { ratio: -0.1 }, &base), "ratio");
    assert_eq!(refused(VariantKind::RetryBudget { ratio: f64::NAN }, &base), "ratio");
    assert_eq!(refused(VariantKind::FailFast { timeout_ms: 0 }, &base), "timeout_ms");
    assert_eq!(refused(VariantKind::FailFast { timeout_ms: u64::MAX }, &base), "timeout_ms");
    // Callers that never retry have no retries to jitter or budget.
    assert_eq!(refused(VariantKind::JitteredRetries {}, &seed()), "kind");
    assert_eq!(refused(VariantKind::RetryBudget { ratio: 0.1 }, &seed()), "kind");
}

#[test]
fn the_callers_what_ifs_lessons_say_what_changed() {
    let base = preset(variants::RETRY_STORM.0);
    let rows = storm_rows();
    let row = |pick: fn(&VariantKind) -> bool| rows.iter().find(|r| pick(&r.kind)).expect("row");
    let say = |o: &VariantOutcome| variants::lesson(&rows[0], o, base.clock_start);
    let budget = say(row(|k| matches!(k, VariantKind::RetryBudget { .. })));
    assert!(
        budget.starts_with("With a retry budget of 10 % of first tries, requests fail from "),
        "{budget}"
    );
    assert!(budget.contains("1.01 attempts per request instead of 2.28"), "{budget}");
    let jitter = say(row(|k| *k == VariantKind::JitteredRetries {}));
    assert!(jitter.starts_with("With jittered exponential backoff"), "{jitter}");
    assert!(jitter.contains("the same 2.28 attempts per request"), "{jitter}");
    let fast = say(row(|k| matches!(k, VariantKind::FailFast { .. })));
    assert!(fast.starts_with("Failing fast (the pool's connection timeout at 1,000 ms)"), "{fast}");
    assert!(fast.contains("530,905 served for callers already gone instead of 602,986"), "{fast}");
}

/// The storm's what-ifs as table rows, from the runs of [`storm`].
fn storm_rows() -> Vec<VariantOutcome> {
    storm().iter().map(|(.., row)| row.clone()).collect()
}
