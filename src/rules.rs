//! The rule pass: every rule of a rule set in one `regex::RegexSet` (linear time: no pattern can
//! backtrack), tried on each stripped line; the first matching rule in the given order wins.

use regex::{RegexSet, RegexSetBuilder};

use crate::pytables::{DIGIT, SPACE, WORD};
use crate::pytext::{count_words, is_blank, strip};

/// One rule as the core needs it: its pattern, how it matches, and its guard.
#[derive(Clone, Debug)]
pub struct RuleSpec {
    pub pattern: String,
    /// Whole line (`true`) or anywhere in it.
    pub whole_line: bool,
    pub case_sensitive: bool,
    pub max_words: Option<usize>,
}

pub struct RuleSet {
    set: Option<RegexSet>,
    max_words: Vec<Option<usize>>,
}

/// Why a pattern cannot be used, in words a rule author can act on.
#[derive(Debug, PartialEq)]
pub struct PatternError {
    pub index: usize,
    pub message: String,
}

const SIZE_LIMIT: usize = 1 << 28;

fn wrapped(spec: &RuleSpec) -> String {
    let flags = if spec.case_sensitive { "" } else { "i" };
    let pattern = pythonic(&spec.pattern);
    if spec.whole_line {
        format!(r"\A(?{flags}:{pattern})\z")
    } else {
        format!("(?{flags}:{pattern})")
    }
}

fn class(table: &[(u32, u32)], negated: bool) -> String {
    let mut out = String::from(if negated { "[^" } else { "[" });
    for &(lo, hi) in table {
        out.push_str(&format!("\\x{{{lo:x}}}-\\x{{{hi:x}}}"));
    }
    out.push(']');
    out
}

