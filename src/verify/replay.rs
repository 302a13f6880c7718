//! `rf8 verify --replay A B`: one pair, with the reference's datapath
//! steps beside the design's output, to see where a mismatch comes from.

use crate::exact::exact_decimal;
use crate::formats::minifloat::{Class, MiniFloat, Rounding};
use crate::formats::rf8::mul::trace;
use crate::Rf8;
use crate::{Design, Multiplier};

/// One step: a name and what the reference computed there.
pub type Step = (&'static str, String);

/// The reference's steps for `a x b`.
pub fn steps(d: &Design, a: u32, b: u32) -> Vec<Step> {
    let m = d.reference;
    if d.name() == "rf8_mul" {
        return rf8_steps(a as u8, b as u8);
    }
    match m.minifloat() {
        Some(f) => float_steps(m, f, a, b),
        None => plain_steps(m, a, b),
    }
}

fn value(m: &dyn Multiplier, code: u32) -> String {
    exact_decimal(m.decode(code))
}

fn plain_steps(m: &dyn Multiplier, a: u32, b: u32) -> Vec<Step> {
    let y = m.mul(a, b);
    let exact = super::vectors::exact_product(m, a, b);
    vec![
        ("a", format!("{a:#04x} = {}", value(m, a))),
        ("b", format!("{b:#04x} = {}", value(m, b))),
        ("exact", exact.map_or("-".into(), exact_decimal)),
        (
            "y",
            format!("{y:#06x} = {}", exact_decimal(m.decode_output(y))),
        ),
    ]
}

fn rf8_steps(a: u8, b: u8) -> Vec<Step> {
    let t = trace(Rf8::from_bits(a), Rf8::from_bits(b));
    let yes = |v: bool| if v { "yes" } else { "no" }.to_string();
    let exp = |r: Rf8| r.exponent().map_or("-".into(), |e| e.to_string());
    let mut s = vec![
        (
            "a",
            format!(
                "{a:#04x} = {} ({})",
                exact_decimal(t.a.to_f64()),
                t.a.fields()
            ),
        ),
        (
            "b",
            format!(
                "{b:#04x} = {} ({})",
                exact_decimal(t.b.to_f64()),
                t.b.fields()
            ),
        ),
        (
            "sign",
            format!(
                "{} xor {} = {}",
                t.a.is_sign_negative() as u8,
                t.b.is_sign_negative() as u8,
                t.sign as u8
            ),
        ),
        ("zero", yes(t.zero)),
        (
            "residual",
            format!(
                "R1={} R2={} -> R={} carry={}",
                t.a.residual(),
                t.b.residual(),
                t.residual,
                t.carry as u8
            ),
        ),
    ];
    s.push((
        "exp_sum",
        if t.zero {
            "- (an operand is zero)".into()
        } else {
            format!(
                "{} + {} + {} = {}",
                exp(t.a),
                exp(t.b),
                t.carry as u8,
                t.exp_sum
            )
        },
    ));
    s.push(("saturate", yes(t.saturate)));
    s.push(("underflow", yes(t.underflow)));
    s.push(("exact", exact_decimal(t.a.to_f64() * t.b.to_f64())));
    s.push((
        "y",
        format!("{:#04x} = {}", t.y.to_bits(), exact_decimal(t.y.to_f64())),
    ));
    s
}

fn class(f: &MiniFloat, code: u32) -> String {
    let field = (code >> f.frac_bits) & ((1 << f.exp_bits) - 1);
    let frac = code & ((1 << f.frac_bits) - 1);
    let sign = code >> (f.width() - 1);
    let kind = match f.classify(code) {
        Class::Nan => "NaN",
        Class::Inf { .. } => "infinity",
        Class::Finite(x) if x.is_zero() => "zero",
        Class::Finite(_) if field == 0 => "subnormal",
        Class::Finite(_) => "normal",
    };
    format!(
        "sign {sign}, exponent field {field} (2^{}), fraction {frac:#x}: {kind}",
        field.max(1) as i32 - f.bias
    )
}

fn float_steps(m: &dyn Multiplier, f: &MiniFloat, a: u32, b: u32) -> Vec<Step> {
    let w = f.width().div_ceil(4) as usize + 2;
    let y = m.mul(a, b);
    let mut s = vec![
        (
            "a",
            format!("{a:#0w$x} = {} ({})", value(m, a), class(f, a)),
        ),
        (
            "b",
            format!("{b:#0w$x} = {} ({})", value(m, b), class(f, b)),
        ),
        (
            "sign",
            format!(
                "{} xor {} = {}",
                a >> (f.width() - 1),
                b >> (f.width() - 1),
                (a ^ b) >> (f.width() - 1)
            ),
        ),
    ];
    match (f.classify(a), f.classify(b)) {
        (Class::Finite(x), Class::Finite(z)) => {
            let p = x * z;
            s.push(("exact", exact_decimal(p.to_f64())));
            if let Some(e) = p.ilog2() {
                s.push((
                    "scale",
                    format!("2^{e} (the smallest normal is 2^{})", f.emin()),
                ));
                let down = f.to_f64(truncate(f, p.to_f64()));
                s.push((
                    "round",
                    match f.rounding {
                        Rounding::NearestEven if f.is_tie(p) => {
                            format!(
                                "a tie: to the even neighbour; toward zero would give {}",
                                exact_decimal(down)
                            )
                        }
                        Rounding::NearestEven => format!(
                            "to nearest, ties to even (toward zero would give {})",
                            exact_decimal(down)
                        ),
                        Rounding::TowardZeroFlush => {
                            "toward zero; below the smallest normal, flush to signed zero".into()
                        }
                        other => format!(
                            "{} (toward zero would give {})",
                            other.describe(),
                            exact_decimal(down)
                        ),
                    },
                ));
                if p.to_f64().abs() > f.max_finite_f64() {
                    s.push((
                        "overflow",
                        format!(
                            "above the largest finite value {}",
                            exact_decimal(f.max_finite_f64())
                        ),
                    ));
                }
            }
        }
        _ => s.push((
            "special",
            "NaN or infinity in: IEEE rules (Inf x 0 and NaN in give NaN)".into(),
        )),
    }
    s.push((
        "y",
        format!("{y:#0w$x} = {}", exact_decimal(m.decode_output(y))),
    ));
    s
}

/// The code with the largest magnitude not above `|x|`, sign kept.
fn truncate(f: &MiniFloat, x: f64) -> u32 {
    let mag = (0..=f.max_finite_mag())
        .take_while(|&c| f.to_f64(c) <= x.abs())
        .last()
        .unwrap_or(0);
    if x < 0.0 {
        mag | f.sign_mask()
    } else {
        mag
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fp16_and_rf8_steps() {
        let d = crate::by_name("fp16_mul").unwrap();
        let s = steps(d, 0x3c01, 0x3c01);
        let text: Vec<String> = s.iter().map(|(k, v)| format!("{k} {v}")).collect();
        assert!(
            text.iter().any(|l| l == "exact 1.00195407867431640625"),
            "{text:?}"
        );
        assert!(text.last().unwrap().starts_with("y 0x3c02"), "{text:?}");
        let r = steps(crate::by_name("rf8_mul").unwrap(), 0x18, 0x18);
        assert!(r.iter().any(|(k, _)| *k == "exp_sum"));
    }
}
