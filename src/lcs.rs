//! rapidfuzz's `ratio` (normalised Indel similarity) with the query's bit masks made once and
//! reused for every candidate: Hyyrö's bit-parallel LCS, 64 characters per machine word.

use std::collections::HashMap;

/// A query string, ready to be compared with many others.
pub struct Pattern {
    len: usize,
    words: usize,
    ascii: Vec<u64>, // 128 masks per word
    other: HashMap<char, Vec<u64>>,
    scratch: Vec<u64>,
}

impl Pattern {
    pub fn new(query: &[char]) -> Pattern {
        let words = query.len().div_ceil(64).max(1);
        let mut ascii = vec![0u64; 128 * words];
        let mut other: HashMap<char, Vec<u64>> = HashMap::new();
        for (i, &c) in query.iter().enumerate() {
            let (w, bit) = (i / 64, 1u64 << (i % 64));
            if c.is_ascii() {
                ascii[w * 128 + c as usize] |= bit;
            } else {
                other.entry(c).or_insert_with(|| vec![0; words])[w] |= bit;
            }
        }
        Pattern {
            len: query.len(),
            words,
            ascii,
            other,
            scratch: vec![0; words],
        }
    }

    /// The length of the longest common subsequence with `text`.
    pub fn lcs(&mut self, text: &[char]) -> usize {
        let words = self.words;
        let s = &mut self.scratch;
        s.fill(!0);
        for &c in text {
            let masks: Option<&[u64]> = if c.is_ascii() {
                None
            } else {
                self.other.get(&c).map(|v| v.as_slice())
            };
            if !c.is_ascii() && masks.is_none() {
                continue; // a character the query lacks matches nothing: S stays as it is
            }
            let mut carry = 0u64;
            for (w, sw) in s.iter_mut().enumerate() {
                let m = match masks {
                    Some(v) => v[w],
                    None => self.ascii[w * 128 + c as usize],
                };
                let u = *sw & m;
                let (x, c1) = sw.overflowing_add(u);
                let (x, c2) = x.overflowing_add(carry);
                carry = (c1 | c2) as u64;
                *sw = x | (*sw - u);
            }
        }
        let mut zeros = 0;
        for (w, &sw) in s.iter().enumerate() {
            let bits = if w + 1 == words && self.len % 64 != 0 {
                self.len % 64
            } else {
                64
            };
            let mask = if bits == 64 { !0 } else { (1u64 << bits) - 1 };
            zeros += (!sw & mask).count_ones() as usize;
        }
        if self.len == 0 {
            0
        } else {
            zeros
        }
    }

    /// rapidfuzz's `fuzz.ratio` in 0..=100, computed as its C++ core does.
    pub fn ratio(&mut self, text: &[char]) -> f64 {
        let lcs = self.lcs(text);
        Pattern::ratio_of(self.len, text.len(), lcs)
    }

    /// The ratio of strings of lengths `a` and `b` with a longest common subsequence of `lcs`.
    pub fn ratio_of(a: usize, b: usize, lcs: usize) -> f64 {
        let lensum = a + b;
        if lensum == 0 {
            return 100.0;
        }
        let dist = lensum - 2 * lcs.min(a).min(b);
        (1.0 - dist as f64 / lensum as f64) * 100.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn agrees_with_the_rapidfuzz_crate() {
        let words = [
            "the",
            "company",
            "said",
            "that",
            "no",
            "optional",
            "redemption",
            "é",
            "中文",
            "x",
        ];
        let mut seed = 7u64;
        let mut next = || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize
        };
        for _ in 0..2000 {
            let (na, nb) = (next() % 40, next() % 40);
            let a = (0..na)
                .map(|_| words[next() % words.len()])
                .collect::<Vec<_>>()
                .join(" ");
            let b = (0..nb)
                .map(|_| words[next() % words.len()])
                .collect::<Vec<_>>()
                .join(" ");
            let mut p = Pattern::new(&chars(&a));
            let want = rapidfuzz::fuzz::ratio(a.chars(), b.chars()) * 100.0;
            assert!((p.ratio(&chars(&b)) - want).abs() < 1e-9, "{a:?} / {b:?}");
        }
        let mut p = Pattern::new(&chars(
            "the company said that no optional redemption may be made",
        ));
        let r = p.ratio(&chars(
            "the company added that no optional redemption may be made",
        ));
        assert!((r - 95.575_221_238_938_06).abs() < 1e-9);
        assert_eq!(Pattern::new(&[]).ratio(&[]), 100.0);
    }
}
