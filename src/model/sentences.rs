//! Sentence sets: one sentence per line. The default set,
//! `data/sentences.txt`, was written for this project (see
//! `data/README.md`): 300 English sentences on 30 topics, ten per topic,
//! with paraphrases among them, so that nearest neighbours are meaningful.

use std::path::Path;

use super::ModelError;

/// The default sentence set's text.
pub const DEFAULT_TEXT: &str = include_str!("../../data/sentences.txt");

/// Where the default set comes from, for reports.
pub const DEFAULT_SOURCE: &str =
    "data/sentences.txt: 300 English sentences on 30 topics, written for this project";

/// Largest sentences file read (16 MiB: far more text than
/// [`super::eval::MAX_SENTENCES`] sentences need).
pub const MAX_FILE_BYTES: u64 = 16 << 20;

/// The sentences of `text`: one per line, surrounding white space
/// trimmed, empty lines skipped.
pub fn parse(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// The default set.
pub fn default_set() -> Vec<String> {
    parse(DEFAULT_TEXT)
}

/// The sentences of the file at `path`: refused when it is larger than
/// [`MAX_FILE_BYTES`], not UTF-8 (naming the line) or holds no sentence.
pub fn load(path: &Path) -> Result<Vec<String>, ModelError> {
    let bad = |reason: String| ModelError::Input(format!("{}: {reason}", path.display()));
    let size = std::fs::metadata(path)
        .map_err(|e| bad(e.to_string()))?
        .len();
    if size > MAX_FILE_BYTES {
        return Err(bad(format!(
            "{} is larger than the {} a sentences file may have",
            crate::limits::human_bytes(size.into()),
            crate::limits::human_bytes(MAX_FILE_BYTES.into())
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| bad(e.to_string()))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let line = e.as_bytes()[..at].iter().filter(|&&b| b == b'\n').count() + 1;
        bad(format!("not UTF-8 text (line {line})"))
    })?;
    let sentences = parse(&text);
    if sentences.is_empty() {
        return Err(bad("no sentences (one per line expected)".into()));
    }
    Ok(sentences)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_default_set_has_300_distinct_sentences() {
        let s = super::default_set();
        assert_eq!(s.len(), 300);
        let distinct: std::collections::HashSet<&String> = s.iter().collect();
        assert_eq!(distinct.len(), 300);
    }
}
