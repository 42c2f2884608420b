//! The smallest pool that survives: a search over pool sizes, each tried over the same
//! replications.
//!
//! A bigger pool runs out later, run by run: with the same seed the same requests arrive
//! and leak, and a connection more can only help (common random numbers make the share of
//! surviving runs rise with the size). So the search gallops from the scenario's own size
//! — halving while it survives, doubling while it does not — to a bracket, a size that
//! fails and one that survives, then bisects it until they are neighbours. The answer is
//! the surviving neighbour, and its failing neighbour, one connection less, has been run
//! too: the report shows both, so a reader sees the step rather than trusting the
//! assumption. About 2·log₂(size) sizes are tried.

use serde::Serialize;

use super::Survival;
use crate::replicate::Share;
use crate::scenario::validate::MAX_POOL_SIZE;

/// One pool size tried: how many runs survived.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Probe {
    /// `pool.max_size` [connections].
    pub max_size: u32,
    /// The runs that survived.
    pub survived: Share,
    /// At least the share asked for.
    pub survives: bool,
}

/// What the search found.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PoolSearch {
    /// What "survives" meant.
    pub survival: Survival,
    /// The smallest size found to survive; `None` when not even [`MAX_POOL_SIZE`] did.
    pub answer: Option<u32>,
    /// Every size tried, in the order tried.
    pub probes: Vec<Probe>,
}

impl PoolSearch {
    /// The probe of `max_size`, if it was tried.
    pub fn probe(&self, max_size: u32) -> Option<&Probe> {
        self.probes.iter().find(|p| p.max_size == max_size)
    }

    /// The answer's probe.
    pub fn answer_probe(&self) -> Option<&Probe> {
        self.answer.and_then(|n| self.probe(n))
    }

    /// The probe one connection below the answer (none for a pool of 1), or the largest
    /// size tried when none survived.
    pub fn below(&self) -> Option<&Probe> {
        match self.answer {
            Some(n) => self.probe(n.checked_sub(1)?),
            None => self.probes.iter().max_by_key(|p| p.max_size),
        }
    }
}

/// Search pool sizes from `start` (the scenario's own) for the smallest whose runs survive
/// as `survival` asks; `survived(n)` runs the replications with a pool of `n` and counts
/// the survivors (with the same seeds for every `n`). Sizes go from 1 to [`MAX_POOL_SIZE`].
///
/// ```
/// use poolsim_engine::replicate::Share;
/// use poolsim_engine::replicate::sweep::{Survival, smallest_pool};
/// // A pool survives 20 runs minus one per connection short of 140.
/// let runs = |n: u32| -> Result<Share, ()> { Ok(Share::new(20 - 140u32.saturating_sub(n).min(20), 20)) };
/// let search = smallest_pool(100, &Survival::default(), runs).unwrap();
/// assert_eq!(search.answer, Some(139), "19 of 20 is 95 %");
/// assert!(!search.below().unwrap().survives);
/// ```
pub fn smallest_pool<E>(
    start: u32,
    survival: &Survival,
    mut survived: impl FnMut(u32) -> Result<Share, E>,
) -> Result<PoolSearch, E> {
    let mut search = Searching::new(start, *survival);
    while let Some(n) = search.next_size() {
        search.record(n, survived(n)?);
    }
    Ok(search.found())
}

/// [`smallest_pool`]'s search one size at a time, for a caller that cannot wait for each
/// size's runs in a loop (the page hands them to Web Workers and hears back later): ask
/// [`next_size`](Self::next_size), run it, [`record`](Self::record) its survivors, until
/// there is no next size; then [`found`](Self::found). The sizes are the loop's, in order.
#[derive(Clone, Debug, PartialEq)]
pub struct Searching {
    survival: Survival,
    start: u32,
    /// The largest size known to fail.
    fails: Option<u32>,
    /// The smallest size known to survive.
    survives: Option<u32>,
    probes: Vec<Probe>,
}

