//! The lesson under a comparison table: one plain sentence per variant, with clock
//! times, saying what the variant changed compared with the base (as it happened).
//!
//! Each sentence is assembled from the two outcomes' numbers only, choosing its words
//! by what the numbers show ("only moved exhaustion" when the pool still ran out,
//! "avoids the outage" when nothing timed out), so it cannot claim what did not happen.
//! With a database behind the pool, it also says where a request's time went: a bigger
//! pool that only moves the wait from the pool into the database says so.

use super::kind::VariantKind;
use super::outcome::{DatabaseOutcome, VariantOutcome};
use crate::words::{Clock, count, duration, millis, percent};
use poolsim_engine::alerts::USAGE_ALERT_NAME;
use poolsim_engine::time::ClockTime;

/// One sentence comparing `variant` with `base` (normally the as-it-happened row), with
/// clock times of a run starting at `clock_start`.
///
/// For example: "A pool of 200 alone only moved exhaustion from 13:53 to 15:25, and
/// 663,527 requests still failed (25 %)." For the base itself, it tells what happened.
pub fn lesson(base: &VariantOutcome, variant: &VariantOutcome, clock_start: ClockTime) -> String {
    let c = Clock::new(clock_start, base.duration_s.max(variant.duration_s));
    let (b, v) = (base, variant);
    let (Some(bd), Some(vd)) = (&b.database, &v.database) else { return headline(b, v, &c) };
    match &v.kind {
        VariantKind::AsItHappened {} => format!(
            "{} A request waited {} for a connection and {} for its query: {} in all.",
            as_it_happened(v, &c),
            millis(vd.mean_wait_ms),
            millis(vd.database.mean_query_ms),
            millis(vd.mean_response_ms)
        ),
        VariantKind::BiggerPoolOnly { max_size, at_s } => {
            format!(
                "{}: {}; {}.",
                pool_words(*max_size, *at_s, &c),
                failed_either_way(b, v),
                response(bd, vd)
            )
        }
        _ => {
            let mut text = response(bd, vd);
            text[..1].make_ascii_uppercase();
            format!("{} {text}.", headline(b, v, &c))
        }
    }
}

/// [`lesson`]'s sentence from the pool's side: failures, exhaustion, recovery, alerts.
fn headline(b: &VariantOutcome, v: &VariantOutcome, c: &Clock) -> String {
    match &v.kind {
        VariantKind::AsItHappened {} => as_it_happened(v, c),
        VariantKind::NoFix {} => {
            if v.counts.failed == 0 && b.counts.failed == 0 {
                "Without any fix no request fails either: the pool copes on its own.".to_owned()
            } else if v.counts.failed == 0 {
                format!("With no fix, no request fails ({} failed as it happened).", count(b.counts.failed))
            } else if same_run(v, b) {
                format!("This run has no fix to take away: {}, as it happened.", failures(v, c))
            } else {
                format!("With no fix, {}: {}.", window(v, c), instead(v, b))
            }
        }
        VariantKind::BiggerPoolOnly { max_size, at_s } => bigger_pool(b, v, *max_size, *at_s, c),
        VariantKind::RollbackAt { at_s, restart } => {
            let with = if *restart { " with a restart" } else { " without a restart" };
            rollback(b, v, format!("Rolling back at {}{with}", c.at(*at_s)), c)
        }
        VariantKind::RollbackAfterFirstAlert { reaction_s, restart } => {
            let alert = match (&v.first_alert, v.time_to_detect_s) {
                (Some(name), Some(t)) => format!("the {name} alert of {}", c.at(t)),
                _ => "the first alert".to_owned(),
            };
            let with = if *restart { " with a restart" } else { " without a restart" };
            let at = v.fix_at_s.map(|t| format!(" at {}", c.at(t))).unwrap_or_default();
            rollback(b, v, format!("Rolling back{with}{at} ({} after {alert})", duration(*reaction_s)), c)
        }
        VariantKind::RestartAt { at_s, .. } => restart(v, *at_s, c),
        VariantKind::AbandonedReclaim { timeout_ms, .. } => reclaim(b, v, *timeout_ms, c),
        VariantKind::UsageAlert { above, .. } => usage_alert(b, v, *above, c),
        VariantKind::NoRollback { .. } => no_rollback(b, v, c),
        VariantKind::JitteredRetries {} => callers_remedy(
            b,
            v,
            &format!(
                "With jittered exponential backoff (each pause drawn at random below a cap doubling from {} \
                 or more)",
                millis(crate::remedies::JITTER_FIRST_PAUSE_MS as f64)
            ),
            c,
        ),
        VariantKind::RetryBudget { ratio } => {
            callers_remedy(b, v, &format!("With a retry budget of {} of first tries", percent(*ratio)), c)
        }
        VariantKind::FailFast { timeout_ms } => callers_remedy(
            b,
            v,
            &format!("Failing fast (the pool's connection timeout at {})", millis(*timeout_ms as f64)),
            c,
        ),
        VariantKind::Custom { .. } => format!("{}: {}; {}.", v.label, failures(v, c), instead(v, b)),
    }
}