/// `\w`, `\d`, `\s` and their negations as Python's `re` means them (`\w` is `str.isalnum()` or
/// `_`, so no combining marks or joiners, and `\W` matches those), as explicit classes; a class
/// nests inside a class, so `[\W_]` works too. `\b` keeps the engine's Unicode meaning.
fn pythonic(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some(e @ ('w' | 'W')) => out.push_str(&class(WORD, e == 'W')),
            Some(e @ ('d' | 'D')) => out.push_str(&class(DIGIT, e == 'D')),
            Some(e @ ('s' | 'S')) => out.push_str(&class(SPACE, e == 'S')),
            Some(e) => {
                out.push('\\');
                out.push(e);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// The constructs of Python's `re` that `regex` does not have, found by their spelling, with
/// what to write instead.
fn unsupported(pattern: &str) -> Option<&'static str> {
    let checks: [(&str, &str); 9] = [
        ("(?=", "look-ahead (?=...) is not supported: match the text itself, or split the rule in two"),
        ("(?!", "negative look-ahead (?!...) is not supported: list what may follow instead, or use examples.no_match to pin the rule down"),
        ("(?<=", "look-behind (?<=...) is not supported: match the preceding text as part of the pattern"),
        ("(?<!", "negative look-behind (?<!...) is not supported: list what may precede instead"),
        ("(?P=", "back-references (?P=name) are not supported: spell the repeated text out"),
        ("(?>", "atomic groups (?>...) are not supported (and not needed: matching is linear time)"),
        ("(?(", "conditionals (?(...)...) are not supported: write two rules"),
        ("\\Z", "\\Z is not supported: use \\z (end of line) or $"),
        ("*+", "possessive quantifiers (*+, ++, ?+) are not supported (and not needed: matching is linear time)"),
    ];
    for (needle, why) in checks {
        if pattern.contains(needle) {
            return Some(why);
        }
    }
    let bytes = pattern.as_bytes();
    for i in 0..bytes.len().saturating_sub(1) {
        if bytes[i] == b'\\' && bytes[i + 1].is_ascii_digit() && bytes[i + 1] != b'0' {
            let escaped =
                i > 0 && bytes[..i].iter().rev().take_while(|&&b| b == b'\\').count() % 2 == 1;
            if !escaped {
                return Some(
                    "back-references such as \\1 are not supported: spell the repeated text out",
                );
            }
        }
    }
    None
}

impl RuleSet {
    pub fn new(specs: &[RuleSpec]) -> Result<RuleSet, PatternError> {
        for (index, spec) in specs.iter().enumerate() {
            if let Some(why) = unsupported(&spec.pattern) {
                return Err(PatternError {
                    index,
                    message: why.to_string(),
                });
            }
            // Compile alone first, so an error names its rule, and as written, so it shows the
            // user's own pattern.
            let as_written = RegexSetBuilder::new([&spec.pattern])
                .size_limit(SIZE_LIMIT)
                .build();
            if let Err(err) = as_written.and_then(|_| {
                RegexSetBuilder::new([wrapped(spec)])
                    .size_limit(SIZE_LIMIT)
                    .build()
            }) {
                return Err(PatternError {
                    index,
                    message: describe(err),
                });
            }
        }
        let set = if specs.is_empty() {
            None
        } else {
            let built = RegexSetBuilder::new(specs.iter().map(wrapped))
                .size_limit(SIZE_LIMIT)
                .dfa_size_limit(SIZE_LIMIT)
                .build()
                .map_err(|err| PatternError {
                    index: 0,
                    message: describe(err),
                })?;
            Some(built)
        };
        Ok(RuleSet {
            set,
            max_words: specs.iter().map(|s| s.max_words).collect(),
        })
    }

    pub fn len(&self) -> usize {
        self.max_words.len()
    }

    /// The first rule that removes `line` (stripped first), if any.
    pub fn first_match(&self, line: &str) -> Option<usize> {
        let set = self.set.as_ref()?;
        let text = strip(line);
        if text.is_empty() {
            return None;
        }
        let hits = set.matches(text);
        if !hits.matched_any() {
            return None;
        }
        let mut words = None;
        hits.iter().find(|&i| match self.max_words[i] {
            None => true,
            Some(limit) => *words.get_or_insert_with(|| count_words(text)) <= limit,
        })
    }

    /// `(line index, rule index)` of every line of `text` (split on `\n`) that a rule removes.
    pub fn matches_in(&self, text: &str) -> Vec<(u32, u32)> {
        let mut out = Vec::new();
        if self.set.is_none() {
            return out;
        }
        for (n, line) in text.split('\n').enumerate() {
            if is_blank(line) {
                continue;
            }
            if let Some(rule) = self.first_match(line) {
                out.push((n as u32, rule as u32));
            }
        }
        out
    }
}

fn describe(err: regex::Error) -> String {
    match err {
        regex::Error::Syntax(msg) => {
            format!("bad regex (the syntax of Rust's regex crate):\n{msg}")
        }
        regex::Error::CompiledTooBig(limit) => {
            format!("pattern too large once compiled (over {limit} bytes): use smaller repetition counts such as .{{0,100}}")
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(pattern: &str, max_words: Option<usize>) -> RuleSpec {
        RuleSpec {
            pattern: pattern.into(),
            whole_line: true,
            case_sensitive: false,
            max_words,
        }
    }

    #[test]
    fn first_rule_in_order_wins_and_guards_hold() {
        let rules = RuleSet::new(&[
            spec(r"share\s+this.{0,40}", Some(3)),
            spec(r".{0,20}\bshare\b.{0,60}", None),
        ])
        .unwrap();
        assert_eq!(rules.first_match("  Share this  "), Some(0));
        assert_eq!(
            rules.first_match("Share this story with your friends"),
            Some(1)
        );
        assert_eq!(rules.first_match("Nothing to see"), None);
        assert_eq!(
            rules.matches_in("Share this\n\nBody text.\nshare THIS"),
            vec![(0, 0), (3, 0)]
        );
    }

    #[test]
    fn whole_line_or_search() {
        let mut s = spec("menu", None);
        let whole = RuleSet::new(std::slice::from_ref(&s)).unwrap();
        s.whole_line = false;
        let search = RuleSet::new(&[s]).unwrap();
        assert_eq!(whole.first_match("Main menu"), None);
        assert_eq!(search.first_match("Main menu"), Some(0));
    }

    #[test]
    fn python_only_syntax_is_named() {
        let err = RuleSet::new(&[spec("ok", None), spec(r"(?<!\w)ad(?=s)", None)])
            .err()
            .unwrap();
        assert_eq!(err.index, 1);
        assert!(err.message.contains("look-"), "{}", err.message);
        let err = RuleSet::new(&[spec(r"(\w+) \1", None)]).err().unwrap();
        assert!(err.message.contains("back-references"));
        assert!(RuleSet::new(&[spec(r"a\\1", None)]).is_ok());
        let err = RuleSet::new(&[spec("(unclosed", None)]).err().unwrap();
        assert!(err.message.contains("bad regex"));
    }

    #[test]
    fn classes_as_python() {
        let rules = RuleSet::new(&[spec(r"[\W_]+", None), spec(r"\w+\s\d", None)]).unwrap();
        assert_eq!(
            rules.first_match("\u{200d}"),
            Some(0),
            "a joiner is not a word character in Python"
        );
        assert_eq!(rules.first_match("--"), Some(0));
        assert_eq!(rules.first_match("abc\x1c7"), Some(1));
        assert_eq!(rules.first_match(r"a\w"), None);
        assert_eq!(pythonic(r"a\\w"), r"a\\w");
    }

    #[test]
    fn no_catastrophic_backtracking() {
        let rules = RuleSet::new(&[spec(r"(a+)+b", None)]).unwrap();
        let line = "a".repeat(100_000);
        assert_eq!(rules.first_match(&line), None);
    }
}
