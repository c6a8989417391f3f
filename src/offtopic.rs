//! Off-topic paragraphs: the cosine of each paragraph's content words to the rest of its page, by
//! TF-IDF over the page's paragraphs, judged to a fixed point (see `cleaner/strip/offtopic.py`).
//! Sums run in the order Python's `Counter` iterates (first occurrence), so scores are equal to
//! the last bit.

use rustc_hash::{FxHashMap, FxHashSet};

use crate::pytext::{casefold, is_blank, is_digit, is_space, is_word};

#[derive(Clone, Copy, Debug)]
pub struct Params {
    pub threshold: f64,
    pub min_words: usize,
    pub min_context: usize,
}

/// A bag of words in first-occurrence order.
#[derive(Default)]
struct Bag {
    index: FxHashMap<String, usize>,
    words: Vec<(String, i64)>,
}

impl Bag {
    fn add(&mut self, w: &str, by: i64) {
        match self.index.get(w) {
            Some(&i) => self.words[i].1 += by,
            None => {
                self.index.insert(w.to_owned(), self.words.len());
                self.words.push((w.to_owned(), by));
            }
        }
    }

    fn get(&self, w: &str) -> i64 {
        self.index.get(w).map_or(0, |&i| self.words[i].1)
    }

    fn total(&self) -> i64 {
        self.words.iter().map(|(_, v)| v).sum()
    }
}

/// Casefolded runs of three or more letters (`[^\W\d_]{3,}`), stop words left out, a trailing
/// plural or possessive `s` dropped.
fn content_words(text: &str, stop: &FxHashSet<String>, bag: &mut Bag) {
    let folded = casefold(text);
    let letter = |c: char| is_word(c) && !is_digit(c) && c != '_';
    let mut run = String::new();
    let mut n = 0;
    for c in folded.chars().chain(std::iter::once(' ')) {
        if letter(c) {
            run.push(c);
            n += 1;
            continue;
        }
        if n >= 3 && !stop.contains(&run) {
            let w = if run.ends_with("'s") || run.ends_with("’s") {
                &run[..run.len() - 2]
            } else if run.ends_with('s') && !run.ends_with("ss") {
                &run[..run.len() - 1]
            } else {
                &run[..]
            };
            bag.add(w, 1);
        }
        run.clear();
        n = 0;
    }
}

/// 0-based inclusive spans of the runs of kept, non-blank lines (removed lines do not break a run).
fn paragraphs(lines: &[&str], keep: &[bool]) -> Vec<(usize, usize)> {
    let (mut spans, mut start, mut last) = (Vec::new(), None, 0);
    for (i, line) in lines.iter().enumerate() {
        if !keep[i] {
            continue;
        }
        if !is_blank(line) {
            start.get_or_insert(i);
            last = i;
        } else if let Some(s) = start.take() {
            spans.push((s, last));
        }
    }
    if let Some(s) = start {
        spans.push((s, last));
    }
    spans
}

fn split_words(line: &str) -> usize {
    line.split(is_space).filter(|w| !w.is_empty()).count()
}

