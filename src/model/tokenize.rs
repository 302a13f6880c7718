//! Tokenisation by the `tokenizers` crate (Hugging Face's reference
//! implementation) from the checkpoint's `tokenizer.json`, set up as
//! sentence-transformers calls it: no padding (each sentence runs alone),
//! special tokens added, sequences longer than the model's maximum cut to
//! it (the end is dropped, `[SEP]` kept).

use std::path::Path;

use tokenizers::{Tokenizer, TruncationParams};

use super::ModelError;

/// A tokenised sentence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tokens {
    pub ids: Vec<u32>,
    pub type_ids: Vec<u32>,
    /// 1 for a token, 0 for padding.
    pub mask: Vec<u32>,
    /// Whether the sentence was longer than the model's maximum and cut.
    pub truncated: bool,
}

/// A checkpoint's tokenizer, cut at `max_tokens`.
pub struct SentenceTokenizer {
    inner: Tokenizer,
    max_tokens: usize,
}

impl SentenceTokenizer {
    /// Reads `path` (`tokenizer.json`) for sequences of at most
    /// `max_tokens` tokens.
    pub fn load(path: &Path, max_tokens: usize) -> Result<SentenceTokenizer, ModelError> {
        let bad = |e: String| ModelError::Tokenizer(format!("{}: {e}", path.display()));
        let text = super::read_text(path)?;
        let mut inner: Tokenizer = text.parse().map_err(|e| bad(format!("{e}")))?;
        inner.with_padding(None);
        inner
            .with_truncation(Some(TruncationParams {
                max_length: max_tokens,
                ..TruncationParams::default()
            }))
            .map_err(|e| bad(format!("{e}")))?;
        Ok(SentenceTokenizer { inner, max_tokens })
    }

    /// The most tokens a sequence keeps.
    pub fn max_tokens(&self) -> usize {
        self.max_tokens
    }

    /// The tokens of `sentence`.
    pub fn encode(&self, sentence: &str) -> Result<Tokens, ModelError> {
        let e = self
            .inner
            .encode(sentence, true)
            .map_err(|e| ModelError::Tokenizer(format!("cannot tokenise {sentence:?}: {e}")))?;
        Ok(Tokens {
            ids: e.get_ids().to_vec(),
            type_ids: e.get_type_ids().to_vec(),
            mask: e.get_attention_mask().to_vec(),
            truncated: !e.get_overflowing().is_empty(),
        })
    }
}