/// A change of the callers' behaviour against `b`: when requests fail and how many, then,
/// when both runs model their callers, the answers in time, the attempts per request and
/// the work served for callers already gone. `what` starts the sentence ("With a retry
/// budget of 10 % of first tries").
fn callers_remedy(b: &VariantOutcome, v: &VariantOutcome, what: &str, c: &Clock) -> String {
    let mut s = format!("{what}, {}: {}", window(v, c), instead(v, b));
    if let (Some(bc), Some(vc)) = (&b.callers, &v.callers) {
        let per_request = |o: &VariantOutcome, first_tries: u64, retries: u64| {
            (first_tries + retries) as f64 / o.requests.max(1) as f64
        };
        let (now, was) = (
            format!("{:.2}", per_request(v, vc.first_tries, vc.retries)),
            format!("{:.2}", per_request(b, bc.first_tries, bc.retries)),
        );
        let attempts = if now == was {
            format!("the same {now} attempts per request")
        } else {
            format!("{now} attempts per request instead of {was}")
        };
        s.push_str(&format!(
            "; {} answered in time ({}) instead of {} ({}), {attempts}, {} served for callers already gone \
             instead of {}",
            count(vc.goodput),
            percent(vc.goodput_share),
            count(bc.goodput),
            percent(bc.goodput_share),
            count(vc.served_late),
            count(bc.served_late)
        ));
    }
    s.push('.');
    s
}

/// The two rows show the same run (as far as the table can tell).
fn same_run(v: &VariantOutcome, b: &VariantOutcome) -> bool {
    (v.requests, v.counts.failed, v.counts.timed_out, v.counts.leaked)
        == (b.requests, b.counts.failed, b.counts.timed_out, b.counts.leaked)
        && (v.first_exhaustion_s, v.first_timeout_s, v.recovered_s)
            == (b.first_exhaustion_s, b.first_timeout_s, b.recovered_s)
}

/// "As it happened, the pool ran out at 13:53 and requests failed from 14:05 until 15:59, …"
fn as_it_happened(o: &VariantOutcome, c: &Clock) -> String {
    let pool = match o.first_exhaustion_s {
        Some(t) => format!("the pool ran out at {}", c.at(t)),
        None => "the pool never ran out".to_owned(),
    };
    let alert = match (&o.first_alert, o.time_to_detect_s) {
        (Some(name), Some(t)) => format!("; the first alert ({name}) fired at {}", c.at(t)),
        _ => String::new(),
    };
    if o.counts.failed == 0 {
        return format!("As it happened, {pool} and no request failed{alert}.");
    }
    format!("As it happened, {pool} and {}{alert}.", failures_past(o, c))
}

/// When requests fail: "requests fail from 14:05 until 15:59" or "… to the end of the run at 17:00".
fn window(o: &VariantOutcome, c: &Clock) -> String {
    match (first_failure_s(o), o.recovered_s) {
        _ if o.counts.failed == 0 => "no request fails".to_owned(),
        (Some(first), _) if o.still_failing_at_end => format!(
            "requests fail from {} to the end of the run at {}",
            c.at(first),
            c.at(o.duration_s as f64)
        ),
        (Some(first), Some(last)) => format!("requests fail from {} until {}", c.at(first), c.at(last)),
        _ => "requests fail".to_owned(),
    }
}

/// The first failure [s]: the first timeout, or the start of the first failing second if earlier.
fn first_failure_s(o: &VariantOutcome) -> Option<f64> {
    let span = o.failing_spans.first().map(|s| f64::from(s.from_s));
    [o.first_timeout_s, span].into_iter().flatten().reduce(f64::min)
}

