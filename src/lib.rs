//! The PyO3 layer of `cleaner._core`: the only module that knows Python. Every call takes a batch,
//! releases the GIL, spreads the batch over threads and returns results in input order.

mod lcs;
mod lines;
mod minhash;
mod offtopic;
mod pytables;
mod pytext;
mod repeats;
mod rules;
mod signals;
mod sketch;
mod tokens;
mod verify;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use numpy::ndarray::Array2;
use numpy::{IntoPyArray, PyArray1, PyArray2, PyReadonlyArray1};
use pyo3::create_exception;
use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyString;
use rayon::prelude::*;

create_exception!(
    _core,
    PatternError,
    PyValueError,
    "A rule pattern the core cannot use: args are (rule index, message)."
);

/// Thread pools by size, made once per process: `jobs` threads share the work of one call. A
/// process forked from one that had a pool has none of its threads, so it makes its own.
fn pool(jobs: usize) -> PyResult<Arc<rayon::ThreadPool>> {
    type Pools = HashMap<(u32, usize), Arc<rayon::ThreadPool>>;
    static POOLS: OnceLock<Mutex<Pools>> = OnceLock::new();
    let key = (std::process::id(), jobs.max(2));
    let mut pools = POOLS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(p) = pools.get(&key) {
        return Ok(p.clone());
    }
    let jobs = key.1;
    let built = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build()
        .map_err(|e| PyRuntimeError::new_err(format!("cannot start {jobs} threads: {e}")))?;
    let built = Arc::new(built);
    pools.insert(key, built.clone());
    Ok(built)
}

