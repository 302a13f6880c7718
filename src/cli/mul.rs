//! `rf8 mul A B`: one product, with every step of the datapath.

use clap::Args;
use rf8::exact::exact_decimal;
use rf8::formats::rf8::mul::{trace, Trace};
use serde::Serialize;

use super::to_json;
use super::{Failure, Output};
use rf8::formats::rf8::info::{parse_code, CodeInfo};

#[derive(Args)]
pub struct MulArgs {
    /// Print JSON instead of text
    #[arg(long)]
    json: bool,
    /// First operand code (0xc8, c8 or 200)
    a: String,
    /// Second operand code
    b: String,
}

#[derive(Serialize)]
struct Steps {
    a: CodeInfo,
    b: CodeInfo,
    sign: u8,
    zero: bool,
    residual: u8,
    carry: u8,
    exp_sum: Option<i8>,
    saturate: bool,
    underflow: bool,
    y: CodeInfo,
    exact_product: f64,
    relative_error: Option<f64>,
}

fn steps(t: &Trace) -> Steps {
    let exact = t.a.to_f64() * t.b.to_f64(); // <= 10 significant bits: exact
    let y = t.y.to_f64();
    Steps {
        a: CodeInfo::of(t.a),
        b: CodeInfo::of(t.b),
        sign: t.sign as u8,
        zero: t.zero,
        residual: t.residual,
        carry: t.carry as u8,
        exp_sum: (!t.zero).then_some(t.exp_sum),
        saturate: t.saturate,
        underflow: t.underflow,
        y: CodeInfo::of(t.y),
        exact_product: exact,
        relative_error: (exact != 0.0).then(|| ((y - exact) / exact).abs()),
    }
}

fn text(t: &Trace, s: &Steps) -> String {
    let yes = |b: bool| if b { "yes" } else { "no" };
    let ea = t.a.exponent().map_or("-".into(), |e| e.to_string());
    let eb = t.b.exponent().map_or("-".into(), |e| e.to_string());
    let mut out = String::new();
    out += &format!("a         {}\n", s.a.line());
    out += &format!("b         {}\n", s.b.line());
    out += &format!("sign      {} xor {} = {}\n", s.a.sign, s.b.sign, s.sign);
    out += &format!("zero      {}\n", yes(t.zero));
    out += &format!(
        "residual  R1={} R2={} -> R={} carry={}\n",
        s.a.residual, s.b.residual, t.residual, s.carry
    );
    if t.zero {
        out += "exp_sum   - (an operand is zero)\n";
    } else {
        out += &format!("exp_sum   {ea} + {eb} + {} = {}\n", s.carry, t.exp_sum);
    }
    out += &format!("saturate  {}\n", yes(t.saturate));
    out += &format!("underflow {}\n", yes(t.underflow));
    out += &format!("y         {}\n", s.y.line());
    out += &format!("exact     {}\n", exact_decimal(s.exact_product));
    if let Some(err) = s.relative_error {
        out += &format!("rel.err   {:.4}%\n", 100.0 * err);
    }
    out
}

pub fn run(args: &MulArgs) -> Result<Output, Failure> {
    let code = |t: &str| parse_code(t).map_err(Failure::usage);
    let t = trace(code(&args.a)?, code(&args.b)?);
    let s = steps(&t);
    if args.json {
        return to_json(&s).map(Output::from);
    }
    Ok(text(&t, &s).into())
}