/// [`window`] and how many: "requests fail from 14:05 until 15:59, 1,025,932 in all (38 %)".
fn failures(o: &VariantOutcome, c: &Clock) -> String {
    if o.counts.failed == 0 {
        return window(o, c);
    }
    format!("{}, {} in all ({})", window(o, c), count(o.counts.failed), percent(o.counts.failed_share))
}

/// [`failures`] in the past tense, for what happened.
fn failures_past(o: &VariantOutcome, c: &Clock) -> String {
    failures(o, c).replacen("requests fail ", "requests failed ", 1)
}

/// "1,900,000 failed requests (70 %) instead of 1,025,932 (38 %)", or "the same … as it happened".
fn instead(v: &VariantOutcome, b: &VariantOutcome) -> String {
    if v.counts.failed == 0 && b.counts.failed == 0 {
        return "no failed request either way".to_owned();
    }
    if v.counts.failed == b.counts.failed && v.requests == b.requests {
        return format!(
            "the same {} failed requests ({}) as it happened",
            count(v.counts.failed),
            percent(v.counts.failed_share)
        );
    }
    format!(
        "{} failed requests ({}) instead of {} ({})",
        count(v.counts.failed),
        percent(v.counts.failed_share),
        count(b.counts.failed),
        percent(b.counts.failed_share)
    )
}

/// "A pool of 200", or "A pool of 200 from 14:00" for a resize during the run.
fn pool_words(max_size: u32, at_s: f64, c: &Clock) -> String {
    if at_s > 0.0 {
        format!("A pool of {max_size} from {}", c.at(at_s))
    } else {
        format!("A pool of {max_size}")
    }
}

/// The failures of `v` against `b`, for a run where failures are not the whole story.
fn failed_either_way(b: &VariantOutcome, v: &VariantOutcome) -> String {
    match (b.counts.failed, v.counts.failed) {
        (0, 0) => "no request failed either way".to_owned(),
        (0, failed) => format!(
            "{} requests failed ({}), none as it happened",
            count(failed),
            percent(v.counts.failed_share)
        ),
        _ => instead(v, b),
    }
}

/// Where a request's time went in `v` against `b`: "the mean response stays 9.4 ms (9.3 ms
/// as it happened): the wait for a connection went from 4.5 ms to 0.0 ms and the query
/// from 4.8 ms to 9.4 ms — the queue only moved". Within 2 % it "stays".
fn response(b: &DatabaseOutcome, v: &DatabaseOutcome) -> String {
    let moved = format!(
        "the wait for a connection went from {} to {} and the query from {} to {}",
        millis(b.mean_wait_ms),
        millis(v.mean_wait_ms),
        millis(b.database.mean_query_ms),
        millis(v.database.mean_query_ms)
    );
    let (was, now) = (b.mean_response_ms, v.mean_response_ms);
    if (now - was).abs() <= 0.02 * was {
        format!(
            "the mean response stays {} ({} as it happened): {moved} — the queue only moved",
            millis(now),
            millis(was)
        )
    } else {
        format!("the mean response is {} instead of {}: {moved}", millis(now), millis(was))
    }
}

fn bigger_pool(b: &VariantOutcome, v: &VariantOutcome, max_size: u32, at_s: f64, c: &Clock) -> String {
    let pool = pool_words(max_size, at_s, c);
    let still = if v.counts.failed == 0 {
        "and no request failed".to_owned()
    } else {
        let still = if b.counts.failed > 0 { "still " } else { "" };
        format!("and {} requests {still}failed ({})", count(v.counts.failed), percent(v.counts.failed_share))
    };
    match (b.first_exhaustion_s, v.first_exhaustion_s) {
        (Some(was), Some(now)) if now > was && v.counts.failed > 0 => {
            format!("{pool} alone only moved exhaustion from {} to {}, {still}.", c.at(was), c.at(now))
        }
        (Some(was), Some(now)) if now > was => {
            format!("{pool} alone moved exhaustion from {} to {}, {still}.", c.at(was), c.at(now))
        }
        (_, Some(now)) if now < at_s => {
            format!("{pool} came too late: the pool had run out at {} already, {still}.", c.at(now))
        }
        (was, Some(now)) => {
            let was = was.map(|t| format!(" (as it happened: {})", c.at(t))).unwrap_or_default();
            format!("With {} alone the pool runs out at {}{was}, {still}.", lower_first(&pool), c.at(now))
        }
        (Some(was), None) => format!(
            "{pool} alone kept the pool from running out before the run ended at {} (it ran out at {} as it happened); {}.",
            c.at(v.duration_s as f64),
            c.at(was),
            instead(v, b)
        ),
        (None, None) if v.counts.failed == 0 && b.counts.failed == 0 => {
            format!(
                "{pool} changes nothing that shows: the pool never ran out and no request failed either way."
            )
        }
        (None, None) => format!("The pool never ran out; with {}: {}.", lower_first(&pool), instead(v, b)),
    }
}

