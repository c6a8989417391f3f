//! The line classifier's per-line signals: one pass over the characters of each line, counting
//! and hashing as `cleaner/strip/classifier.py` defines them (character classes are Python's
//! `str` predicates, from `pytables`).

use std::sync::OnceLock;

use rustc_hash::FxHashSet;

use crate::pytables::{ALPHA, ISDIGIT, LOWER_BMP, SPACE, UPPER, WORD};

pub const WORD_BIT: u8 = 1;
pub const ALPHA_BIT: u8 = 2;
pub const UPPER_BIT: u8 = 4;
pub const DIGIT_BIT: u8 = 8;
pub const SPACE_BIT: u8 = 16;
pub const CJK_BIT: u8 = 32;
pub const SEP_BIT: u8 = 64;
pub const TERM_BIT: u8 = 128;

const SEPARATORS: &str = "|»«•>›‹·/\\–—";
const TERMINAL: &str = ".!?。！？…:;\"”’»)";
const BULLETS: &str = "*•-–·●▪■►◦‣+";
/// Characters of a word that take part in its hash.
const MAX_POS: usize = 24;
/// Longer lines are not section headings.
const HEADING_MAX_WORDS: i64 = 8;

fn in_ranges(table: &[(u32, u32)], c: u32) -> bool {
    let i = table.partition_point(|&(_, hi)| hi < c);
    i < table.len() && table[i].0 <= c
}

fn class_of(c: u32) -> u8 {
    let mut bits = 0;
    for (table, bit) in [
        (WORD, WORD_BIT),
        (ALPHA, ALPHA_BIT),
        (UPPER, UPPER_BIT),
        (ISDIGIT, DIGIT_BIT),
        (SPACE, SPACE_BIT),
    ] {
        if in_ranges(table, c) {
            bits |= bit;
        }
    }
    if (0x3040..=0x30FF).contains(&c)
        || (0x3400..=0x9FFF).contains(&c)
        || (0xAC00..=0xD7AF).contains(&c)
        || (0xF900..=0xFAFF).contains(&c)
    {
        bits |= CJK_BIT;
    }
    if let Some(ch) = char::from_u32(c) {
        if SEPARATORS.contains(ch) {
            bits |= SEP_BIT;
        }
        if TERMINAL.contains(ch) {
            bits |= TERM_BIT;
        }
    }
    bits
}

struct Tables {
    classes: Vec<u8>, // the BMP
    lower: Vec<u32>,  // the BMP
}

fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(|| {
        let classes = (0..0x10000u32).map(class_of).collect();
        let mut lower: Vec<u32> = (0..0x10000u32).collect();
        for &(c, l) in LOWER_BMP {
            lower[c as usize] = l;
        }
        Tables { classes, lower }
    })
}

#[inline]
fn class(t: &Tables, c: u32) -> u8 {
    if c < 0x10000 {
        t.classes[c as usize]
    } else {
        class_of(c)
    }
}

/// `ord(c.lower()[0])` in the BMP; other code points unchanged.
#[inline]
fn lower(t: &Tables, c: u32) -> u32 {
    if c < 0x10000 {
        t.lower[c as usize]
    } else {
        c
    }
}

/// Per-line signals of a batch of texts, one entry per line of `text.split("\n")`.
#[derive(Default)]
pub struct Signals {
    pub doc: Vec<i64>,
    pub chars: Vec<i64>,
    pub words: Vec<i64>,
    pub stop: Vec<i64>,
    pub caps: Vec<i64>,
    pub alpha: Vec<i64>,
    pub digits: Vec<i64>,
    pub cjk: Vec<i64>,
    pub seps: Vec<i64>,
    pub indent: Vec<i64>,
    pub terminal: Vec<bool>,
    pub bullet: Vec<bool>,
    pub lower_start: Vec<bool>,
    pub line_hash: Vec<u64>,
    pub heading_hash: Vec<u64>,
}

/// The hash of each word (a run of `\w`): the sum of its lower-cased code points times a weight
/// per position (positions past `MAX_POS` share the last weight), in wrapping arithmetic.
pub fn word_hashes(text: &str, weights: &[u64]) -> Vec<u64> {
    let t = tables();
    let mut out = Vec::new();
    let (mut h, mut pos, mut inside) = (0u64, 0usize, false);
    for c in text.chars().map(|c| c as u32).chain(std::iter::once(10)) {
        if class(t, c) & WORD_BIT != 0 {
            h = h.wrapping_add((lower(t, c) as u64).wrapping_mul(weights[pos.min(MAX_POS)]));
            pos += 1;
            inside = true;
        } else if inside {
            out.push(h);
            (h, pos, inside) = (0, 0, false);
        }
    }
    out
}

fn mix(h: u64) -> u64 {
    h.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ (h >> 29)
}