fn borrowed<'a>(texts: &'a [Bound<'_, PyString>]) -> PyResult<Vec<&'a str>> {
    texts.iter().map(|t| t.to_str()).collect()
}

/// Map `f` over `items` on `jobs` threads without the GIL, results in input order; one job runs
/// on the calling thread, with no pool.
fn par_map<T: Sync, R: Send>(
    py: Python<'_>,
    jobs: usize,
    items: &[T],
    f: impl Fn(&T) -> R + Sync + Send,
) -> PyResult<Vec<R>> {
    par_map_init(py, jobs, items, || (), |_, item| f(item))
}

/// `par_map` with a scratch state per thread (made by `init`).
fn par_map_init<T: Sync, R: Send, S>(
    py: Python<'_>,
    jobs: usize,
    items: &[T],
    init: impl Fn() -> S + Sync + Send,
    f: impl Fn(&mut S, &T) -> R + Sync + Send,
) -> PyResult<Vec<R>> {
    if jobs <= 1 {
        return Ok(py.detach(|| {
            let mut state = init();
            items.iter().map(|item| f(&mut state, item)).collect()
        }));
    }
    let pool = pool(jobs)?;
    Ok(py.detach(|| {
        pool.install(|| {
            items
                .par_iter()
                .map_init(&init, |s, item| f(s, item))
                .collect()
        })
    }))
}

/// All rules of a rule set, compiled into one automaton.
#[pyclass(frozen, module = "cleaner._core")]
struct RuleSet {
    inner: rules::RuleSet,
}

#[pymethods]
impl RuleSet {
    /// `rules`: `(pattern, whole_line, case_sensitive, max_words)` per rule, in the order they win.
    #[new]
    fn new(rules: Vec<(String, bool, bool, Option<usize>)>) -> PyResult<Self> {
        let specs: Vec<rules::RuleSpec> = rules
            .into_iter()
            .map(
                |(pattern, whole_line, case_sensitive, max_words)| rules::RuleSpec {
                    pattern,
                    whole_line,
                    case_sensitive,
                    max_words,
                },
            )
            .collect();
        match rules::RuleSet::new(&specs) {
            Ok(inner) => Ok(RuleSet { inner }),
            Err(e) => Err(PatternError::new_err((e.index, e.message))),
        }
    }

    fn __len__(&self) -> usize {
        self.inner.len()
    }

    /// The index of the first rule that removes `line`, or None.
    fn first_match(&self, line: &str) -> Option<usize> {
        self.inner.first_match(line)
    }
}

/// The line-local pass over a batch of texts: for each text, the `(line, rule)` of every line a
/// rule removes, and the `(line, first, similarity)` of every other line repeating an earlier one
/// (no repeats when `repeat_threshold` is None). Line indexes count from 0 over `text.split("\n")`.
#[pyfunction]
#[pyo3(signature = (texts, rules, repeat_threshold, repeat_min_chars, repeat_max_words, jobs=1))]
#[allow(clippy::type_complexity)]
fn line_pass(
    py: Python<'_>,
    texts: Vec<Bound<'_, PyString>>,
    rules: Option<&RuleSet>,
    repeat_threshold: Option<f64>,
    repeat_min_chars: usize,
    repeat_max_words: usize,
    jobs: usize,
) -> PyResult<Vec<(Vec<(u32, u32)>, Vec<(u32, u32, f64)>)>> {
    let texts = borrowed(&texts)?;
    let rules = rules.map(|r| &r.inner);
    par_map(py, jobs, &texts, |text| {
        let hits = rules.map(|r| r.matches_in(text)).unwrap_or_default();
        let repeats = match repeat_threshold {
            None => Vec::new(),
            Some(threshold) => {
                let lines: Vec<&str> = text.split('\n').collect();
                let mut skip = vec![false; lines.len()];
                for &(n, _) in &hits {
                    skip[n as usize] = true;
                }
                let p = repeats::RepeatParams {
                    threshold,
                    min_chars: repeat_min_chars,
                    max_words: repeat_max_words,
                };
                repeats::find(&lines, &skip, p)
                    .into_iter()
                    .map(|r| (r.line, r.first, r.score))
                    .collect()
            }
        };
        (hits, repeats)
    })
}

/// The repeated lines of one text, `(line, first, similarity)`, not looking at lines where `skip` is true.
#[pyfunction]
fn repeated_lines(
    text: &str,
    skip: Vec<bool>,
    threshold: f64,
    min_chars: usize,
    max_words: usize,
) -> Vec<(u32, u32, f64)> {
    let lines: Vec<&str> = text.split('\n').collect();
    let p = repeats::RepeatParams {
        threshold,
        min_chars,
        max_words,
    };
    repeats::find(&lines, &skip, p)
        .into_iter()
        .map(|r| (r.line, r.first, r.score))
        .collect()
}

/// The off-topic stripper's judge, holding its stop words.
#[pyclass(frozen, module = "cleaner._core")]
struct OffTopic {
    stop: rustc_hash::FxHashSet<String>,
}

#[pymethods]
impl OffTopic {
    #[new]
    fn new(stopwords: Vec<String>) -> Self {
        OffTopic {
            stop: stopwords.into_iter().collect(),
        }
    }

    /// `(start, end, cosine)` (0-based line indexes, inclusive) of every off-topic paragraph of
    /// `text` among the lines `keep` leaves, judged to a fixed point.
    fn judge(
        &self,
        py: Python<'_>,
        text: &str,
        keep: Vec<bool>,
        threshold: f64,
        min_words: usize,
        min_context: usize,
    ) -> Vec<(usize, usize, f64)> {
        let p = offtopic::Params {
            threshold,
            min_words,
            min_context,
        };
        py.detach(|| {
            let lines: Vec<&str> = text.split('\n').collect();
            offtopic::judge(&lines, &keep, &self.stop, p)
        })
    }
}

/// How to sketch texts for dedup (see `cleaner.config.DedupConfig`).
#[pyclass(frozen, module = "cleaner._core")]
struct Sketcher {
    params: sketch::SketchParams,
}

#[pymethods]
impl Sketcher {
    #[new]
    #[pyo3(signature = (*, documents, passages, ngram, passage_ngram, passage_max_words, passage_window_words, passage_min_tokens, multipliers, a, b))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        documents: bool,
        passages: bool,
        ngram: usize,
        passage_ngram: usize,
        passage_max_words: usize,
        passage_window_words: usize,
        passage_min_tokens: usize,
        multipliers: Vec<u64>,
        a: Vec<u64>,
        b: Vec<u64>,
    ) -> PyResult<Self> {
        if a.len() != b.len() || a.is_empty() {
            return Err(PyValueError::new_err(
                "permutations a and b must be non-empty and of one length",
            ));
        }
        if ngram == 0 || passage_ngram == 0 || ngram.max(passage_ngram) > multipliers.len() {
            return Err(PyValueError::new_err(format!(
                "ngram must be between 1 and {}",
                multipliers.len()
            )));
        }
        let params = sketch::SketchParams {
            documents,
            passages,
            ngram,
            passage_ngram,
            passage_max_words,
            passage_window_words,
            passage_min_tokens,
            multipliers,
            a,
            b,
        };
        Ok(Sketcher { params })
    }

    /// For each text: its sorted distinct shingle hashes, its signature (None when documents are
    /// not sketched), its passages as `(start, end, first token, shingle hashes)`, and the
    /// passages' signatures as a `(passages, num_perm)` array.
    #[pyo3(signature = (texts, jobs=1))]
    #[allow(clippy::type_complexity)]
    fn sketch<'py>(
        &self,
        py: Python<'py>,
        texts: Vec<Bound<'py, PyString>>,
        jobs: usize,
    ) -> PyResult<
        Vec<(
            Bound<'py, PyArray1<u64>>,
            Option<Bound<'py, PyArray1<u64>>>,
            Vec<(u32, u32, u32, Bound<'py, PyArray1<u64>>)>,
            Bound<'py, PyArray2<u64>>,
        )>,
    > {
        let texts = borrowed(&texts)?;
        let sketches = par_map_init(py, jobs, &texts, tokens::Hasher::default, |h, t| {
            self.params.sketch(h, t)
        })?;
        let num_perm = self.params.a.len();
        sketches
            .into_iter()
            .map(|s| {
                let rows = s.passages.len();
                let sigs = Array2::from_shape_vec((rows, num_perm), s.passage_signatures)
                    .map_err(|e| PyRuntimeError::new_err(e.to_string()))?
                    .into_pyarray(py);
                let passages = s
                    .passages
                    .into_iter()
                    .map(|(a, b, t, set)| (a, b, t, set.into_pyarray(py)))
                    .collect();
                Ok((
                    s.shingles.into_pyarray(py),
                    s.signature.map(|v| v.into_pyarray(py)),
                    passages,
                    sigs,
                ))
            })
            .collect()
    }
}

