//! OCP FP8 references, all 65,536 pairs each, against an independent exact
//! computation: operands decoded by formula into integers scaled by 2^20,
//! products as exact integers scaled by 2^40, and the result found by
//! scanning every code for the nearest value (ties to the even code).
//! Nothing here uses the library's decoder or rounding.

use rf8::by_name;

/// An FP8 format as the OCP specification describes it.
struct Fp8 {
    name: &'static str,
    exp_bits: u32,
    bias: i32,
    /// E4M3 has no Inf: only S.1111.111 is NaN.
    ieee_specials: bool,
}

const E4M3: Fp8 = Fp8 {
    name: "fp8_e4m3_mul",
    exp_bits: 4,
    bias: 7,
    ieee_specials: false,
};
const E5M2: Fp8 = Fp8 {
    name: "fp8_e5m2_mul",
    exp_bits: 5,
    bias: 15,
    ieee_specials: true,
};

#[derive(Clone, Copy, PartialEq, Debug)]
enum Val {
    /// `|value| * 2^20` (exact integer) and sign.
    Num(i128, bool),
    Inf(bool),
    Nan,
}

impl Fp8 {
    fn man_bits(&self) -> u32 {
        7 - self.exp_bits
    }

    fn decode(&self, c: u32) -> Val {
        let neg = c & 0x80 != 0;
        let m = self.man_bits();
        let e = (c >> m) & ((1 << self.exp_bits) - 1);
        let f = (c & ((1 << m) - 1)) as i128;
        let e_max = (1 << self.exp_bits) - 1;
        if self.ieee_specials && e == e_max {
            return if f == 0 { Val::Inf(neg) } else { Val::Nan };
        }
        if !self.ieee_specials && e == e_max && f == (1 << m) - 1 {
            return Val::Nan;
        }
        // value = significand * 2^(E - m) with E = max(e, 1) - bias.
        let significand = if e == 0 { f } else { f + (1 << m) };
        let shift = e.max(1) as i32 - self.bias - m as i32 + 20;
        Val::Num(significand << shift, neg)
    }

    /// Positive finite codes, plus the first code past the largest finite
    /// value (the value an unbounded exponent would reach: 480 for E4M3,
    /// 2^16 for E5M2). Rounding to it means overflow.
    fn candidates(&self) -> Vec<(i128, u32)> {
        let mut v: Vec<(i128, u32)> = (0..0x80)
            .filter_map(|c| match self.decode(c) {
                Val::Num(x, _) => Some((x << 20, c)),
                _ => None,
            })
            .collect();
        let (last, code) = *v.last().unwrap();
        let (prev, _) = v[v.len() - 2];
        v.push((last + (last - prev), code + 1));
        v
    }

    fn expected(&self, a: u32, b: u32, cands: &[(i128, u32)]) -> u32 {
        let nan = if self.ieee_specials { 0x7E } else { 0x7F };
        let (x, y) = (self.decode(a), self.decode(b));
        let (mag, neg) = match (x, y) {
            (Val::Nan, _) | (_, Val::Nan) => return nan,
            (Val::Inf(_), Val::Num(0, _)) | (Val::Num(0, _), Val::Inf(_)) => return nan,
            (Val::Inf(p), Val::Inf(q))
            | (Val::Inf(p), Val::Num(_, q))
            | (Val::Num(_, q), Val::Inf(p)) => return ((p ^ q) as u32) << 7 | 0x7C,
            (Val::Num(p, s), Val::Num(q, t)) => (p * q, s ^ t),
        };
        let mut best: Option<(i128, u32)> = None;
        for &(v, code) in cands {
            let d = (mag - v).abs();
            best = match best {
                Some((bd, bc)) if bd < d || (bd == d && bc & 1 == 0) => Some((bd, bc)),
                _ => Some((d, code)),
            };
        }
        let code = best.unwrap().1;
        let overflow = code == cands.last().unwrap().1;
        match (overflow, self.ieee_specials) {
            (true, false) => nan,
            _ => (neg as u32) << 7 | code,
        }
    }
}

fn exhaustive(f: &Fp8) -> u64 {
    let m = by_name(f.name).unwrap();
    let cands = f.candidates();
    let mut checked = 0;
    for a in 0..256 {
        for b in 0..256 {
            let want = f.expected(a, b, &cands);
            assert_eq!(m.mul(a, b), want, "{} {a:#04x} * {b:#04x}", f.name);
            checked += 1;
        }
    }
    checked
}

#[test]
fn e4m3_exhaustive_against_exact_rationals() {
    assert_eq!(E4M3.decode(0x7E), Val::Num(448 << 20, false));
    assert_eq!(E4M3.candidates().last().unwrap(), &(480i128 << 40, 0x7F));
    assert_eq!(exhaustive(&E4M3), 65_536);
}

#[test]
fn e5m2_exhaustive_against_exact_rationals() {
    assert_eq!(E5M2.decode(0x7B), Val::Num(57344 << 20, false));
    assert_eq!(E5M2.candidates().last().unwrap(), &(65536i128 << 40, 0x7C));
    assert_eq!(exhaustive(&E5M2), 65_536);
}

/// The trait's decoder agrees with the formula for every code.
#[test]
fn fp8_decoders_agree() {
    for f in [E4M3, E5M2] {
        let m = by_name(f.name).unwrap();
        for c in 0..256 {
            let got = m.decode(c);
            match f.decode(c) {
                Val::Nan => assert!(got.is_nan()),
                Val::Inf(neg) => assert_eq!(
                    got,
                    if neg {
                        f64::NEG_INFINITY
                    } else {
                        f64::INFINITY
                    }
                ),
                Val::Num(x, neg) => {
                    let v = x as f64 / 2f64.powi(20);
                    assert_eq!(
                        got.to_bits(),
                        if neg { -v } else { v }.to_bits(),
                        "{} {c:#04x}",
                        f.name
                    );
                }
            }
        }
    }
}
