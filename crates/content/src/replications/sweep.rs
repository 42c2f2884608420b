//! A sweep's cells as one CSV row each: `poolsim sweep --format csv` and the compare
//! page's sweep download write it here, so the two files are the same bytes; and the
//! time a pool must survive until, read as both take it ([`until_s`]).
//!
//! Columns: each knob's path (the cell's values), `runs`, the runs that survived with
//! their share and its 95 % interval, `survives`, then each figure's statistics
//! (`first_exhaustion_s_n`, `…_mean`, `…_ci_low`, `…_ci_high`, `…_median`, `…_p5`,
//! `…_p95`). Numbers are written as Rust writes them (the shortest text that reads back
//! as the same bits), empty where there are none.

use poolsim_engine::replicate::sweep::{Survival, Sweep, SweepOutcome};
use poolsim_engine::replicate::{Metric, Replications};
use poolsim_engine::time::ClockTime;

use super::csv::line;
use crate::words::replicate::{outcome_title, outcome_value};
use crate::words::{Clock, count, percent};

/// "Survives until `text`" (a clock time, HH:MM or HH:MM:SS) in a run from `clock_start`
/// lasting `duration_s` [s]: seconds from the start, the first time its clock shows it.
/// Refused, in words to act on, when it is not a clock time or not after the start and
/// at the end at the latest (`poolsim sweep --until` and the page's field alike).
pub fn until_s(text: &str, clock_start: ClockTime, duration_s: u64) -> Result<f64, String> {
    let at = ClockTime::parse_typed(text)
        .ok_or_else(|| "not a clock time; write HH:MM or HH:MM:SS on a 24-hour clock (15:30)".to_owned())?;
    let offset = u64::from(at.seconds_after(clock_start));
    if offset == 0 || offset > duration_s {
        let clock = Clock::new(clock_start, duration_s);
        return Err(format!(
            "the run goes from {} to {}; give a time after its start, at its end at the latest",
            clock.at(0.0),
            // At most 7 days: exact.
            clock.at(duration_s as f64)
        ));
    }
    Ok(offset as f64)
}

/// The statistics columns of each figure.
const STATS_COLUMNS: [&str; 7] = ["n", "mean", "ci_low", "ci_high", "median", "p5", "p95"];

/// The columns of a sweep of `sweep`'s knobs.
fn header(sweep: &Sweep) -> Vec<String> {
    [Some(sweep.x), sweep.y]
        .into_iter()
        .flatten()
        .map(|axis| axis.knob.path().to_owned())
        .chain(
            ["runs", "survived", "survived_share", "survived_ci_low", "survived_ci_high", "survives"]
                .map(str::to_owned),
        )
        .chain(Metric::ALL.iter().flat_map(|m| STATS_COLUMNS.iter().map(move |s| format!("{}_{s}", m.key()))))
        .collect()
}

/// One CSV row per cell of `sweep` (its runs `cells`, in cell order), a cell surviving as
/// `survival` says; a header first, lines ending in `\n`.
pub fn cells_csv(sweep: &Sweep, cells: &[Replications], survival: &Survival) -> String {
    let mut out = String::new();
    let header = header(sweep);
    line(&mut out, header.iter().map(String::as_str));
    let number = |x: Option<f64>| x.map(|x| x.to_string()).unwrap_or_default();
    for (cell, runs) in sweep.cells().into_iter().zip(cells) {
        let survived = survival.count(runs);
        let report = runs.report();
        let mut row: Vec<String> = std::iter::once(cell.x).chain(cell.y).map(|v| v.to_string()).collect();
        row.extend([
            runs.len().to_string(),
            survived.count.to_string(),
            number(survived.share),
            number(survived.ci95.map(|ci| ci.low)),
            number(survived.ci95.map(|ci| ci.high)),
            survival.holds(&survived).to_string(),
        ]);
        for metric in Metric::ALL {
            let s = report.stats(metric);
            row.push(s.n.to_string());
            row.extend(
                [s.mean, s.ci95.map(|ci| ci.low), s.ci95.map(|ci| ci.high), s.median, s.p5, s.p95]
                    .map(number),
            );
        }
        line(&mut out, row.iter().map(String::as_str));
    }
    out
}

