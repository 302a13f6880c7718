//! The report's appendix: every RF8 value, by exponent and residual.

use crate::exact::exact_decimal;
use crate::Rf8;

/// The positive values by exponent (rows) and residual (columns); negative
/// codes set bit 7, zero is `0x40` / `0xc0`.
pub fn value_grid() -> String {
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
