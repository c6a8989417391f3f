//! Tokens, token hashes and shingle hashes; passages (paragraphs, or windows of sentences).
//!
//! A token is a run of Python `\w` characters, casefolded, and NFKC-normalised when not ASCII.
//! Offsets are in code points, as Python's string indices. A token's hash is BLAKE2b with an
//! 8-byte digest, little-endian; a shingle of `k` tokens hashes to `sum(hash_i * M_i)` in
//! wrapping arithmetic with fixed odd multipliers `M` (given by the caller).

use std::collections::HashMap;

use unicode_normalization::UnicodeNormalization;

use crate::pytext::{is_space, is_word, push_casefold};

pub fn token_hash(token: &str) -> u64 {
    let digest = blake2b_simd::Params::new()
        .hash_length(8)
        .hash(token.as_bytes());
    u64::from_le_bytes(digest.as_bytes().try_into().expect("8-byte digest"))
}

/// Token hashes of a text, hashing each distinct token once.
#[derive(Default)]
pub struct Hasher {
    cache: HashMap<String, u64>,
}

const MAX_CACHE: usize = 1 << 20;

impl Hasher {
    fn hash(&mut self, token: &str) -> u64 {
        if let Some(&h) = self.cache.get(token) {
            return h;
        }
        if self.cache.len() >= MAX_CACHE {
            self.cache.clear();
        }
        let h = token_hash(token);
        self.cache.insert(token.to_owned(), h);
        h
    }

    /// The hash and `(start, end)` code point offsets of every token of `text`.
    pub fn tokens(&mut self, text: &str, hashes: &mut Vec<u64>, offsets: &mut Vec<(u32, u32)>) {
        hashes.clear();
        offsets.clear();
        for_each_token(text, |token, start, end| {
            hashes.push(self.hash(token));
            offsets.push((start, end));
        });
    }
}

/// Call `f(token, start, end)` for every token of `text`, normalised, with code point offsets.
pub fn for_each_token(text: &str, mut f: impl FnMut(&str, u32, u32)) {
    let mut start: Option<usize> = None;
    let mut ascii = true;
    let mut token = String::new();
    let mut folded = String::new();
    for (i, c) in text.chars().chain(std::iter::once(' ')).enumerate() {
        if is_word(c) {
            if start.is_none() {
                start = Some(i);
                token.clear();
                ascii = true;
            }
            ascii &= c.is_ascii();
            push_casefold(&mut token, c);
        } else if let Some(s) = start.take() {
            let normal = if ascii {
                &token
            } else {
                folded.clear();
                folded.extend(token.nfkc());
                &folded
            };
            f(normal, s as u32, i as u32);
        }
    }
}

/// The tokens of `text` as strings, normalised as for hashing (for alignment and tests).
pub fn token_strings(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_token(text, |t, _, _| out.push(t.to_owned()));
    out
}

/// The hash of every `ngram`-token shingle in order (a text with fewer tokens is one shingle).
pub fn shingles(th: &[u64], ngram: usize, multipliers: &[u64], out: &mut Vec<u64>) {
    out.clear();
    let n = th.len();
    if n == 0 {
        return;
    }
    let k = ngram.min(n).min(multipliers.len());
    for i in 0..=(n - k) {
        let mut h = 0u64;
        for (j, &m) in multipliers[..k].iter().enumerate() {
            h = h.wrapping_add(th[i + j].wrapping_mul(m));
        }
        out.push(h);
    }
}

/// Sorted distinct values.
pub fn sorted_unique(mut v: Vec<u64>) -> Vec<u64> {
    v.sort_unstable();
    v.dedup();
    v
}

/// A passage: code point offsets (end exclusive).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Passage {
    pub start: u32,
    pub end: u32,
}

/// Paragraphs (runs of non-blank lines) as code point spans.
fn paragraphs(chars: &[char]) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut start: Option<usize> = None;
    let mut end = 0;
    let mut line_start = 0;
    for i in 0..=chars.len() {
        if i == chars.len() || chars[i] == '\n' {
            let line = &chars[line_start..i];
            if line.iter().any(|&c| !is_space(c)) {
                if start.is_none() {
                    start = Some(line_start);
                }
                end = i;
            } else if let Some(s) = start.take() {
                spans.push((s, end));
            }
            line_start = i + 1;
        }
    }
    if let Some(s) = start {
        spans.push((s, end));
    }
    spans
}

