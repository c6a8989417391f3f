//! Repeated lines within one document: a line whose normal form (white space collapsed,
//! casefolded) repeats an earlier kept line exactly, or reaches `threshold` in rapidfuzz's
//! `ratio` against one of the most recent earlier lines of similar length.

use rustc_hash::FxHashMap;

use crate::lcs::Pattern;
use crate::pytext::{is_space, push_casefold};

/// Near-exact matching is for lines of ordinary length, against the most recent candidates of
/// similar length; exact repeats are found at any length and distance.
const MAX_FUZZY_CHARS: usize = 2000;
const MAX_CANDIDATES: usize = 256;

#[derive(Clone, Copy, Debug)]
pub struct RepeatParams {
    pub threshold: f64,
    pub min_chars: usize,
    pub max_words: usize,
}

/// A repeated line: its index, the index of the line it repeats, and the similarity (0-100).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Repeat {
    pub line: u32,
    pub first: u32,
    pub score: f64,
}

/// Counts of a line's characters in 128 buckets (ASCII by code, others by code mod 128): the sum of
/// the smaller counts of two lines bounds their longest common subsequence from above.
type Histogram = [u16; 128];

fn histogram(chars: &[char]) -> Histogram {
    let mut h = [0u16; 128];
    for &c in chars {
        let slot = &mut h[c as usize % 128];
        *slot = slot.saturating_add(1);
    }
    h
}

fn common_bound(a: &Histogram, b: &Histogram) -> usize {
    a.iter().zip(b).map(|(&x, &y)| x.min(y) as usize).sum()
}

/// `re.sub(r"\s+", " ", line).strip().casefold()`, with its number of spaces.
fn normalise(line: &str, out: &mut String) -> usize {
    out.clear();
    let mut pending_space = false;
    let mut spaces = 0;
    for c in line.chars() {
        if is_space(c) {
            pending_space = true;
            continue;
        }
        if pending_space && !out.is_empty() {
            out.push(' ');
            spaces += 1;
        }
        pending_space = false;
        push_casefold(out, c);
    }
    spaces
}

/// The repeated lines among `lines`, skipping those where `skip` is true. As the Python it
/// replaced (rapidfuzz's `process.extractOne` with `fuzz.ratio`): a line's normal form is looked up
/// among the earlier ones, else compared with the last `MAX_CANDIDATES` earlier lines whose length
/// allows the threshold (shortest length first), and the first best match at or above it wins.
pub fn find(lines: &[&str], skip: &[bool], p: RepeatParams) -> Vec<Repeat> {
    let mut out = Vec::new();
    let mut seen: FxHashMap<String, u32> = FxHashMap::default();
    let mut by_length: FxHashMap<usize, Vec<(Vec<char>, Histogram, u32)>> = FxHashMap::default();
    let spread = if p.threshold < 100.0 {
        p.threshold / (200.0 - p.threshold)
    } else {
        1.0
    };
    let mut norm = String::new();
    let mut candidates: Vec<(usize, usize)> = Vec::new();
    for (n, line) in lines.iter().enumerate() {
        if skip.get(n).copied().unwrap_or(false) {
            continue;
        }
        let spaces = normalise(line, &mut norm);
        if norm.len() < p.min_chars || spaces >= p.max_words {
            continue; // fewer bytes than min_chars: fewer characters too
        }
        let chars: Vec<char> = norm.chars().collect();
        let size = chars.len();
        if size < p.min_chars {
            continue;
        }
        let mut found = seen.get(norm.as_str()).map(|&first| (first, 100.0));
        if found.is_none() && p.threshold < 100.0 && size <= MAX_FUZZY_CHARS {
            let lo = (size as f64 * spread) as usize;
            let hi = (size as f64 / spread) as usize;
            // The last MAX_CANDIDATES of the concatenation of the lists for lengths lo..=hi.
            candidates.clear();
            for length in lo..=hi {
                if let Some(list) = by_length.get(&length) {
                    let from = list.len().saturating_sub(MAX_CANDIDATES);
                    candidates.extend((from..list.len()).map(|i| (length, i)));
                }
            }
            let from = candidates.len().saturating_sub(MAX_CANDIDATES);
            if from < candidates.len() {
                let mut pattern: Option<Pattern> = None; // made for the first candidate that passes the bound
                let mine = histogram(&chars);
                let mut best: Option<(u32, f64)> = None;
                for &(length, i) in &candidates[from..] {
                    let (text, theirs, first) = &by_length[&length][i];
                    // extractOne's cut-off rises to the best score so far; a later equal one does not win.
                    let cutoff = best.map_or(p.threshold, |b| b.1);
                    // The ratio with the histogram bound in place of the LCS is at least the real
                    // one (the same arithmetic, monotonic): below the cut-off, skip the LCS.
                    if Pattern::ratio_of(size, length, common_bound(&mine, theirs)) < cutoff {
                        continue;
                    }
                    let score = pattern
                        .get_or_insert_with(|| Pattern::new(&chars))
                        .ratio(text);
                    if score >= cutoff && best.is_none_or(|b| score > b.1) {
                        best = Some((*first, score));
                        if score >= 100.0 {
                            break;
                        }
                    }
                }
                found = best;
            }
        }
        match found {
            Some((first, score)) => out.push(Repeat {
                line: n as u32,
                first,
                score,
            }),
            None => {
                seen.insert(norm.clone(), n as u32);
                let h = histogram(&chars);
                by_length
                    .entry(size)
                    .or_default()
                    .push((chars, h, n as u32));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: RepeatParams = RepeatParams {
        threshold: 95.0,
        min_chars: 12,
        max_words: 25,
    };

    #[test]
    fn exact_and_near_repeats() {
        let lines = [
            "Russia says only Syrian troops should be on border",
            "",
            "RUSSIA  says only Syrian troops should be on border",
            "Russia says only Syrian troops should be on borders",
            "Yes.",
            "Yes.",
            "A different line altogether, about something else.",
        ];
        let found = find(&lines, &[false; 7], P);
        assert_eq!(found.len(), 2);
        assert_eq!(
            (found[0].line, found[0].first, found[0].score),
            (2, 0, 100.0)
        );
        assert_eq!((found[1].line, found[1].first), (3, 0));
        assert!(found[1].score >= 95.0 && found[1].score < 100.0);
    }

    #[test]
    fn ratio_as_python_rapidfuzz() {
        // rapidfuzz.fuzz.ratio of these two is 95.575...: a repeat at the default threshold.
        let lines = [
            "The company added that no optional redemption may be made",
            "The company said that no optional redemption may be made",
        ];
        let found = find(&lines, &[false, false], P);
        assert_eq!(found.len(), 1);
        assert!((found[0].score - 95.575_221_238_938_06).abs() < 1e-9);
    }

    #[test]
    fn skipped_lines_are_not_seen() {
        let lines = [
            "A headline that repeats itself",
            "A headline that repeats itself",
        ];
        assert!(find(&lines, &[true, false], P).is_empty());
    }
}