/// When requests first failed for want of a connection ([`VariantOutcome::outage_from_s`]),
/// and how: timed out waiting, or refused at once by a pool that lets no more wait.
struct Starved {
    at_s: f64,
    /// "timeout" or "refusal".
    first: &'static str,
    /// "timed out" or "was refused".
    one_did: &'static str,
    /// "time out" or "are refused".
    many_do: &'static str,
    /// "still time out" or "are still refused".
    many_still_do: &'static str,
    /// "no request times out" or "no request is refused".
    none_do: &'static str,
}

fn starved(o: &VariantOutcome) -> Option<Starved> {
    let at_s = o.outage_from_s()?;
    Some(if o.first_timeout_s == Some(at_s) {
        Starved {
            at_s,
            first: "timeout",
            one_did: "timed out",
            many_do: "time out",
            many_still_do: "still time out",
            none_do: "no request times out",
        }
    } else {
        Starved {
            at_s,
            first: "refusal",
            one_did: "was refused",
            many_do: "are refused",
            many_still_do: "are still refused",
            none_do: "no request is refused",
        }
    })
}

/// `s` with its first letter in lower case. Every text here begins with an ASCII capital
/// (poolsim's own words): ASCII alone keeps Unicode's case tables (12 KB gzip) out of the pages.
fn lower_first(s: &str) -> String {
    let mut s = s.to_owned();
    if let Some(first) = s.get_mut(..1) {
        first.make_ascii_lowercase();
    }
    s
}

fn rollback(b: &VariantOutcome, v: &VariantOutcome, what: String, c: &Clock) -> String {
    let outage_as_it_happened = starved(b);
    if v.counts.failed == 0 && outage_as_it_happened.is_some() {
        return format!(
            "{what} avoids the outage: no request fails ({} failed as it happened).",
            count(b.counts.failed)
        );
    }
    if v.counts.failed == 0 {
        return format!("{what}: no request fails ({} failed as it happened).", count(b.counts.failed));
    }
    if v.still_failing_at_end {
        return format!("{what} is not enough: {}.", failures(v, c));
    }
    match (starved(v), v.recovered_s, v.time_to_recover_s) {
        (Some(first), Some(last), Some(took)) => format!(
            "{what} ends the failures at {}, {} after the first {}: {}.",
            c.at(last),
            duration_words(took, v, c),
            first.first,
            instead(v, b)
        ),
        (None, _, _) => match outage_as_it_happened {
            Some(was) => format!("{what} avoids the outage: {}, and {}.", was.none_do, instead(v, b)),
            None => format!("{what}: no request times out, and {}.", instead(v, b)),
        },
        _ => format!("{what}: {}.", instead(v, b)),
    }
}

/// A time to recover [s] in words consistent with the shown clock times.
fn duration_words(took_s: f64, v: &VariantOutcome, c: &Clock) -> String {
    match (v.outage_from_s(), v.recovered_s) {
        (Some(a), Some(b)) => c.between(a, b),
        _ => duration(took_s),
    }
}

fn restart(v: &VariantOutcome, at_s: f64, c: &Clock) -> String {
    let what = format!("Restarting at {} without a rollback", c.at(at_s));
    if let Some(again) = v.failing_after(at_s).next() {
        let until = if v.still_failing_at_end {
            format!(" to the end of the run at {}", c.at(v.duration_s as f64))
        } else {
            String::new()
        };
        return format!(
            "{what} only buys time: requests fail again from {}{until}, {} failed requests in all ({}).",
            c.at(f64::from(again.from_s)),
            count(v.counts.failed),
            percent(v.counts.failed_share)
        );
    }
    if v.counts.failed == 0 {
        return format!("{what}: no request fails.");
    }
    match v.recovered_s {
        Some(last) => format!(
            "{what} ends the failures at {}, and none come back before the run ends at {}: {} failed requests ({}).",
            c.at(last),
            c.at(v.duration_s as f64),
            count(v.counts.failed),
            percent(v.counts.failed_share)
        ),
        None => format!("{what} is not enough: {}.", failures(v, c)),
    }
}

