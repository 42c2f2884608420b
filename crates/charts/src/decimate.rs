//! Decimation: at most `max_points` samples to draw, whatever the length of the run.
//!
//! Each bucket of consecutive samples is represented by its *busiest* sample (most
//! connections in use, then most waiters), so spikes and the exhaustion plateau survive
//! decimation and stacked series stay consistent (they come from one real sample).

use poolsim_engine::Sample;

/// At most `max_points` representative samples from `samples`, in time order.
pub fn decimate(samples: &[Sample], max_points: usize) -> Vec<Sample> {
    if max_points == 0 {
        return Vec::new();
    }
    if samples.len() <= max_points {
        return samples.to_vec();
    }
    let bucket = samples.len().div_ceil(max_points);
    samples
        .chunks(bucket)
        .filter_map(|chunk| {
            let busiest = chunk.iter().max_by_key(|s| (s.active, s.pending, s.timeouts))?;
            // Keep the bucket's counters as rates summed over the bucket would mislead:
            // show the busiest second, stamped at the bucket's end so the axis stays exact.
            let last = chunk.last()?;
            Some(Sample { t_s: last.t_s, ..*busiest })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(n: u32) -> Vec<Sample> {
        (1..=n).map(|t| Sample { t_s: t, active: t % 97, max: 100, ..Sample::default() }).collect()
    }

    #[test]
    fn long_runs_are_bounded_and_keep_their_peaks() {
        let all = series(18_000);
        let few = decimate(&all, 600);
        assert!(few.len() <= 600);
        assert_eq!(few.last().map(|s| s.t_s), Some(18_000), "the axis still reaches the end");
        assert_eq!(few.iter().map(|s| s.active).max(), Some(96), "the peak survives");
        assert!(few.windows(2).all(|w| w[0].t_s < w[1].t_s), "time order kept");
    }

    #[test]
    fn short_runs_are_untouched() {
        let all = series(300);
        assert_eq!(decimate(&all, 600), all);
        assert!(decimate(&all, 0).is_empty());
    }
}