/// The tokens of a text, normalised as for hashing, and their `(start, end)` code point offsets.
#[pyfunction]
fn tokens_with_offsets<'py>(
    py: Python<'py>,
    text: &str,
) -> PyResult<(Vec<String>, Bound<'py, PyArray2<i64>>)> {
    let strings = tokens::token_strings(text);
    let mut hasher = tokens::Hasher::default();
    let (mut th, mut offsets) = (Vec::new(), Vec::new());
    hasher.tokens(text, &mut th, &mut offsets);
    let flat: Vec<i64> = offsets
        .iter()
        .flat_map(|&(s, e)| [s as i64, e as i64])
        .collect();
    let arr = Array2::from_shape_vec((offsets.len(), 2), flat)
        .map_err(|e| PyRuntimeError::new_err(e.to_string()))?;
    Ok((strings, arr.into_pyarray(py)))
}

fn as_slices<'a>(sets: &'a [PyReadonlyArray1<'_, u64>]) -> PyResult<Vec<&'a [u64]>> {
    Ok(sets
        .iter()
        .map(|s| s.as_slice())
        .collect::<Result<_, _>>()?)
}

/// Pairs of indexes `(left[k], right[k])`, checked against `n` items.
fn index_pairs(
    left: &PyReadonlyArray1<'_, i64>,
    right: &PyReadonlyArray1<'_, i64>,
    n: usize,
) -> PyResult<Vec<(usize, usize)>> {
    let (left, right) = (left.as_slice()?, right.as_slice()?);
    if left.len() != right.len() {
        return Err(PyValueError::new_err("left and right must have one length"));
    }
    let valid = |i: i64| usize::try_from(i).ok().filter(|&i| i < n);
    left.iter()
        .zip(right)
        .map(|(&i, &j)| match (valid(i), valid(j)) {
            (Some(i), Some(j)) => Ok((i, j)),
            _ => Err(PyValueError::new_err(format!(
                "pair ({i}, {j}) out of range for {n} sets"
            ))),
        })
        .collect()
}

/// The Jaccard similarity of each pair `(sets[left[k]], sets[right[k]])` of sorted distinct arrays.
#[pyfunction]
#[pyo3(signature = (sets, left, right, jobs=1))]
fn jaccard_pairs<'py>(
    py: Python<'py>,
    sets: Vec<PyReadonlyArray1<'py, u64>>,
    left: PyReadonlyArray1<'py, i64>,
    right: PyReadonlyArray1<'py, i64>,
    jobs: usize,
) -> PyResult<Bound<'py, PyArray1<f64>>> {
    let slices = as_slices(&sets)?;
    let pairs = index_pairs(&left, &right, slices.len())?;
    Ok(par_map(py, jobs, &pairs, |&(i, j)| {
        verify::jaccard(slices[i], slices[j])
    })?
    .into_pyarray(py))
}

