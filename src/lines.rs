//! Keys of lines for counting them across a corpus: the normal form (casefolded, white space
//! collapsed) of a short line with a letter, hashed; pieces of hard-wrapped paragraphs have none.

use crate::pytext::{casefold, is_digit, is_space, is_word, strip};
use crate::tokens::token_hash;

const END: [char; 12] = ['.', '!', '?', ':', ';', '"', '”', '’', ')', '…', '|', '\0'];

fn ends_sentence(s: &str) -> bool {
    s.chars()
        .next_back()
        .is_some_and(|c| END[..11].contains(&c))
}

/// Lines that are pieces of a hard-wrapped paragraph ("said." under a long line, or a line that
/// stops mid-sentence above one that goes on in lower case).
pub fn fragments(lines: &[&str]) -> Vec<bool> {
    let stripped: Vec<&str> = lines.iter().map(|l| strip(l)).collect();
    let first_lower = |s: &str| s.chars().next().is_some_and(char::is_lowercase);
    (0..lines.len())
        .map(|i| {
            let text = stripped[i];
            if text.is_empty() {
                return false;
            }
            let prev = if i > 0 { stripped[i - 1] } else { "" };
            let next = stripped.get(i + 1).copied().unwrap_or("");
            let joined_above = !prev.is_empty()
                && (first_lower(text) || (!ends_sentence(prev) && prev.chars().count() >= 40));
            let joined_below = !next.is_empty()
                && !ends_sentence(text)
                && (first_lower(next) || text.ends_with(',') || text.ends_with('-'));
            joined_above || joined_below
        })
        .collect()
}

/// The key of one line, or None for a line that is not counted.
pub fn line_key(line: &str, max_words: usize) -> Option<u64> {
    let folded = casefold(line);
    let words: Vec<&str> = folded.split(is_space).filter(|w| !w.is_empty()).collect();
    if words.is_empty() || words.len() > max_words {
        return None;
    }
    let norm = words.join(" ");
    if !norm.chars().any(|c| is_word(c) && !is_digit(c) && c != '_') {
        return None;
    }
    Some(token_hash(&norm))
}

/// The key of every line of `text` (split on `\n`).
pub fn line_keys(text: &str, max_words: usize) -> Vec<Option<u64>> {
    let lines: Vec<&str> = text.split('\n').collect();
    fragments(&lines)
        .into_iter()
        .zip(&lines)
        .map(|(f, l)| if f { None } else { line_key(l, max_words) })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_fold_case_and_space() {
        assert_eq!(
            line_key("Home  | Sport", 15),
            line_key(" home | SPORT ", 15)
        );
        assert_eq!(line_key("© 2024 12", 15), None);
        assert_eq!(line_key("one two three", 2), None);
    }

    #[test]
    fn wrapped_pieces_have_no_key() {
        let text = "The minister said the talks would resume on Monday in the capital\nsaid.\n\nHome | Sport";
        let keys = line_keys(text, 15);
        assert!(keys[0].is_none() && keys[1].is_none() && keys[3].is_some());
    }
}
