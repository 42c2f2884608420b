//! Replications and sweeps in words: each figure's name, a cell's value as a table or a
//! heatmap shows it, and the answer of the smallest-pool search as a sentence — the same
//! words on the command line and on the page.

use poolsim_engine::replicate::sweep::{PoolSearch, Probe, Survival, SweepOutcome};
use poolsim_engine::replicate::{Metric, Percentiles};

use super::{Clock, approx_duration, count, millis, percent, short_number};

/// A figure's name with its unit, for a table row: `first exhaustion [s]`.
pub fn metric_label(metric: Metric) -> &'static str {
    match metric {
        Metric::FirstExhaustionS => "first exhaustion [s]",
        Metric::FirstTimeoutS => "first timeout [s]",
        Metric::FailedShare => "failed share",
        Metric::TimeToRecoverS => "time to recover [s]",
        Metric::PeakPending => "peak pending",
        Metric::P99WaitMs => "p99 wait [ms]",
        Metric::MeanWaitMs => "mean wait [ms]",
    }
}

/// How long a pool must last, after "survives": `until 15:30`, or `the whole run`.
pub fn survival_span(survival: &Survival, clock: &Clock) -> String {
    match survival.until_s {
        Some(t) => format!("until {}", clock.at(t)),
        None => "the whole run".to_owned(),
    }
}

/// What a sweep's cells show, as a title: `runs that did not run out until 15:30` (or
/// `runs that never ran out`), `mean first exhaustion (clock time)`, `mean p99 wait`.
pub fn outcome_title(outcome: SweepOutcome, survival: &Survival, clock: &Clock) -> String {
    match outcome {
        SweepOutcome::Survived => match survival.until_s {
            Some(t) => format!("runs that did not run out until {}", clock.at(t)),
            None => "runs that never ran out".to_owned(),
        },
        SweepOutcome::Mean(metric) => {
            let name = metric_label(metric).split(" [").next().unwrap_or_default();
            let shown = match metric {
                Metric::FirstExhaustionS | Metric::FirstTimeoutS => " (clock time)",
                _ => "",
            };
            format!("mean {name}{shown}")
        }
    }
}

/// A cell's value as a table or a heatmap writes it: a share as a percentage, a time of
/// the run as a clock time, a span rounded to the minute, waits in ms, counts as numbers;
/// `–` for none (no run had the figure).
pub fn outcome_value(outcome: SweepOutcome, value: Option<f64>, clock: &Clock) -> String {
    let Some(v) = value else { return "–".to_owned() };
    match outcome {
        SweepOutcome::Survived | SweepOutcome::Mean(Metric::FailedShare) => percent(v),
        SweepOutcome::Mean(Metric::FirstExhaustionS | Metric::FirstTimeoutS) => clock.at(v),
        SweepOutcome::Mean(Metric::TimeToRecoverS) => approx_duration(v),
        SweepOutcome::Mean(Metric::PeakPending) => short_number(v),
        SweepOutcome::Mean(Metric::P99WaitMs | Metric::MeanWaitMs) => millis(v),
    }
}

/// `192 of 200 runs (96 %)`: the count too, so a share rounded to the target's
/// percentage never reads as reaching it.
fn runs_share(probe: &Probe) -> String {
    let s = probe.survived;
    format!(
        "{} of {} runs ({})",
        count(u64::from(s.count)),
        count(u64::from(s.of)),
        percent(s.share.unwrap_or(0.0))
    )
}

/// The search's answer in a sentence: "A pool of 140 survives until 15:30 in 192 of 200
/// runs (96 %); 139 survives in 187 (94 %)."
pub fn smallest_pool_answer(search: &PoolSearch, clock: &Clock) -> String {
    let span = survival_span(&search.survival, clock);
    let wanted = percent(search.survival.share);
    match (search.answer_probe(), search.below()) {
        (Some(answer), Some(below)) => format!(
            "A pool of {} survives {span} in {}; {} survives in {} ({}).",
            count(u64::from(answer.max_size)),
            runs_share(answer),
            count(u64::from(below.max_size)),
            count(u64::from(below.survived.count)),
            percent(below.survived.share.unwrap_or(0.0)),
        ),
        (Some(answer), None) => {
            format!(
                "Even a pool of {} survives {span} in {}.",
                count(u64::from(answer.max_size)),
                runs_share(answer)
            )
        }
        (None, Some(largest)) => format!(
            "No pool of up to {} connections survives {span} in {wanted} of the runs: {} survives in {}.",
            count(u64::from(largest.max_size)),
            count(u64::from(largest.max_size)),
            runs_share(largest),
        ),
        (None, None) => "No pool size was tried.".to_owned(),
    }
}

