//! Helpers shared by the engine's integration tests: scenarios built in code, runs, and
//! small readers over samples and the log.
#![allow(dead_code)] // each test file uses a different subset

use poolsim_engine::{
    Action, LogKind, Sample, Scenario, SimDuration, SimTime, Simulation, Summary, TimedEvent,
};

/// A healthy default pool (HikariCP defaults, 10 connections, 100 req/s × 40 ms), adjusted by `edit`.
pub fn scenario(edit: impl FnOnce(&mut Scenario)) -> Scenario {
    let mut s = Scenario { duration_s: 600, seed: 11, ..Scenario::default() };
    edit(&mut s);
    s
}

/// An M/M/c pool: Poisson arrivals, exponential holds, `servers` connections always open
/// (no lifetime, no idle timeout), waits never time out.
pub fn mmc(servers: u32, utilisation: f64, duration_s: u64) -> Scenario {
    scenario(|s| {
        s.duration_s = duration_s;
        s.seed = 1234 + u64::from(servers);
        s.pool.max_size = servers;
        s.pool.min_idle = Some(servers);
        s.pool.idle_timeout_ms = 0;
        s.pool.max_lifetime_ms = 0;
        s.pool.connection_timeout_ms = 3_600_000;
        s.work.hold_ms = 10.0;
        s.traffic.rate_per_s = utilisation * f64::from(servers) / 0.010;
    })
}

/// A pool that slowly leaks: it runs out after a few minutes, at a time chance decides.
pub fn leaky() -> Scenario {
    scenario(|s| {
        s.duration_s = 900;
        s.pool.max_size = 20;
        s.traffic.rate_per_s = 100.0;
        s.work.hold_ms = 40.0;
        s.leak.probability = 0.0005;
        s.pool.connection_timeout_ms = 1_000;
    })
}

/// A simulation of `s`, which must be valid.
pub fn sim(s: &Scenario) -> Simulation {
    Simulation::new(s).unwrap_or_else(|e| panic!("scenario refused: {e}"))
}

/// Run `s` to the end.
pub fn run(s: &Scenario) -> (Simulation, Summary) {
    let mut sim = sim(s);
    let summary = sim.run_to_end();
    (sim, summary)
}

/// A timeline entry.
pub fn at(at_s: f64, action: Action) -> TimedEvent {
    TimedEvent::new(at_s, action)
}

/// The samples with `from_s < t_s <= to_s`.
pub fn window(samples: &[Sample], from_s: u32, to_s: u32) -> Vec<Sample> {
    samples.iter().filter(|s| s.t_s > from_s && s.t_s <= to_s).copied().collect()
}

/// Mean of `f` over `samples`.
pub fn mean(samples: &[Sample], f: impl Fn(&Sample) -> f64) -> f64 {
    assert!(!samples.is_empty(), "no samples to average");
    samples.iter().map(f).sum::<f64>() / samples.len() as f64
}

/// Messages of the kept log lines of `kind`.
pub fn messages(sim: &Simulation, kind: LogKind) -> Vec<String> {
    sim.log().filter(|l| l.kind == kind).map(|l| l.message.clone()).collect()
}

/// Advance to `t_s` seconds, which must not be in the past.
pub fn advance_s(sim: &mut Simulation, t_s: f64) {
    let t = SimTime::from_micros((t_s * 1e6).round() as u64);
    sim.advance_to(t).unwrap_or_else(|e| panic!("advance to {t_s} s: {e}"));
}

/// Run `s` to the end in one-second steps, collecting every line of `kind` as it is
/// logged (the log keeps only the newest lines, and timeouts can push older ones out).
pub fn run_collecting(s: &Scenario, kind: LogKind) -> (Simulation, Vec<String>) {
    let mut sim = sim(s);
    let mut lines = Vec::new();
    let mut next_seq = 0;
    while !sim.is_finished() {
        let t = sim.now() + SimDuration::from_secs(1);
        sim.advance_to(t).unwrap_or_else(|e| panic!("advance: {e}"));
        for line in sim.log().filter(|l| l.seq >= next_seq) {
            if line.kind == kind {
                lines.push(line.message.clone());
            }
        }
        next_seq = sim.log_total();
    }
    (sim, lines)
}
