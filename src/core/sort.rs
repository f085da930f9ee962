//! One sorting routine for the whole app.
//!
//! The standard library's sort is generated afresh for every element type and comparison it is
//! called with, about 4 KB of code each; fourteen of them were 55 KB of the download. Here the
//! standard sort runs once, over positions with a comparison behind a reference, and each
//! caller's items are put in that order afterwards. Stable, like `slice::sort_by`.

use std::cmp::Ordering;

/// Sorts `items` by `cmp`, keeping equal items in their order.
pub fn sort_by<T>(items: &mut Vec<T>, cmp: impl Fn(&T, &T) -> Ordering) {
    let mut order: Vec<usize> = (0..items.len()).collect();
    sort_positions(&mut order, &|a, b| cmp(&items[a], &items[b]));
    let mut slots: Vec<Option<T>> = items.drain(..).map(Some).collect();
    items.extend(order.into_iter().filter_map(|i| slots[i].take()));
}

pub fn sort_by_key<T, K: Ord>(items: &mut Vec<T>, key: impl Fn(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

pub fn sort<T: Ord>(items: &mut Vec<T>) {
    sort_by(items, T::cmp);
}

fn sort_positions(order: &mut [usize], cmp: &dyn Fn(usize, usize) -> Ordering) {
    order.sort_by(|a, b| cmp(*a, *b));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_stably_like_the_standard_library() {
        let mut seed = 7u32;
        for len in [0, 1, 2, 3, 17, 200] {
            let items: Vec<(u8, usize)> = (0..len)
                .map(|i| {
                    seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                    ((seed >> 16) as u8 % 5, i)
                })
                .collect();
            let mut ours = items.clone();
            sort_by_key(&mut ours, |x| x.0);
            let mut std = items.clone();
            std.sort_by_key(|x| x.0);
            assert_eq!(ours, std);
            let mut ours = items.clone();
            sort(&mut ours);
            let mut std = items;
            std.sort();
            assert_eq!(ours, std);
        }
    }
}