/// One scenario over many seeds in a sentence, beside one run's outcome: of `runs`,
/// the `ran_out` where the pool ran out, when (the range of 90 % of those, and their
/// median: `exhaustion`, s from the start) and what share of requests failed (`failed`).
/// "Over 100 runs, each with its own seed, the pool ran out in every one: on 90 % of them
/// between 13:33 and 13:57 (median 13:46); 35 % to 44 % of requests failed (median 40 %)."
pub fn spread_sentence(
    runs: u32,
    ran_out: u32,
    exhaustion: Option<Percentiles>,
    failed: Option<Percentiles>,
    clock: &Clock,
) -> String {
    let lead = format!("Over {} runs, each with its own seed,", count(u64::from(runs)));
    let ran_out = match exhaustion {
        Some(p) => {
            let which = if ran_out >= runs {
                "in every one: on 90 % of them".to_owned()
            } else {
                format!(
                    "in {} of them ({}): on 90 % of those",
                    count(u64::from(ran_out)),
                    percent(f64::from(ran_out) / f64::from(runs.max(1)))
                )
            };
            format!(
                "{lead} the pool ran out {which} between {} and {} (median {})",
                clock.at(p.p5),
                clock.at(p.p95),
                clock.at(p.median)
            )
        }
        None => format!("{lead} the pool never ran out"),
    };
    match failed {
        Some(p) if p.p95 <= 0.0 => format!("{ran_out}; on 95 % of them no request failed."),
        Some(p) => format!(
            "{ran_out}; {} to {} of requests failed (median {}).",
            percent(p.p5),
            percent(p.p95),
            percent(p.median)
        ),
        None => format!("{ran_out}."),
    }
}

#[cfg(test)]
mod tests {
    use poolsim_engine::replicate::Share;
    use poolsim_engine::time::ClockTime;

    use super::*;

    fn search(answer: Option<u32>, probes: &[(u32, u32)]) -> PoolSearch {
        let survival = Survival { until_s: Some(12_600.0), share: 0.95 };
        let probes = probes
            .iter()
            .map(|&(max_size, count)| {
                let survived = Share::new(count, 200);
                Probe { max_size, survived, survives: survival.holds(&survived) }
            })
            .collect();
        PoolSearch { survival, answer, probes }
    }

    fn noon() -> Clock {
        Clock::new(ClockTime::parse("12:00").expect("a clock time"), 18_000)
    }

    #[test]
    fn the_answer_names_the_pool_its_neighbour_and_both_shares() {
        let found = search(Some(140), &[(100, 0), (200, 200), (150, 200), (140, 192), (139, 189)]);
        assert_eq!(
            smallest_pool_answer(&found, &noon()),
            "A pool of 140 survives until 15:30 in 192 of 200 runs (96 %); 139 survives in 189 (94 %)."
        );
        let one = search(Some(1), &[(1, 200)]);
        assert_eq!(
            smallest_pool_answer(&one, &noon()),
            "Even a pool of 1 survives until 15:30 in 200 of 200 runs (100 %)."
        );
        let none = search(None, &[(100, 0), (100_000, 20)]);
        assert_eq!(
            smallest_pool_answer(&none, &noon()),
            "No pool of up to 100,000 connections survives until 15:30 in 95 % of the runs: 100,000 survives \
             in 20 of 200 runs (10 %)."
        );
    }

    #[test]
    fn cells_show_shares_clock_times_and_waits() {
        let clock = noon();
        assert_eq!(outcome_value(SweepOutcome::Survived, Some(0.955), &clock), "96 %");
        assert_eq!(
            outcome_value(SweepOutcome::Mean(Metric::FirstExhaustionS), Some(6813.8), &clock),
            "13:53"
        );
        assert_eq!(outcome_value(SweepOutcome::Mean(Metric::P99WaitMs), Some(12.34), &clock), "12.3 ms");
        assert_eq!(outcome_value(SweepOutcome::Mean(Metric::FirstTimeoutS), None, &clock), "–");
        let whole = Survival::default();
        assert_eq!(outcome_title(SweepOutcome::Survived, &whole, &clock), "runs that never ran out");
        assert_eq!(
            outcome_title(SweepOutcome::Mean(Metric::FirstExhaustionS), &whole, &clock),
            "mean first exhaustion (clock time)"
        );
    }

    #[test]
    fn many_runs_say_when_the_pool_ran_out_and_how_many_failed() {
        let of = |values: &[f64]| Percentiles::of(values);
        // 13:33, 13:46, 13:57 as 93.2, 105.6 and 117.3 minutes after noon.
        let every: Vec<f64> = (0..20).map(|i| 5_590.0 + f64::from(i) * 76.0).collect();
        let failed: Vec<f64> = (0..20).map(|i| 0.35 + f64::from(i) * 0.005).collect();
        assert_eq!(
            spread_sentence(20, 20, of(&every), of(&failed), &noon()),
            "Over 20 runs, each with its own seed, the pool ran out in every one: on 90 % of them \
             between 13:33 and 13:55 (median 13:44); 35 % to 44 % of requests failed (median 39 %)."
        );
        assert_eq!(
            spread_sentence(20, 5, of(&every[..5]), of(&failed), &noon()),
            "Over 20 runs, each with its own seed, the pool ran out in 5 of them (25 %): on 90 % of \
             those between 13:33 and 13:38 (median 13:35); 35 % to 44 % of requests failed (median 39 %)."
        );
        assert_eq!(
            spread_sentence(1_000, 0, of(&[]), of(&[0.0; 3]), &noon()),
            "Over 1,000 runs, each with its own seed, the pool never ran out; on 95 % of them no request failed."
        );
    }
}