impl Signals {
    /// The signals of every line of `text`, as document `doc` of the batch.
    pub fn add_text(
        &mut self,
        doc: i64,
        text: &str,
        function_words: &FxHashSet<u64>,
        weights: &[u64],
    ) {
        let t = tables();
        let mut cps: Vec<u32> = Vec::new();
        let mut words: Vec<(u64, u8)> = Vec::new(); // hash, class of the first character
        for line in text.split('\n') {
            cps.clear();
            cps.extend(line.chars().map(|c| c as u32));
            let (mut chars, mut alpha, mut digits, mut cjk, mut seps) = (0, 0, 0, 0, 0);
            let (mut first, mut last) = (None, 0);
            words.clear();
            let (mut h, mut pos, mut start_class) = (0u64, 0usize, 0u8);
            for (i, &c) in cps.iter().enumerate() {
                let bits = class(t, c);
                if bits & SPACE_BIT == 0 {
                    chars += 1;
                    first.get_or_insert(i);
                    last = i;
                }
                alpha += (bits & ALPHA_BIT != 0) as i64;
                digits += (bits & DIGIT_BIT != 0) as i64;
                cjk += (bits & CJK_BIT != 0) as i64;
                seps += (bits & SEP_BIT != 0) as i64;
                if bits & WORD_BIT != 0 {
                    if pos == 0 {
                        start_class = bits;
                    }
                    h = h
                        .wrapping_add((lower(t, c) as u64).wrapping_mul(weights[pos.min(MAX_POS)]));
                    pos += 1;
                } else if pos > 0 {
                    words.push((h, start_class));
                    (h, pos) = (0, 0);
                }
            }
            if pos > 0 {
                words.push((h, start_class));
            }
            let n_words = words.len() as i64;
            let (mut line_hash, mut heading_hash, mut lettered) = (0u64, 0u64, 0u64);
            let (mut stop, mut caps) = (0, 0);
            for &(h, bits) in &words {
                stop += function_words.contains(&h) as i64;
                caps += (bits & UPPER_BIT != 0) as i64;
                line_hash = line_hash.wrapping_add(mix(h));
                if n_words <= HEADING_MAX_WORDS && bits & DIGIT_BIT == 0 {
                    heading_hash = heading_hash.wrapping_add(mix(h));
                    lettered += 1;
                }
            }
            self.doc.push(doc);
            self.chars.push(chars);
            self.words.push(n_words);
            self.stop.push(stop);
            self.caps.push(caps);
            self.alpha.push(alpha);
            self.digits.push(digits);
            self.cjk.push(cjk);
            self.seps.push(seps);
            self.line_hash.push(if n_words > 0 {
                line_hash.wrapping_add(n_words as u64)
            } else {
                0
            });
            self.heading_hash.push(if lettered > 0 {
                heading_hash.wrapping_add(lettered)
            } else {
                0
            });
            match first {
                None => {
                    self.indent.push(0);
                    self.terminal.push(false);
                    self.bullet.push(false);
                    self.lower_start.push(false);
                }
                Some(f) => {
                    let (c, bits) = (cps[f], class(t, cps[f]));
                    let after = cps.get(f + 1).copied();
                    self.indent.push(f as i64);
                    self.terminal.push(class(t, cps[last]) & TERM_BIT != 0);
                    self.lower_start
                        .push(bits & (ALPHA_BIT | UPPER_BIT) == ALPHA_BIT && lower(t, c) == c);
                    let bullet_char = char::from_u32(c).is_some_and(|ch| BULLETS.contains(ch));
                    self.bullet.push(
                        (bullet_char && matches!(after, Some(32) | Some(9)))
                            || (bits & DIGIT_BIT != 0 && matches!(after, Some(46) | Some(41))),
                    );
                }
            }
        }
    }

    pub fn extend(&mut self, other: Signals) {
        self.doc.extend(other.doc);
        self.chars.extend(other.chars);
        self.words.extend(other.words);
        self.stop.extend(other.stop);
        self.caps.extend(other.caps);
        self.alpha.extend(other.alpha);
        self.digits.extend(other.digits);
        self.cjk.extend(other.cjk);
        self.seps.extend(other.seps);
        self.indent.extend(other.indent);
        self.terminal.extend(other.terminal);
        self.bullet.extend(other.bullet);
        self.lower_start.extend(other.lower_start);
        self.line_hash.extend(other.line_hash);
        self.heading_hash.extend(other.heading_hash);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_flags() {
        let weights: Vec<u64> = (1..=25).collect();
        let stop: FxHashSet<u64> = word_hashes("the", &weights).into_iter().collect();
        let mut s = Signals::default();
        s.add_text(
            0,
            "  The Cat sat.\n\n* item 2\n1. first\n中文 | x",
            &stop,
            &weights,
        );
        assert_eq!(s.doc, [0; 5]);
        assert_eq!(s.chars, [10, 0, 6, 7, 4]);
        assert_eq!(s.words, [3, 0, 2, 2, 2]);
        assert_eq!((s.stop[0], s.caps[0], s.indent[0]), (1, 2, 2));
        assert_eq!(s.terminal, [true, false, false, false, false]);
        assert_eq!(s.bullet, [false, false, true, true, false]);
        assert_eq!((s.cjk[4], s.seps[4]), (2, 1));
        assert_eq!(s.line_hash[1], 0);
        assert_eq!(word_hashes("ab Ab", &weights), [97 + 98 * 2, 97 + 98 * 2]);
    }
}