/// One round: `(start, end, cosine)` of the paragraphs to remove given `keep`.
fn once(
    lines: &[&str],
    keep: &[bool],
    stop: &FxHashSet<String>,
    p: Params,
) -> Vec<(usize, usize, f64)> {
    let spans = paragraphs(lines, keep);
    if spans.len() < 3 {
        return Vec::new();
    }
    let kept = |&(s, e): &(usize, usize)| {
        (s..=e)
            .filter(|&i| keep[i])
            .map(|i| lines[i])
            .collect::<Vec<_>>()
    };
    let texts: Vec<Vec<&str>> = spans.iter().map(kept).collect();
    let counts: Vec<usize> = texts
        .iter()
        .map(|t| t.iter().map(|l| split_words(l)).sum())
        .collect();
    let total_words: usize = counts.iter().sum();
    if total_words < p.min_words + p.min_context {
        return Vec::new();
    }
    let bags: Vec<Bag> = texts
        .iter()
        .map(|t| {
            let mut bag = Bag::default();
            content_words(&t.join(" "), stop, &mut bag);
            bag
        })
        .collect();
    let (mut total, mut df) = (Bag::default(), Bag::default());
    for bag in &bags {
        for (w, v) in &bag.words {
            total.add(w, *v);
            df.add(w, 1);
        }
    }
    let n = bags.len() as f64;
    let idf2: FxHashMap<&str, f64> = df
        .words
        .iter()
        .map(|(w, d)| {
            let x = ((n + 1.0) / (*d as f64 + 0.5)).ln() + 1.0;
            (w.as_str(), x * x)
        })
        .collect();
    let total_norm2: f64 = total
        .words
        .iter()
        .fold(0.0, |acc, (w, v)| acc + (v * v) as f64 * idf2[w.as_str()]);
    let (first, last) = (spans[0], spans[spans.len() - 1]);
    let mut out = Vec::new();
    for ((&span, &words), bag) in spans.iter().zip(&counts).zip(&bags) {
        // Too few words, or too few content words (tables of figures, code): nothing to judge.
        if words < p.min_words || bag.total() < (p.min_words / 2) as i64 {
            continue;
        }
        let (mut dot, mut own2, mut change) = (0.0f64, 0.0f64, 0.0f64);
        for (w, v) in &bag.words {
            let (t, i2) = (total.get(w), idf2[w.as_str()]);
            dot += (v * (t - v)) as f64 * i2;
            own2 += (v * v) as f64 * i2;
            change += (t * t - (t - v) * (t - v)) as f64 * i2;
        }
        let rest2 = total_norm2 - change;
        let score = if own2 > 0.0 && rest2 > 1e-9 {
            dot / (own2 * rest2).sqrt()
        } else {
            0.0
        };
        if span == first
            || span == last
            || score >= p.threshold
            || total_words - words < p.min_context
        {
            continue;
        }
        out.push((span.0, span.1, score));
    }
    out
}

/// Every off-topic paragraph of a page, judged again after each round of removals until none
/// goes: `(start, end, cosine)`, sorted by start. `keep` marks the lines earlier strippers kept.
pub fn judge(
    lines: &[&str],
    keep: &[bool],
    stop: &FxHashSet<String>,
    p: Params,
) -> Vec<(usize, usize, f64)> {
    let mut keep = keep.to_vec();
    keep.resize(lines.len(), false);
    let mut out = Vec::new();
    loop {
        let found = once(lines, &keep, stop, p);
        if found.is_empty() {
            out.sort_by_key(|&(s, _, _)| s);
            return out;
        }
        for &(s, e, _) in &found {
            keep[s..=e].fill(false);
        }
        out.extend(found);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_words_as_python() {
        let stop: FxHashSet<String> = ["the".to_string()].into_iter().collect();
        let mut bag = Bag::default();
        content_words(
            "The Syrian troops' tariffs, TARIFFS and class 2024 ab x_yz",
            &stop,
            &mut bag,
        );
        let words: Vec<(&str, i64)> = bag.words.iter().map(|(w, v)| (w.as_str(), *v)).collect();
        assert_eq!(
            words,
            [
                ("syrian", 1),
                ("troop", 1),
                ("tariff", 2),
                ("and", 1),
                ("class", 1)
            ]
        );
    }

    #[test]
    fn a_spliced_paragraph_goes() {
        let syria = "Syrian troops and Russian officers met in Damascus to discuss the southern border with Jordan.";
        let tariffs = "China announced new tariffs on soybeans and steel imports from the United States on Friday morning.";
        let mut lines = Vec::new();
        for _ in 0..4 {
            lines.push(syria);
            lines.push("");
        }
        lines.insert(4, tariffs);
        lines.insert(5, "");
        let keep = vec![true; lines.len()];
        let p = Params {
            threshold: 0.03,
            min_words: 10,
            min_context: 30,
        };
        let stop: FxHashSet<String> = ["and", "the", "from", "with"]
            .iter()
            .map(|w| w.to_string())
            .collect();
        let found = judge(&lines, &keep, &stop, p);
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].0, found[0].1), (4, 4));
        assert!(found[0].2 < 0.03);
    }
}
