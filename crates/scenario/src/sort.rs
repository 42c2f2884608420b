//! A stable insertion sort for the short, nearly ordered lists poolsim keeps in order,
//! shared by the engine, the charts and the pages: a timeline (at most
//! [`MAX_EVENTS`](crate::scenario::validate::MAX_EVENTS) events, edited one at a time), a chart's
//! markers (a timeline and its alert firings, each already in time order), the saved
//! scenarios. The standard library's sorts are compiled anew for every element type,
//! kilobytes each in a page's download (the page-weight budget, docs/budgets.md); this one is a few
//! dozen bytes. It is quadratic only on long lists far out of order, which these never are.

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

#[cfg(test)]
mod tests {
    use super::stable_by;
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

    #[test]
    fn a_reversed_list_of_the_largest_timeline_is_sorted() {
        let mut times: Vec<f64> =
            (0..crate::scenario::validate::MAX_EVENTS).rev().map(|i| i as f64).collect();
        stable_by(&mut times, |a, b| a < b);
        assert!(times.windows(2).all(|w| w[0] < w[1]));
    }
}
