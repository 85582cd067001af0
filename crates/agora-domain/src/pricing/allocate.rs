//! Largest-remainder allocation of an order-level discount across lines.

use std::cmp::Ordering;

/// Splits `amount` across lines in proportion to `weights` so the parts sum
/// to exactly `amount` and no part exceeds its weight.
///
/// Requires `0 ≤ amount ≤ Σ weights` and non-negative weights. Leftover
/// units go to the largest remainders; ties are broken by `tie`, which must
/// order lines by content only, so the result does not depend on line order
/// (lines that tie completely are interchangeable).
pub(super) fn allocate(amount: i128, weights: &[i128], tie: impl Fn(usize, usize) -> Ordering) -> Vec<i128> {
    let total: i128 = weights.iter().sum();
    if amount <= 0 || total <= 0 {
        return vec![0; weights.len()];
    }
    let mut parts: Vec<i128> = weights.iter().map(|w| amount * w / total).collect();
    let remainders: Vec<i128> = weights.iter().map(|w| amount * w % total).collect();
    let mut leftover = amount - parts.iter().sum::<i128>();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|&a, &b| remainders[b].cmp(&remainders[a]).then(weights[b].cmp(&weights[a])).then_with(|| tie(a, b)));
    for index in order {
        if leftover == 0 {
            break;
        }
        parts[index] += 1;
        leftover -= 1;
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn by_index(a: usize, b: usize) -> Ordering {
        a.cmp(&b)
    }

    #[test]
    fn splits_exactly_by_largest_remainder() {
        assert_eq!(allocate(100, &[1, 1, 1], by_index), vec![34, 33, 33]);
        assert_eq!(allocate(10, &[300, 700], by_index), vec![3, 7]);
        assert_eq!(allocate(5, &[1, 2, 7], by_index), vec![0, 1, 4]);
        assert_eq!(allocate(2, &[1, 2, 7], by_index), vec![0, 0, 2]);
        assert_eq!(allocate(10, &[0, 10], by_index), vec![0, 10]);
        assert_eq!(allocate(0, &[3, 4], by_index), vec![0, 0]);
        assert_eq!(allocate(7, &[], by_index), Vec::<i128>::new());
        assert_eq!(allocate(3, &[1, 1, 1], by_index), vec![1, 1, 1]);
    }

    #[test]
    fn tie_breaker_decides_equal_remainders() {
        assert_eq!(allocate(1, &[5, 5], |a, b| b.cmp(&a)), vec![0, 1]);
    }
}
