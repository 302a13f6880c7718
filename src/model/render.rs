//! The evaluation as people read it: an aligned text table, Markdown,
//! CSV, the notes that say what the table does not, and the paragraph
//! that sets the result beside the paper's model-level claim.

use super::eval::{Evaluation, Row};
use crate::table::{fixed, Table};

impl Evaluation {
    /// The table's cells: one row per backend, the figures as printed.
    pub fn table(&self) -> Table {
        let recall = format!("recall@{}", self.neighbours);
        let mut t = Table::new(&[
            "format",
            "bits",
            "cos mean",
            "cos min",
            &recall,
            "top-1",
            "SQNR dB",
            "ms/sentence",
        ]);
        for r in &self.rows {
            t.push(vec![
                r.format.to_string(),
                format!("{:.2}", r.bits_per_value),
                format!("{:.5}", r.cos_mean),
                format!("{:.5}", r.cos_min),
                format!("{:.3}", r.recall_at_10),
                format!("{:.3}", r.top1),
                fixed(r.sqnr_db, 1),
                format!("{:.2}", r.ms_per_sentence),
            ]);
        }
        t
    }

    /// The table as aligned text, under a line naming what it ran on, with
    /// the notes below it.
    pub fn text(&self) -> String {
        let mut out = format!(
            "{} sentences ({} tokens), {}; {} threads, {} ({})\n\n{}\n",
            self.sentences,
            self.tokens,
            self.model,
            self.threads,
            self.cpu,
            self.isa,
            self.table().text()
        );
        for n in self.notes() {
            out += &format!("{n}\n");
        }
        out
    }

    /// What the table does not say by itself: what stayed f32, how W8A8
    /// scaled its activations and what its products did, truncation, and
    /// how closely each kernel row matches its storage row.
    pub fn notes(&self) -> Vec<String> {
        let mut notes = vec![format!(
            "Linear layers ({} weights) in each format; embeddings, layer norms, attention and biases stay f32. \
             SQNR is of the Linear weights; bits per weight include shared scales.",
            self.linear_params
        )];
        if self.truncated > 0 {
            notes.push(format!(
                "{} sentence(s) longer than {} tokens were cut to {} (as sentence-transformers does).",
                self.truncated, self.max_tokens, self.max_tokens
            ));
        }
        for r in &self.rows {
            if let Some(p) = &r.products {
                let pct = |a: u64, b: u64| 100.0 * a as f64 / b.max(1) as f64;
                notes.push(format!(
                    "{}: activations stored as RF8 (truncate) with one power-of-two scale per vector entering a Linear, \
                     chosen so that the largest possible product stays below 2^16; of {} products {:.4}% saturated \
                     and {:.4}% flushed to zero; {:.4}% of non-zero activations flushed.",
                    r.format,
                    p.products,
                    pct(p.saturated, p.products),
                    pct(p.flushed, p.products),
                    pct(p.activations_flushed, p.activations)
                ));
            }
            if let Some(a) = &r.agrees_with {
                notes.push(format!(
                    "{} against {} (same weights, another summation order): smallest cosine {:.7}.",
                    r.format, a.format, a.cos_min
                ));
            }
        }
        notes
    }
}

impl Evaluation {
    /// The row of `format`, if it ran.
    pub fn row(&self, format: &str) -> Option<&Row> {
        self.rows.iter().find(|r| r.format == format)
    }

    /// One paragraph that sets the result beside the paper's Table 7
    /// (RF8 keeps 92-99% of FP16's accuracy on conventionally trained
    /// generative models, FP8 falls to 26-34%), worded from the figures,
    /// whichever way they come out. Empty when RF8 or E4M3 did not run.
    pub fn against_paper(&self) -> String {
        let (Some(rf8), Some(fp8)) = (self.row("rf8-truncate"), self.row("e4m3")) else {
            return String::new();
        };
        let k = self.neighbours;
        let fig = |r: &Row| {
            format!(
                "recall@{k} {:.3}, top-1 {:.3}, cosine to f32 {:.4} (min {:.4})",
                r.recall_at_10, r.top1, r.cos_mean, r.cos_min
            )
        };
        let mut out = format!(
            "**Against the paper.** Its Table 7 (as issue 28 summarises it) reports that on conventionally trained generative \
             models RF8 keeps 92-99% of FP16's accuracy while FP8 falls to 26-34%. Here, on {} \
             sentences through this model with only the Linear weights quantised: RF8 with the \
             paper's truncating rule keeps {}; FP8 E4M3 with no scale at all keeps {}. ",
            self.sentences,
            fig(rf8),
            fig(fp8)
        );
        out += if fp8.recall_at_10 < 0.5 {
            "FP8 collapses here too, as the paper reports. "
        } else {
            "FP8 does not collapse on this model. "
        };
        out += if rf8.recall_at_10 < fp8.recall_at_10 {
            "RF8 loses more than FP8 E4M3 at the same 8 bits: the paper's ordering is reversed. "
        } else {
            "RF8 loses less than FP8 E4M3 at the same 8 bits, the paper's ordering. "
        };
        let beside = |name: &str, label: &str| {
            self.row(name).map(|r| {
                format!(
                    "{label} ({:.2} bits) {:.3}",
                    r.bits_per_value, r.recall_at_10
                )
            })
        };
        let others: Vec<String> = [
            beside("int8", "INT8 with a scale per row"),
            beside("mxfp8", "MXFP8"),
            beside("mxfp4", "MXFP4"),
            beside("rf8-nearest", "RF8 rounded to nearest"),
        ]
        .into_iter()
        .flatten()
        .collect();
        if !others.is_empty() {
            out += &format!("Recall@{k} beside it: {}. ", others.join(", "));
        }
        if let Some(w8a8) = self.row("rf8_w8a8_exact") {
            out += &format!(
                "With the activations in RF8 as well and every product the hardware \
                 multiplier's (the FPGA datapath, `rf8_w8a8_exact`), recall@{k} is {:.3} and the \
                 cosine {:.4} (min {:.4}). ",
                w8a8.recall_at_10, w8a8.cos_mean, w8a8.cos_min
            );
            if let (Some(full), Some(w8a32)) =
                (self.row("rf8_w8a8_full_products"), self.row("rf8_w8a32"))
            {
                out += &format!(
                    "Keeping each product whole (`rf8_w8a8_full_products`, as an exact multiplier \
                     would) gives cosine {:.4}: storing the activations as RF8 takes the cosine \
                     from {:.4} (`rf8_w8a32`) to {:.4}, the multiplier's truncation to its two \
                     leading bits from {:.4} to {:.4}. ",
                    full.cos_mean, w8a32.cos_mean, full.cos_mean, full.cos_mean, w8a8.cos_mean
                );
            }
            if let Some(nearest) = self.row("rf8-nearest") {
                out += &format!(
                    "Every RF8 step here truncates, always toward zero (a product keeps its two \
                     leading bits: up to 20% and on average about 8% below the exact one), so \
                     the errors add up instead of cancelling; rounding the weights to nearest \
                     instead (`rf8-nearest`, unbiased) gives cosine {:.4} against {:.4}. ",
                    nearest.cos_mean, rf8.cos_mean
                );
            }
        }
        out += "The comparison is not like for like: the paper measures task accuracy of \
                generative LLMs, this measures how far a sentence encoder's embeddings and \
                neighbours move; a model whose weights were trained for RF8 (the paper's GGD \
                prior) may behave differently from this conventionally trained one.";
        out
    }
}