/// Verified passage pairs among LSH candidates `(left[k], right[k])`: `(first, second, overlap
/// coefficient)` arrays, each pair in the order of the passages' `(doc, part)` keys (see
/// `verify::passage_hits`).
#[pyfunction]
#[pyo3(signature = (sets, doc, part, left, right, min_shared, threshold, jobs=1))]
#[allow(clippy::too_many_arguments, clippy::type_complexity)]
fn passage_hits<'py>(
    py: Python<'py>,
    sets: Vec<PyReadonlyArray1<'py, u64>>,
    doc: PyReadonlyArray1<'py, i64>,
    part: PyReadonlyArray1<'py, i64>,
    left: PyReadonlyArray1<'py, i64>,
    right: PyReadonlyArray1<'py, i64>,
    min_shared: usize,
    threshold: f64,
    jobs: usize,
) -> PyResult<(
    Bound<'py, PyArray1<i64>>,
    Bound<'py, PyArray1<i64>>,
    Bound<'py, PyArray1<f64>>,
)> {
    let slices = as_slices(&sets)?;
    let keys: Vec<(i64, i64)> = doc
        .as_slice()?
        .iter()
        .copied()
        .zip(part.as_slice()?.iter().copied())
        .collect();
    if keys.len() != slices.len() {
        return Err(PyValueError::new_err(
            "sets, doc and part must have one length",
        ));
    }
    let pairs = index_pairs(&left, &right, slices.len())?;
    let chunks: Vec<&[(usize, usize)]> = pairs.chunks(1 << 14).collect();
    let found = par_map(py, jobs, &chunks, |chunk| {
        verify::passage_hits(&slices, &keys, chunk, min_shared, threshold)
    })?;
    let (mut a, mut b, mut s) = (Vec::new(), Vec::new(), Vec::new());
    for (i, j, score) in found.into_iter().flatten() {
        a.push(i as i64);
        b.push(j as i64);
        s.push(score);
    }
    Ok((a.into_pyarray(py), b.into_pyarray(py), s.into_pyarray(py)))
}

#[pyfunction]
#[pyo3(signature = (texts, max_words, jobs=1))]
fn corpus_line_keys<'py>(
    py: Python<'py>,
    texts: Vec<Bound<'py, PyString>>,
    max_words: usize,
    jobs: usize,
) -> PyResult<Vec<Bound<'py, PyArray1<u64>>>> {
    let texts = borrowed(&texts)?;
    let keys = par_map(py, jobs, &texts, |t| {
        tokens::sorted_unique(
            lines::line_keys(t, max_words)
                .into_iter()
                .flatten()
                .collect(),
        )
    })?;
    Ok(keys.into_iter().map(|k| k.into_pyarray(py)).collect())
}

