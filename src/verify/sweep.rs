//! The exhaustive sweep: every pair of a 16-bit design, row by row, in
//! the compiled harness.

use super::*;

/// All 2^32 pairs of a 16-bit design: two harness processes sweep half the
/// rows each; two threads compare their output with the reference rows.
///
/// Each worker takes a row `a` with the sign bit clear together with the
/// row `-a`. The reference row of `-a` is derived from the row of `a` by
/// the reference's sign symmetry (`mul(-a, b)` is `mul(a, b)` with the sign
/// flipped, or the canonical NaN code where that is the result), which
/// halves the reference's share of the work; `tests/verify.rs` checks that
/// symmetry for every design on the full catalogue and 10^6 random pairs.
pub(super) fn sweep_all(
    judge: &Judge,
    model: &VerilatorModel,
    progress: bool,
    max: usize,
) -> Result<Tally, SimError> {
    let m = judge.multiplier();
    let rows = 1u32 << 16;
    let bar = if progress {
        ProgressBar::new(rows as u64)
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} rows, {per_sec}, ETA {eta}")
            .expect("valid template")
            .progress_chars("=> "),
    );
    bar.set_message(format!("{} exhaustive", m.name()));
    let quarter = rows / 4;
    let halves = [(0, quarter), (quarter, 2 * quarter)];
    let results: Vec<Result<Tally, SimError>> = std::thread::scope(|s| {
        let handles: Vec<_> = halves
            .iter()
            .map(|&(a0, a1)| {
                let bar = &bar;
                s.spawn(move || sweep_rows(judge, model, a0, a1, bar, max))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(SimError::Run("sweep thread panicked".into())))
            })
            .collect()
    });
    bar.finish_and_clear();
    let mut total = Tally::default();
    for r in results {
        total = total.merge(r?, max);
    }
    Ok(total)
}

pub(super) fn sweep_rows(
    judge: &Judge,
    model: &VerilatorModel,
    a0: u32,
    a1: u32,
    bar: &ProgressBar,
    max: usize,
) -> Result<Tally, SimError> {
    let m = judge.multiplier();
    let sign = 1u32 << (m.width() - 1);
    let nan = m.nan_code();
    let mut child = model.sweep(a0, a1, sign)?;
    let mut stdout =
        std::io::BufReader::with_capacity(1 << 20, child.run.child.stdout.take().expect("piped"));
    let result = (|| -> std::io::Result<Tally> {
        let n = 1usize << model.width();
        let (mut got, mut want) = (vec![0u16; n], vec![0u16; n]);
        let mut bytes = Vec::with_capacity(2 * n);
        let mut tally = Tally::default();
        for a in a0..a1 {
            m.row(a, &mut want);
            for row in [a, a | sign] {
                if row != a {
                    negate_row(&mut want, sign as u16, nan);
                }
                read_u16s_into(&mut stdout, &mut bytes, &mut got)?;
                if got != want {
                    for (b, (&g, &w)) in got.iter().zip(&want).enumerate() {
                        if g != w && !judge.accepts(w as u32, g as u32) {
                            tally.add(judge, row, b as u32, g as u32, w as u32, max);
                        }
                    }
                }
                bar.inc(1);
            }
        }
        let mut rest = Vec::new();
        stdout.read_to_end(&mut rest)?;
        Ok(tally)
    })();
    finish(child, result).map_err(|e| crate::sim::verilator::unsettled_pairs(e, &[]))
}

/// The reference row of `-a` from the row of `a`: every code's sign
/// flipped, except the canonical NaN code.
pub fn negate_row(row: &mut [u16], sign: u16, nan: Option<u32>) {
    let nan = nan.map(|c| c as u16);
    for y in row.iter_mut() {
        if Some(*y) != nan {
            *y ^= sign;
        }
    }
}
