//! `rf8 report`: the project's main job. For now it prints the value table
//! and runs the exhaustive property check of the RF8 multiplier; later steps
//! (RTL, verification, area, error, kernel) add their sections.

use clap::Args;
use rf8::check::rf8_mul_property;
use rf8::exact::exact_decimal;
use rf8::Rf8;

use super::{Failure, Output};

#[derive(Args)]
pub struct ReportArgs {}

/// The 256 values as a 16 x 16 grid: row = high nibble, column = low nibble.
fn value_grid() -> String {
    let cells: Vec<String> = Rf8::all().map(|x| format!("{}", x.to_f64())).collect();
    let width = cells.iter().map(String::len).max().unwrap_or(1);
    let mut out = format!(
        "RF8 values (row = high nibble, column = low nibble)\n{:>4}",
        ""
    );
    for col in 0..16 {
        out += &format!(" {:>width$}", format!("x{col:x}"));
    }
    out.push('\n');
    for row in 0..16 {
        out += &format!("{row:x}x  ");
        for col in 0..16 {
            out += &format!(" {:>width$}", cells[row * 16 + col]);
        }
        out.push('\n');
    }
    out
}

pub fn run(_args: &ReportArgs) -> Result<Output, Failure> {
    let mut text = value_grid();
    text += &format!(
        "range: MAX {} = {}, MIN_POSITIVE {} = {}\n\n",
        Rf8::MAX,
        format_args!("{:#04x}", Rf8::MAX.to_bits()),
        exact_decimal(Rf8::MIN_POSITIVE.to_f64()),
        format_args!("{:#04x}", Rf8::MIN_POSITIVE.to_bits()),
    );
    let p = rf8_mul_property();
    let verdict = if p.mismatches == 0 { "PASS" } else { "FAIL" };
    text += &format!(
        "{verdict}: rf8_mul == encode_truncate(decode(a) * decode(b)) on {}/{} pairs; \
         relative error over {} in-range pairs: max {:.2}%, mean {:.2}%\n",
        p.pairs - p.mismatches,
        p.pairs,
        p.in_range,
        100.0 * p.max_rel_error,
        100.0 * p.mean_rel_error,
    );
    if let Some((a, b)) = p.first_mismatch {
        text += &format!(
            "first mismatch: a = {a:#04x}, b = {b:#04x} (see 'rf8 mul {a:#04x} {b:#04x}')\n"
        );
    }
    Ok(Output {
        text,
        code: if p.mismatches == 0 { 0 } else { 1 },
    })
}
