//! `rf8 table decode|mul`: the whole format and the whole multiplier as text.

use clap::{Args, ValueEnum};
use rf8::exact::exact_decimal;
use rf8::Rf8;

use super::{Failure, Output};

#[derive(Clone, Copy, ValueEnum)]
pub enum Which {
    /// 256 lines: `<hex code> <exact value>`
    Decode,
    /// 256 lines of 256 product codes: line a holds mul(a, b) for b = 0..255
    Mul,
}

#[derive(Args)]
pub struct TableArgs {
    /// Which table
    #[arg(value_enum)]
    which: Which,
}

/// `00 1.5` ... `ff -0.0000324249267578125`
pub fn decode_table() -> String {
    Rf8::all()
        .map(|x| format!("{:02x} {}\n", x.to_bits(), exact_decimal(x.to_f64())))
        .collect()
}

/// The product table, one line per first operand.
pub fn mul_table() -> String {
    let mut out = String::with_capacity(256 * 768);
    for a in Rf8::all() {
        let line: Vec<String> = Rf8::all()
            .map(|b| format!("{:02x}", (a * b).to_bits()))
            .collect();
        out.push_str(&line.join(" "));
        out.push('\n');
    }
    out
}

pub fn run(args: &TableArgs) -> Result<Output, Failure> {
    Ok(match args.which {
        Which::Decode => decode_table(),
        Which::Mul => mul_table(),
    }
    .into())
}
