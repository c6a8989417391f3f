//! Everything dedup needs from one text: shingle set, signature, passages and their signatures.

use crate::{minhash, tokens};

/// How to sketch texts for dedup (see `cleaner.config.DedupConfig`).
pub struct SketchParams {
    pub documents: bool,
    pub passages: bool,
    pub ngram: usize,
    pub passage_ngram: usize,
    pub passage_max_words: usize,
    pub passage_window_words: usize,
    pub passage_min_tokens: usize,
    pub multipliers: Vec<u64>,
    pub a: Vec<u64>,
    pub b: Vec<u64>,
}

/// What adding a text to the deduper needs.
pub struct TextSketch {
    pub shingles: Vec<u64>,
    pub signature: Option<Vec<u64>>,
    pub passages: Vec<(u32, u32, u32, Vec<u64>)>,
    pub passage_signatures: Vec<u64>,
}

impl SketchParams {
    pub fn sketch(&self, hasher: &mut tokens::Hasher, text: &str) -> TextSketch {
        let (mut th, mut offsets, mut buf) = (Vec::new(), Vec::new(), Vec::new());
        hasher.tokens(text, &mut th, &mut offsets);
        let num_perm = self.a.len();
        tokens::shingles(&th, self.ngram, &self.multipliers, &mut buf);
        let shingles = tokens::sorted_unique(buf.clone());
        let signature = self.documents.then(|| {
            let mut sig = vec![0u64; num_perm];
            minhash::signature(&shingles, &self.a, &self.b, &mut sig);
            sig
        });
        let mut passages = Vec::new();
        let mut passage_signatures = Vec::new();
        if self.passages && !th.is_empty() {
            for p in tokens::passages(text, self.passage_max_words, self.passage_window_words) {
                let i = offsets.partition_point(|&(s, _)| s < p.start);
                let j = offsets.partition_point(|&(s, _)| s < p.end);
                if j - i >= self.passage_min_tokens {
                    tokens::shingles(&th[i..j], self.passage_ngram, &self.multipliers, &mut buf);
                    let set = tokens::sorted_unique(buf.clone());
                    let start = passage_signatures.len();
                    passage_signatures.resize(start + num_perm, 0);
                    minhash::signature(&set, &self.a, &self.b, &mut passage_signatures[start..]);
                    passages.push((p.start, p.end, i as u32, set));
                }
            }
        }
        TextSketch {
            shingles,
            signature,
            passages,
            passage_signatures,
        }
    }
}
