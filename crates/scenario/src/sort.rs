//! A stable insertion sort for the short, nearly ordered lists poolsim keeps in order,
//! shared by the engine, the charts and the pages: a timeline (at most
//! [`MAX_EVENTS`](crate::scenario::validate::MAX_EVENTS) events, edited one at a time), a chart's
//! markers (a timeline and its alert firings, each already in time order), the saved
//! scenarios. The standard library's sorts are compiled anew for every element type,
//! kilobytes each in a page's download (the page-weight budget, docs/budgets.md); this one is a few
//! dozen bytes. It is quadratic only on long lists far out of order, which these never are.
//!
//! [`select_nth`] is the engine's percentile selection (a second's acquire waits) for the
//! same reason: the standard `select_nth_unstable` brings its own quicksort and
//! median-of-medians, kilobytes in every page.

/// Sorts `items` so that no item comes after one it is `before`; items where `before`
/// holds neither way keep the order they had (a stable sort).
pub fn stable_by<T>(items: &mut [T], before: impl Fn(&T, &T) -> bool) {
    for i in 1..items.len() {
        let mut j = i;
        while j > 0 && before(&items[j], &items[j - 1]) {
            items.swap(j, j - 1);
            j -= 1;
        }
    }
}

/// Reorders `items` so that the item at `k` is the one a sort would put there, none before
/// it larger and none after it smaller (as `select_nth_unstable`), and returns it.
///
/// Quickselect with a median-of-three pivot and a three-way partition, so runs of equal
/// items (waits cut at the same timeout) cost one pass. Linear on average; quadratic only
/// on inputs built against the median of three, which acquire waits are not.
///
/// # Panics
/// When `k` is not below `items.len()`.
pub fn select_nth<T: Copy + Ord>(items: &mut [T], k: usize) -> T {
    let (mut lo, mut hi) = (0, items.len());
    assert!(k < hi, "select_nth: index {k} of {hi} items");
    while hi - lo > 1 {
        let (a, b, c) = (items[lo], items[lo + (hi - lo) / 2], items[hi - 1]);
        let pivot = a.max(b).min(a.min(b).max(c));
        // [lo, lt) < pivot, [lt, i) == pivot, [gt, hi) > pivot.
        let (mut lt, mut i, mut gt) = (lo, lo, hi);
        while i < gt {
            if items[i] < pivot {
                items.swap(lt, i);
                lt += 1;
                i += 1;
            } else if items[i] > pivot {
                gt -= 1;
                items.swap(i, gt);
            } else {
                i += 1;
            }
        }
        if k < lt {
            hi = lt;
        } else if k >= gt {
            lo = gt;
        } else {
            return pivot;
        }
    }
    items[k]
}

#[cfg(test)]
mod tests {
    use super::{select_nth, stable_by};
    use proptest::prelude::*;

    proptest! {
        /// The same order as the standard library's stable sort, ties included.
        #[test]
        fn orders_like_the_standard_stable_sort(keys in proptest::collection::vec(0u8..8, 0..200)) {
            let mut items: Vec<(u8, usize)> = keys.into_iter().enumerate().map(|(i, k)| (k, i)).collect();
            let mut expected = items.clone();
            expected.sort_by_key(|&(k, _)| k);
            stable_by(&mut items, |a, b| a.0 < b.0);
            prop_assert_eq!(items, expected);
        }
    }

    proptest! {
        /// The item a sort puts at `k`, with nothing larger before it and nothing smaller
        /// after it, as the standard library's selection; repeated and ordered inputs too.
        #[test]
        fn selects_like_a_sort(
            mut items in proptest::collection::vec(0u64..50, 1..400),
            pick in 0.0..1.0f64,
            shape in 0u8..3,
        ) {
            match shape {
                1 => items.sort_unstable(),
                2 => items.sort_unstable_by(|a, b| b.cmp(a)),
                _ => {}
            }
            let k = ((items.len() as f64 * pick) as usize).min(items.len() - 1);
            let mut sorted = items.clone();
            sorted.sort_unstable();
            let nth = select_nth(&mut items, k);
            prop_assert_eq!(nth, sorted[k]);
            prop_assert_eq!(items[k], nth);
            prop_assert!(items[..k].iter().all(|&x| x <= nth));
            prop_assert!(items[k + 1..].iter().all(|&x| x >= nth));
            items.sort_unstable();
            prop_assert_eq!(items, sorted, "the same items");
        }
    }

    #[test]
    fn a_reversed_list_of_the_largest_timeline_is_sorted() {
        let mut times: Vec<f64> =
            (0..crate::scenario::validate::MAX_EVENTS).rev().map(|i| i as f64).collect();
        stable_by(&mut times, |a, b| a < b);
        assert!(times.windows(2).all(|w| w[0] < w[1]));
    }
}