/// `(line indexes, keys)` of the lines of one text that have a corpus-line key.
#[pyfunction]
fn corpus_line_keys_by_line<'py>(
    py: Python<'py>,
    text: &str,
    max_words: usize,
) -> (Bound<'py, PyArray1<u32>>, Bound<'py, PyArray1<u64>>) {
    let (rows, keys): (Vec<u32>, Vec<u64>) = lines::line_keys(text, max_words)
        .into_iter()
        .enumerate()
        .filter_map(|(i, k)| k.map(|k| (i as u32, k)))
        .unzip();
    (rows.into_pyarray(py), keys.into_pyarray(py))
}

/// The line classifier's per-line signals of a batch of texts (see `cleaner.strip.classifier.LineTable`):
/// a dict of equal-length arrays, one entry per line of every text.
#[pyfunction]
#[pyo3(signature = (texts, function_words, weights, jobs=1))]
fn line_signals<'py>(
    py: Python<'py>,
    texts: Vec<Bound<'py, PyString>>,
    function_words: PyReadonlyArray1<'py, u64>,
    weights: Vec<u64>,
    jobs: usize,
) -> PyResult<Bound<'py, pyo3::types::PyDict>> {
    if weights.len() < 25 {
        return Err(PyValueError::new_err(
            "weights: one per word position, 25 of them",
        ));
    }
    let texts = borrowed(&texts)?;
    let known: rustc_hash::FxHashSet<u64> = function_words.as_slice()?.iter().copied().collect();
    let numbered: Vec<(usize, &str)> = texts.iter().copied().enumerate().collect();
    let parts = par_map(py, jobs, &numbered, |&(i, text)| {
        let mut s = signals::Signals::default();
        s.add_text(i as i64, text, &known, &weights);
        s
    })?;
    let mut all = signals::Signals::default();
    for part in parts {
        all.extend(part);
    }
    let out = pyo3::types::PyDict::new(py);
    for (name, values) in [
        ("doc", all.doc),
        ("chars", all.chars),
        ("words", all.words),
        ("stop", all.stop),
        ("caps", all.caps),
        ("alpha", all.alpha),
        ("digits", all.digits),
        ("cjk", all.cjk),
        ("seps", all.seps),
        ("indent", all.indent),
    ] {
        out.set_item(name, values.into_pyarray(py))?;
    }
    for (name, values) in [
        ("terminal", all.terminal),
        ("bullet", all.bullet),
        ("lower_start", all.lower_start),
    ] {
        out.set_item(name, values.into_pyarray(py))?;
    }
    for (name, values) in [
        ("line_hash", all.line_hash),
        ("heading_hash", all.heading_hash),
    ] {
        out.set_item(name, values.into_pyarray(py))?;
    }
    Ok(out)
}

/// The classifier's hash of every word of `text` (see `signals::word_hashes`).
#[pyfunction]
fn word_hashes<'py>(
    py: Python<'py>,
    text: &str,
    weights: Vec<u64>,
) -> PyResult<Bound<'py, PyArray1<u64>>> {
    if weights.len() < 25 {
        return Err(PyValueError::new_err(
            "weights: one per word position, 25 of them",
        ));
    }
    Ok(signals::word_hashes(text, &weights).into_pyarray(py))
}

#[pymodule]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<RuleSet>()?;
    m.add_class::<Sketcher>()?;
    m.add_class::<OffTopic>()?;
    m.add("PatternError", m.py().get_type::<PatternError>())?;
    m.add_function(wrap_pyfunction!(line_pass, m)?)?;
    m.add_function(wrap_pyfunction!(repeated_lines, m)?)?;
    m.add_function(wrap_pyfunction!(tokens_with_offsets, m)?)?;
    m.add_function(wrap_pyfunction!(jaccard_pairs, m)?)?;
    m.add_function(wrap_pyfunction!(passage_hits, m)?)?;
    m.add_function(wrap_pyfunction!(corpus_line_keys, m)?)?;
    m.add_function(wrap_pyfunction!(line_signals, m)?)?;
    m.add_function(wrap_pyfunction!(word_hashes, m)?)?;
    m.add_function(wrap_pyfunction!(corpus_line_keys_by_line, m)?)?;
    Ok(())
}
