//! `rf8 eval`: a real model through every format and the RF8 kernels.

use std::path::PathBuf;

use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use rf8::model::eval::evaluate;
use rf8::model::{sentences, Backend, Model};

use super::{Failure, Output};

#[derive(Args)]
pub struct EvalArgs {
    /// A BERT-family checkpoint directory (config.json, model.safetensors,
    /// tokenizer.json) [default: all-MiniLM-L6-v2 as `make deps` caches it]
    #[arg(long, value_name = "DIR")]
    model: Option<PathBuf>,
    /// Sentences, one per line [default: the 300 of data/sentences.txt]
    #[arg(long, value_name = "FILE")]
    sentences: Option<PathBuf>,
    /// Comma-separated formats and kernels [default: all]; f32, the
    /// reference, always runs
    #[arg(long, value_name = "LIST", value_delimiter = ',')]
    formats: Vec<String>,
    /// Print JSON instead of the table
    #[arg(long)]
    json: bool,
}

/// The backends named in `names` (all when empty), in the order given.
pub fn backends(names: &[String]) -> Result<Vec<Backend>, Failure> {
    if names.is_empty() {
        return Ok(Backend::all());
    }
    names
        .iter()
        .map(|n| Backend::by_name(n.trim()).map_err(|e| Failure::usage(format!("--formats: {e}"))))
        .collect()
}

/// The model directory asked for, or the cached default, checked to exist.
pub fn model_dir(model: Option<&PathBuf>) -> Result<PathBuf, Failure> {
    match model {
        Some(d) => Ok(d.clone()),
        None => {
            let d = rf8::model::default_dir();
            if d.is_dir() {
                Ok(d)
            } else {
                Err(Failure::usage(format!(
                    "no --model given and all-MiniLM-L6-v2 is not in the cache ({}): run 'make deps' or pass --model DIR",
                    d.display()
                )))
            }
        }
    }
}

fn bar() -> ProgressBar {
    if !std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        return ProgressBar::hidden();
    }
    let b = ProgressBar::new(0);
    b.set_style(
        ProgressStyle::with_template(
            "eval: {prefix:>16} {bar:30} {pos}/{len} sentences [{elapsed}]",
        )
        .expect("template"),
    );
    b
}

pub fn run(args: &EvalArgs) -> Result<Output, Failure> {
    let backends = backends(&args.formats)?;
    let dir = model_dir(args.model.as_ref())?;
    let sentences = match &args.sentences {
        Some(p) => sentences::load(p).map_err(|e| Failure::usage(e.to_string()))?,
        None => sentences::default_set(),
    };
    let model = Model::load(&dir).map_err(|e| Failure::usage(e.to_string()))?;
    let b = bar();
    let progress = |name: &str, done: usize, total: usize| {
        if done == 0 {
            b.set_prefix(name.to_string());
            b.set_length(total as u64);
        }
        b.set_position(done as u64);
    };
    let result = evaluate(&model, &sentences, &backends, &progress);
    b.finish_and_clear();
    let e = result.map_err(|e| Failure::usage(e.to_string()))?;
    if args.json {
        return Ok(format!("{}\n", serde_json::to_string_pretty(&e).unwrap_or_default()).into());
    }
    Ok(e.text().into())
}