/// A cell's numbers in words, for its focus or hover: the outcome shown, with the range
/// of 90 % of runs (or, for a share of runs, its 95 % interval), and in how many runs the
/// pool ran out: "mean first exhaustion (clock time): 13:54, 90 % of runs 13:41 to 14:17;
/// the pool ran out in 10 of 10 runs (100 %)". `None` until the cell has runs.
pub fn cell_numbers(
    outcome: SweepOutcome,
    runs: &Replications,
    survival: &Survival,
    clock: &Clock,
) -> Option<String> {
    if runs.is_empty() {
        return None;
    }
    let show = |v: f64| outcome_value(outcome, Some(v), clock);
    let value = outcome_value(outcome, outcome.value(runs, survival), clock);
    let band = match outcome {
        SweepOutcome::Survived => {
            survival.count(runs).ci95.map(|ci| format!("95 % CI {} to {}", show(ci.low), show(ci.high)))
        }
        SweepOutcome::Mean(metric) => {
            let report = runs.report();
            let s = report.stats(metric);
            let n = if s.n < report.runs {
                format!(" (in the {} runs that had one)", count(u64::from(s.n)))
            } else {
                String::new()
            };
            s.p5.zip(s.p95).map(|(p5, p95)| format!("90 % of runs {} to {}{n}", show(p5), show(p95)))
        }
    };
    let ran_out = runs.report().ran_out;
    let mut text = format!("{}: {value}", outcome_title(outcome, survival, clock));
    if let Some(band) = band {
        text.push_str(&format!(", {band}"));
    }
    text.push_str(&format!(
        "; the pool ran out in {} of {} runs ({})",
        count(u64::from(ran_out.count)),
        count(u64::from(ran_out.of)),
        percent(ran_out.share.unwrap_or(0.0))
    ));
    Some(text)
}

#[cfg(test)]
mod tests {
    use poolsim_engine::replicate::Outcome;
    use poolsim_engine::replicate::sweep::Axis;

    use super::*;

    #[test]
    fn a_row_per_cell_with_its_values_survival_and_statistics() {
        let sweep = Sweep::new(
            Axis::parse("pool.max_size=10..20:2").expect("an axis"),
            Some(Axis::parse("leak.probability=0.001..0.01:2:log").expect("an axis")),
        )
        .expect("two knobs");
        let cells: Vec<Replications> = (0..sweep.len())
            .map(|c| {
                let mut runs = Replications::new();
                for run in 0..4u32 {
                    // Cell 0 runs out in every run, at 100 s + 10 s a run; the others never.
                    let first_exhaustion_s = (c == 0).then_some(100.0 + 10.0 * f64::from(run));
                    runs.push(run, Outcome { first_exhaustion_s, ..Outcome::default() }).expect("new run");
                }
                runs
            })
            .collect();
        let text = cells_csv(&sweep, &cells, &Survival::default());
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 5, "{text}");
        assert!(text.ends_with('\n'));
        assert!(
            lines[0].starts_with("pool.max_size,leak.probability,runs,survived,survived_share,"),
            "{}",
            lines[0]
        );
        assert!(lines[0].contains(",first_exhaustion_s_n,first_exhaustion_s_mean,"));
        let row = |i: usize| lines[i].split(',').collect::<Vec<_>>();
        let header = row(0);
        let column = |name: &str| header.iter().position(|h| *h == name).expect(name);
        assert_eq!(&row(1)[..4], ["10", "0.001", "4", "0"]);
        assert_eq!(row(1)[column("survives")], "false");
        assert_eq!(row(1)[column("first_exhaustion_s_mean")], "115");
        assert_eq!(&row(4)[..4], ["20", "0.01", "4", "4"]);
        assert_eq!((row(4)[column("survives")], row(4)[column("first_exhaustion_s_mean")]), ("true", ""));
    }

    #[test]
    fn a_cells_numbers_say_the_outcome_its_range_and_how_often_the_pool_ran_out() {
        let clock = Clock::new(ClockTime::parse("12:00").expect("a clock time"), 3600);
        let mut runs = Replications::new();
        assert_eq!(cell_numbers(SweepOutcome::Survived, &runs, &Survival::default(), &clock), None);
        for run in 0..20u32 {
            let first_exhaustion_s = (run < 10).then_some(600.0 + 60.0 * f64::from(run));
            runs.push(run, Outcome { first_exhaustion_s, ..Outcome::default() }).expect("new run");
        }
        let mean = SweepOutcome::Mean(Metric::FirstExhaustionS);
        let text = cell_numbers(mean, &runs, &Survival::default(), &clock).expect("runs");
        assert_eq!(
            text,
            "mean first exhaustion (clock time): 12:14:30, 90 % of runs 12:10:00 to 12:19:00 (in the 10 runs \
             that had one); the pool ran out in 10 of 20 runs (50 %)"
        );
        let survived =
            cell_numbers(SweepOutcome::Survived, &runs, &Survival::default(), &clock).expect("runs");
        assert!(survived.starts_with("runs that never ran out: 50 %, 95 % CI "), "{survived}");
    }
}