fn reclaim(b: &VariantOutcome, v: &VariantOutcome, timeout_ms: u64, c: &Clock) -> String {
    let what = format!("Abandoned reclaim after {}", duration(timeout_ms as f64 / 1000.0));
    let killed = v.killed_by_reclaim;
    let slow = |n: u64| {
        if n == 1 {
            "1 legitimate slow request".to_owned()
        } else {
            format!("{} legitimate slow requests", count(n))
        }
    };
    match (starved(b), starved(v)) {
        (Some(_), None) if killed == 0 => format!(
            "{what} avoids the outage ({} failed requests as it happened) and kills no legitimate request.",
            count(b.counts.failed)
        ),
        (Some(_), None) => format!(
            "{what} avoids the outage ({} failed requests as it happened), at the cost of {} killed.",
            count(b.counts.failed),
            slow(killed)
        ),
        (None, None) if killed == 0 => {
            format!("{what}: nothing times out either way, and it kills no legitimate request.")
        }
        (None, None) => format!("{what}: nothing times out either way, but it kills {}.", slow(killed)),
        (was, Some(first)) => {
            let killed =
                if killed == 0 { String::new() } else { format!("; it also killed {}", slow(killed)) };
            format!(
                "With {}, requests {} from {}: {}{killed}.",
                lower_first(&what),
                if was.is_some() { first.many_still_do } else { first.many_do },
                c.at(first.at_s),
                instead(v, b)
            )
        }
    }
}

fn usage_alert(b: &VariantOutcome, v: &VariantOutcome, above: f64, c: &Clock) -> String {
    let share = percent(above);
    let what = format!("{} {share} usage alert", if sounds_like_a_vowel(&share) { "An" } else { "A" });
    // The variant's own rule: the one the base does not have.
    let name = v.alerts.keys().find(|n| !b.alerts.contains_key(n)).map_or(USAGE_ALERT_NAME, String::as_str);
    let Some(fired) = v.alerts.get(name).copied().flatten() else {
        return format!("{what} would never have fired in this run.");
    };
    let Some(Starved { at_s: first, one_did, .. }) = starved(v) else {
        return format!("{what} would have fired at {}, though no request ever timed out.", c.at(fired));
    };
    if fired > first {
        return format!(
            "{what} would have fired only at {}, {} after the first request {one_did} at {}.",
            c.at(fired),
            c.between(first, fired),
            c.at(first)
        );
    }
    let mut s = format!(
        "{what} would have fired at {}, {} the first request {one_did} at {}",
        c.at(fired),
        before(c, fired, first),
        c.at(first)
    );
    if let (Some(other), Some(other_s)) = (&b.first_alert, b.time_to_detect_s)
        && other_s > fired
    {
        s.push_str(&format!(" and {} the {other} alert", before(c, fired, other_s)));
    }
    s.push('.');
    s
}

/// Does a number read aloud start with a vowel sound ("an 80 %", "an 11 %", "a 50 %")?
fn sounds_like_a_vowel(number: &str) -> bool {
    let digits: String = number.chars().take_while(char::is_ascii_digit).collect();
    digits.starts_with('8') || digits == "11" || digits == "18"
}

/// "25 minutes before", or "in the same minute as" when the shown times are equal.
fn before(c: &Clock, from_s: f64, to_s: f64) -> String {
    if c.at(from_s) == c.at(to_s) {
        "in the same minute as".to_owned()
    } else {
        format!("{} before", c.between(from_s, to_s))
    }
}

fn no_rollback(b: &VariantOutcome, v: &VariantOutcome, c: &Clock) -> String {
    let end = c.at(v.duration_s as f64);
    let after = v.fix_at_s.unwrap_or(0.0);
    let Some(again) = v.failing_after(after).next() else {
        return format!(
            "Without the rollback, no request fails again before the run ends at {end}: {}.",
            instead(v, b)
        );
    };
    let until =
        if v.still_failing_at_end { format!(" to the end of the run at {end}") } else { String::new() };
    format!(
        "Without the rollback, the pool of {} only buys time: requests fail again from {}{until}; {} failed requests ({}) by {end}, against {} ({}) by {} as it happened.",
        v.final_max_size,
        c.at(f64::from(again.from_s)),
        count(v.counts.failed),
        percent(v.counts.failed_share),
        count(b.counts.failed),
        percent(b.counts.failed_share),
        c.at(b.duration_s as f64)
    )
}
