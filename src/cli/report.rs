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

/// The positive values by exponent (rows) and residual (columns); negative
/// codes set bit 7, zero is `0x40` / `0xc0`.
fn value_grid() -> String {
    let mut out = String::from("RF8 values (negative: code | 0x80; zero: 0x40, 0xc0)\n");
    out += &format!("{:>4}", "e");
    for r in 0..4u8 {
        let m = 1.0 + 0.5f64.powi(r as i32 + 1);
        out += &format!("  {:<29}", format!("R={r} (x{m})"));
    }
    out = out.trim_end().to_string();
    out.push('\n');
    for e in (Rf8::MIN_EXP..=Rf8::MAX_EXP).rev() {
        out += &format!("{e:>4}");
        for r in 0..4u8 {
            if let Some(x) = Rf8::from_parts(false, e, r) {
                let cell = format!("{:#04x} {}", x.to_bits(), exact_decimal(x.to_f64()));
                out += &format!("  {cell:<29}");
            }
        }
        out = out.trim_end().to_string();
        out.push('\n');
    }
    out
}

pub fn run(_args: &ReportArgs) -> Result<Output, Failure> {
    let mut text = value_grid();
    text += &format!(
        "range: MAX {:#04x} = {}, MIN_POSITIVE {:#04x} = {}\n\n",
        Rf8::MAX.to_bits(),
        Rf8::MAX,
        Rf8::MIN_POSITIVE.to_bits(),
        Rf8::MIN_POSITIVE,
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
