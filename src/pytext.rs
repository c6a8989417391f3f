//! Characters as CPython's `re` and `str` see them, so the core splits words, strips lines and
//! folds case exactly as the Python code and the evaluation scripts do (tables in `pytables`).

use crate::pytables::{CASEFOLD, DIGIT, SPACE, WORD};

fn in_ranges(table: &[(u32, u32)], c: char) -> bool {
    let c = c as u32;
    table
        .binary_search_by(|&(lo, hi)| {
            if hi < c {
                std::cmp::Ordering::Less
            } else if lo > c {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

/// Python's `\w`: `str.isalnum()` or `_`.
#[inline]
pub fn is_word(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric() || c == '_'
    } else {
        in_ranges(WORD, c)
    }
}

/// Python's `\d` (Unicode decimal digits).
#[inline]
pub fn is_digit(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_digit()
    } else {
        in_ranges(DIGIT, c)
    }
}

/// `str.isspace()`.
#[inline]
pub fn is_space(c: char) -> bool {
    if c.is_ascii() {
        matches!(c, '\t'..='\r' | '\x1c'..='\x1f' | ' ')
    } else {
        in_ranges(SPACE, c)
    }
}

/// `str.strip()`.
pub fn strip(s: &str) -> &str {
    s.trim_matches(is_space)
}

/// Whether `str.isspace()` holds for every character (true for "").
pub fn is_blank(s: &str) -> bool {
    s.chars().all(is_space)
}

/// The number of `\w+` runs.
pub fn count_words(s: &str) -> usize {
    let mut n = 0;
    let mut inside = false;
    for c in s.chars() {
        let w = is_word(c);
        if w && !inside {
            n += 1;
        }
        inside = w;
    }
    n
}

/// Append `str.casefold()` of `c` to `out`.
#[inline]
pub fn push_casefold(out: &mut String, c: char) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
    } else {
        match CASEFOLD.binary_search_by_key(&(c as u32), |&(k, _)| k) {
            Ok(i) => out.push_str(CASEFOLD[i].1),
            Err(_) => out.push(c),
        }
    }
}

/// `str.casefold()`.
pub fn casefold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        push_casefold(&mut out, c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_python_words() {
        assert!(is_word('é') && is_word('中') && is_word('_') && is_word('٣'));
        assert!(
            !is_word('\u{301}'),
            "a combining mark is not alphanumeric in Python"
        );
        assert_eq!(count_words("The U.S. must-leave, Tanf!"), 6);
        assert_eq!(count_words(""), 0);
    }

    #[test]
    fn strip_and_fold_as_python() {
        assert_eq!(strip("\u{3000}\x1c text \u{a0}"), "text");
        assert!(is_blank(" \t\u{2028}") && !is_blank(" x"));
        assert_eq!(casefold("Straße İ ΣΑΣ"), "strasse i\u{307} σασ");
        assert!(is_digit('٣') && !is_digit('½'));
    }
}
