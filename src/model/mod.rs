//! A real model through every format: a BERT-family sentence encoder
//! (all-MiniLM-L6-v2 by default) loaded from a checkpoint directory, run
//! with its Linear layers in f32, in every storage format of the
//! catalogue, and on the project's kernels, and compared at the level a
//! user sees: the sentence embeddings and their nearest neighbours
//! ([`eval`]).
//!
//! ```no_run
//! use rf8::model::{Backend, Model, ProductCounts};
//! let model = Model::load(&rf8::model::default_dir())?;
//! let encoder = model.encoder(Backend::Rf8W8a32)?;
//! let tokens = model.tokenizer.encode("hello world")?;
//! let e = encoder.embed(&tokens, &mut ProductCounts::default())?;
//! assert_eq!(e.len(), 384);
//! # Ok::<(), rf8::model::ModelError>(())
//! ```

pub mod bert;
pub mod chart;
pub mod config;
pub mod eval;
pub mod linear;
pub mod matmul;
pub mod render;
pub mod sentences;
pub mod tokenize;
pub mod w8a8;
pub mod weights;

use std::path::{Path, PathBuf};

pub use bert::Encoder;
pub use config::BertConfig;
pub use linear::{Backend, Linear};
pub use tokenize::{SentenceTokenizer, Tokens};
pub use w8a8::ProductCounts;
pub use weights::Weights;

/// Why a model could not be loaded or run.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// A file of the checkpoint is missing or unreadable.
    #[error("{path}: {reason}")]
    File { path: String, reason: String },
    /// `config.json` (or a sentence-transformers file) is malformed or
    /// describes an architecture the forward pass does not implement.
    #[error("{0}")]
    Config(String),
    /// A tensor is missing or its shape does not fit the config.
    #[error("{0}")]
    Shape(String),
    #[error(transparent)]
    Tensor(#[from] crate::tensors::TensorError),
    #[error("{0}")]
    Tokenizer(String),
    /// Input the model cannot take (bad sentences file, token ids).
    #[error("{0}")]
    Input(String),
    #[error(transparent)]
    Limit(#[from] crate::limits::LimitError),
    #[error(transparent)]
    Kernel(#[from] crate::kernel::KernelError),
}

/// A file's text, or a one-line error naming it.
pub(crate) fn read_text(path: &Path) -> Result<String, ModelError> {
    let bytes = std::fs::read(path).map_err(|e| ModelError::File {
        path: path.display().to_string(),
        reason: if e.kind() == std::io::ErrorKind::NotFound {
            "missing".into()
        } else {
            e.to_string()
        },
    })?;
    String::from_utf8(bytes).map_err(|_| ModelError::File {
        path: path.display().to_string(),
        reason: "not UTF-8 text".into(),
    })
}

/// Where `make deps` unpacks all-MiniLM-L6-v2 (as `scripts/deps.sh`
/// does): `$RF8_MODEL_DIR`, else `$XDG_CACHE_HOME/rf8/models/all-MiniLM-L6-v2`,
/// else `~/.cache/rf8/models/all-MiniLM-L6-v2`. Not under
/// `$RF8_CACHE_DIR`, the tools' cache, so that a run with an empty tool
/// cache still finds the model.
pub fn default_dir() -> PathBuf {
    let var = |k: &str| {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    if let Some(dir) = var("RF8_MODEL_DIR") {
        return dir;
    }
    let cache = var("XDG_CACHE_HOME")
        .or_else(|| var("HOME").map(|d| d.join(".cache")))
        .unwrap_or_else(|| PathBuf::from(".cache"));
    cache.join("rf8").join("models").join("all-MiniLM-L6-v2")
}

/// The three files a checkpoint directory must hold.
pub const FILES: [&str; 3] = ["config.json", "model.safetensors", "tokenizer.json"];

/// Fails unless `dir` is a directory holding the three [`FILES`].
pub fn check_dir(dir: &Path) -> Result<(), ModelError> {
    if !dir.is_dir() {
        return Err(ModelError::File {
            path: dir.display().to_string(),
            reason: "not a directory".into(),
        });
    }
    for f in FILES {
        let p = dir.join(f);
        if !p.is_file() {
            return Err(ModelError::File {
                path: p.display().to_string(),
                reason: format!("missing (a model directory holds {})", FILES.join(", ")),
            });
        }
    }
    Ok(())
}

/// A checkpoint: its config, f32 weights and tokenizer.
pub struct Model {
    pub dir: PathBuf,
    pub config: BertConfig,
    pub weights: Weights,
    pub tokenizer: SentenceTokenizer,
}

impl Model {
    /// Loads `dir` (`config.json`, `model.safetensors`, `tokenizer.json`),
    /// after checking that the weights and a quantised copy fit in memory.
    pub fn load(dir: &Path) -> Result<Model, ModelError> {
        check_dir(dir)?;
        let config = BertConfig::load(dir)?;
        let tokenizer = SentenceTokenizer::load(&dir.join("tokenizer.json"), config.max_tokens)?;
        let weights_path = dir.join("model.safetensors");
        let size = std::fs::metadata(&weights_path)
            .map(|m| m.len())
            .unwrap_or(0);
        // The f32 weights (the file's size for F32, twice it for F16/BF16),
        // one f32 copy of the Linear layers per format run and its codes.
        crate::limits::check_memory(
            &format!("the model in {}", dir.display()),
            (size as u128).checked_mul(4),
        )?;
        let weights = Weights::load(&weights_path, &config)?;
        Ok(Model {
            dir: dir.to_path_buf(),
            config,
            weights,
            tokenizer,
        })
    }

    /// The encoder with its Linear layers built by `backend`.
    pub fn encoder(&self, backend: Backend) -> Result<Encoder<'_>, ModelError> {
        Ok(Encoder::new(&self.config, &self.weights, backend)?)
    }
}