impl Searching {
    /// A search from `start` (the scenario's own size, brought within 1 to
    /// [`MAX_POOL_SIZE`]).
    pub fn new(start: u32, survival: Survival) -> Self {
        let start = start.clamp(1, MAX_POOL_SIZE);
        Searching { survival, start, fails: None, survives: None, probes: Vec::new() }
    }

    /// The size to try next; `None`: the search is over.
    ///
    /// From the start it halves while sizes survive and doubles while they fail; once a
    /// size fails and another survives, it bisects between them until they are neighbours.
    pub fn next_size(&self) -> Option<u32> {
        if self.probes.is_empty() {
            return Some(self.start);
        }
        match (self.fails, self.survives) {
            (None, Some(n)) => (n > 1).then_some(n / 2),
            (Some(n), None) => (n < MAX_POOL_SIZE).then(|| n.saturating_mul(2).min(MAX_POOL_SIZE)),
            (Some(low), Some(high)) => (high - low > 1).then(|| low + (high - low) / 2),
            (None, None) => None,
        }
    }

    /// Sizes tried so far.
    pub fn probes(&self) -> &[Probe] {
        &self.probes
    }

    /// What "survives" means.
    pub fn survival(&self) -> &Survival {
        &self.survival
    }

    /// `max_size` (the size [`next_size`](Self::next_size) asked for) ran, and `share` of
    /// its runs survived.
    pub fn record(&mut self, max_size: u32, share: Share) {
        let survives = self.survival.holds(&share);
        self.probes.push(Probe { max_size, survived: share, survives });
        if survives {
            self.survives = Some(max_size);
        } else {
            self.fails = Some(max_size);
        }
    }

    /// What the search found (so far).
    pub fn found(self) -> PoolSearch {
        PoolSearch { survival: self.survival, answer: self.survives, probes: self.probes }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs of 20 where a pool survives from `needed` connections on.
    fn threshold(needed: u32) -> impl FnMut(u32) -> Result<Share, ()> {
        move |n| Ok(Share::new(if n >= needed { 20 } else { 0 }, 20))
    }

    #[test]
    fn the_search_finds_the_threshold_from_above_and_below_with_its_neighbour_run() {
        for (start, needed) in [(100, 231), (100, 7), (10, 10), (1, 1), (64, 65), (3, 2)] {
            let search = smallest_pool(start, &Survival::default(), threshold(needed)).expect("runs");
            assert_eq!(search.answer, Some(needed), "start {start}");
            assert!(search.answer_probe().is_some_and(|p| p.survives));
            if needed > 1 {
                assert_eq!(search.below().map(|p| (p.max_size, p.survives)), Some((needed - 1, false)));
            } else {
                assert_eq!(search.below(), None, "no pool below 1");
            }
            assert!(search.probes.len() <= 40, "{} sizes tried", search.probes.len());
        }
    }

    #[test]
    fn when_no_pool_survives_the_largest_tried_is_reported() {
        let search = smallest_pool(100, &Survival::default(), threshold(u32::MAX)).expect("runs");
        assert_eq!(search.answer, None);
        assert_eq!(search.below().map(|p| p.max_size), Some(MAX_POOL_SIZE));
    }

    #[test]
    fn one_size_at_a_time_the_search_tries_the_loops_sizes() {
        for (start, needed) in [(100, 231), (100, 7), (1, 1), (3, 2), (100, u32::MAX)] {
            let whole = smallest_pool(start, &Survival::default(), threshold(needed)).expect("runs");
            let mut runs = threshold(needed);
            let mut stepped = Searching::new(start, Survival::default());
            while let Some(n) = stepped.next_size() {
                stepped.record(n, runs(n).expect("runs"));
            }
            assert_eq!(stepped.found(), whole, "start {start}, needed {needed}");
        }
    }

    #[test]
    fn a_failing_run_stops_the_search() {
        let result =
            smallest_pool(
                100,
                &Survival::default(),
                |n| if n > 150 { Err(n) } else { Ok(Share::new(0, 20)) },
            );
        assert_eq!(result, Err(200));
    }
}