fn words(chars: &[char]) -> usize {
    let mut n = 0;
    let mut inside = false;
    for &c in chars {
        let w = !is_space(c);
        if w && !inside {
            n += 1;
        }
        inside = w;
    }
    n
}

const CLOSERS: [char; 6] = ['"', '\'', '”', '’', ')', ']'];

/// Sentences of `para` as `(start, end, words)`, cut after `.!?…`, closing quotes and white space
/// (Python's `(?<=[.!?…])["'”’)\]]*\s+`).
fn sentences(chars: &[char], lo: usize, hi: usize) -> Vec<(usize, usize, usize)> {
    let mut out = Vec::new();
    let mut pos = lo;
    let mut i = lo + 1;
    while i <= hi {
        if i < hi && matches!(chars[i - 1], '.' | '!' | '?' | '…') {
            let mut j = i;
            while j < hi && CLOSERS.contains(&chars[j]) {
                j += 1;
            }
            let mut k = j;
            while k < hi && is_space(chars[k]) {
                k += 1;
            }
            if k > j {
                out.push((pos, i, words(&chars[pos..i])));
                pos = k;
                i = k + 1;
                continue;
            }
        }
        i += 1;
    }
    if pos < hi {
        out.push((pos, hi, words(&chars[pos..hi])));
    }
    out
}

/// A document's passages: paragraphs of at most `max_words` words, longer ones cut into windows
/// of whole sentences of about `window_words` words, each starting one sentence after the
/// previous one's start when it would otherwise skip text.
pub fn passages(text: &str, max_words: usize, window_words: usize) -> Vec<Passage> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    for (start, end) in paragraphs(&chars) {
        if words(&chars[start..end]) <= max_words {
            out.push(Passage {
                start: start as u32,
                end: end as u32,
            });
            continue;
        }
        let sents = sentences(&chars, start, end);
        let mut i = 0;
        while i < sents.len() {
            let (mut j, mut total) = (i, 0);
            while j < sents.len() && (total == 0 || total + sents[j].2 <= window_words) {
                total += sents[j].2;
                j += 1;
            }
            out.push(Passage {
                start: sents[i].0 as u32,
                end: sents[j - 1].1 as u32,
            });
            if j >= sents.len() {
                break;
            }
            i = (i + 1).max(j - 1);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_as_python() {
        assert_eq!(
            token_strings("The U.S. “must leave” Tanf!"),
            ["the", "u", "s", "must", "leave", "tanf"]
        );
        assert_eq!(token_strings("Straße ﬁne"), ["strasse", "fine"]);
        let mut h = Hasher::default();
        let (mut hashes, mut offsets) = (Vec::new(), Vec::new());
        h.tokens("é ab, cd", &mut hashes, &mut offsets);
        assert_eq!(offsets, [(0, 1), (2, 4), (6, 8)]);
        assert_eq!(hashes[1], token_hash("ab"));
    }

    #[test]
    fn blake2b_8_matches_hashlib() {
        // hashlib.blake2b(b"abc", digest_size=8).digest() read little-endian.
        assert_eq!(
            token_hash("abc"),
            u64::from_le_bytes([216, 187, 20, 216, 51, 213, 149, 89])
        );
    }

    #[test]
    fn shingles_combine_positions() {
        let mut out = Vec::new();
        shingles(&[1, 2, 3], 2, &[3, 5], &mut out);
        assert_eq!(out, [3 + 2 * 5, 2 * 3 + 3 * 5]);
        shingles(&[7], 3, &[3, 5, 7], &mut out);
        assert_eq!(out, [21]);
    }

    #[test]
    fn passages_split_paragraphs_and_long_ones() {
        let text = "One short paragraph.\n\nA. B. C. D.";
        assert_eq!(
            passages(text, 80, 50),
            [
                Passage { start: 0, end: 20 },
                Passage { start: 22, end: 33 }
            ]
        );
        let long = "First one here. Second one \"here.\" Third.";
        let p = passages(long, 2, 3);
        assert_eq!(p[0], Passage { start: 0, end: 15 });
        assert_eq!(p[1], Passage { start: 16, end: 33 });
        assert_eq!(p[2], Passage { start: 35, end: 41 });
    }
}
