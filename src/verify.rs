//! Exact set comparisons on sorted, distinct hash arrays, to verify LSH candidates.

/// `|a & b|` of two sorted, distinct arrays.
pub fn overlap(a: &[u64], b: &[u64]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// Jaccard similarity (1.0 for two empty sets).
pub fn jaccard(a: &[u64], b: &[u64]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let shared = overlap(a, b);
    shared as f64 / (a.len() + b.len() - shared) as f64
}

/// Verified passage pairs among LSH candidates: each candidate `(i, j)` put in the order of the
/// passages' `(document, part)` keys, pairs within one document left out, kept when the passages
/// share at least `min_shared` hashes and their overlap coefficient `|A & B| / min(|A|, |B|)`
/// reaches `threshold`. Returns `(first, second, coefficient)` in candidate order.
pub fn passage_hits(
    sets: &[&[u64]],
    keys: &[(i64, i64)],
    pairs: &[(usize, usize)],
    min_shared: usize,
    threshold: f64,
) -> Vec<(usize, usize, f64)> {
    pairs
        .iter()
        .filter_map(|&(i, j)| {
            let (a, b) = if keys[i] <= keys[j] { (i, j) } else { (j, i) };
            if keys[a].0 == keys[b].0 {
                return None;
            }
            let shared = overlap(sets[a], sets[b]);
            let smaller = sets[a].len().min(sets[b].len());
            if smaller == 0 {
                return None;
            }
            let score = shared as f64 / smaller as f64;
            (shared >= min_shared && score >= threshold).then_some((a, b, score))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets() {
        assert_eq!(overlap(&[1, 3, 5, 7], &[3, 4, 5]), 2);
        assert_eq!(jaccard(&[1, 2], &[2, 3]), 1.0 / 3.0);
        assert_eq!(jaccard(&[], &[]), 1.0);
        assert_eq!(jaccard(&[1], &[]), 0.0);
    }

    #[test]
    fn passage_pairs_in_key_order_across_documents() {
        let sets: [&[u64]; 4] = [&[1, 2, 3, 4], &[1, 2, 3], &[2, 3, 4, 9], &[7, 8]];
        let keys = [(1, 0), (0, 2), (1, 1), (0, 0)];
        let hits = passage_hits(&sets, &keys, &[(0, 1), (0, 2), (2, 1), (3, 0)], 2, 0.5);
        // (0, 2) share a document; (3, 0) share nothing.
        assert_eq!(hits, [(1, 0, 1.0), (1, 2, 2.0 / 3.0)]);
    }
}
