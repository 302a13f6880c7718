//! The IEEE-style baseline multipliers (`fp16_mul`, `bf16_mul`,
//! `fp8_e4m3_mul`, `fp8_e5m2_mul`) in rust-hdl, beside their reference in
//! `src/formats/minifloat/`. One macro describes the datapath; each format
//! instantiates it with its widths, and its constants come from the same
//! [`MiniFloat`](crate::formats::minifloat::MiniFloat) description the
//! reference uses.
//!
//! Steps, as in the reference (and as Berkeley HardFloat splits them):
//!
//! 1. decode: `a_exp`, `a_frac`, the classes `a_zero`, `a_inf`, `a_nan`,
//!    the significand `a_sig` (hidden bit from `a_exp != 0`) and the
//!    effective exponent `a_exp_eff` (1 for subnormals);
//!    and the product's `sign` (later steps never read `a`, `b` again);
//! 2. raw product: `prod` (significand product, `2F+2` bits) and
//!    `exp_top`, the biased exponent if `prod`'s top bit is set;
//! 3. normalise: a logarithmic left shifter (stages of 16, 8, 4, 2, 1
//!    bits) that stops at the smallest normal exponent, or a right shift
//!    (`tiny`) with a `sticky_shift` bit when the result is subnormal;
//! 4. round: `kept`, `guard`, `sticky`, `round_up` (nearest, ties to even),
//!    `mag` = `((exp_n - 1) << F) + kept + round_up`: a rounding carry
//!    flows into the exponent field; `overflow` when `mag` is past the
//!    largest finite value;
//! 5. specials: NaN, Inf, zero and overflow override `mag`; the sign is
//!    applied last.
//!
//! Internal widths (the macro's arguments) are fixed per format because
//! Rust cannot compute `2 * F + 2` in a const generic: `p` = product width,
//! `ph` = 32 - `p` (the product is formed by rust-hdl's 16 x 16 multiplier,
//! its top bits are always zero), `x` = exponent arithmetic width (two's
//! complement), `xm` = `x` - 1.

use rust_hdl::prelude::*;

use super::konst;

use crate::formats::baselines;
use crate::formats::minifloat::{MiniFloat, Rounding, Specials};

/// True when the macro's widths describe `fmt` and `fmt` is one this
/// datapath implements (round to nearest even with subnormals; IEEE
/// specials or E4M3's single NaN): any other format, such as one without
/// specials, fails to compile instead of being built as something else.
pub const fn fits(fmt: &MiniFloat, w: usize, e: usize, f: usize, p: usize) -> bool {
    matches!(fmt.specials, Specials::Ieee | Specials::FiniteNan)
        && matches!(fmt.rounding, Rounding::NearestEven)
        && fmt.exp_bits as usize == e
        && fmt.frac_bits as usize == f
        && w == 1 + e + f
        && p == 2 * f + 2
        && p <= 32
}

/// Constants every instance derives from its format description.
struct Consts {
    bias_adj: i64,
    has_inf: bool,
    nan_code: i64,
    inf_mag: i64,
    max_mag: i64,
    sign_mask: i64,
}

fn consts(fmt: &MiniFloat) -> Consts {
    Consts {
        bias_adj: 1 - fmt.bias as i64,
        has_inf: fmt.specials == Specials::Ieee,
        nan_code: fmt.nan_code.unwrap_or(0) as i64,
        inf_mag: fmt.max_finite_mag() as i64 + 1,
        max_mag: fmt.max_finite_mag() as i64,
        sign_mask: fmt.sign_mask() as i64,
    }
}

macro_rules! minifloat_mul_design {
    (
        $(#[$doc:meta])*
        $name:ident, $fmt:path,
        w: $w:tt, e: $e:tt, f: $f:tt, fw: $fw:tt, p: $p:tt, ph: $ph:tt, x: $x:tt, xm: $xm:tt,
        stages: [$(($pn:ident, $pe:ident => $sn:ident, $se:ident, $lim:ident, $kc:ident, $k:tt)),*],
        last: ($ln:ident, $le:ident)
    ) => {
        const _: () = assert!(fits(&$fmt, $w, $e, $f, $p), "widths do not fit the format");

        $(#[$doc])*
        #[derive(LogicBlock)]
        pub struct $name {
            /// First operand.
            pub a: Signal<In, Bits<$w>>,
            /// Second operand.
            pub b: Signal<In, Bits<$w>>,
            /// Product.
            pub y: Signal<Out, Bits<$w>>,
            // Step 1: decode.
            a_exp: Signal<Local, Bits<$e>>,
            b_exp: Signal<Local, Bits<$e>>,
            a_frac: Signal<Local, Bits<$f>>,
            b_frac: Signal<Local, Bits<$f>>,
            a_exp_zero: Signal<Local, Bit>,
            b_exp_zero: Signal<Local, Bit>,
            a_exp_ones: Signal<Local, Bit>,
            b_exp_ones: Signal<Local, Bit>,
            a_zero: Signal<Local, Bit>,
            b_zero: Signal<Local, Bit>,
            a_inf: Signal<Local, Bit>,
            b_inf: Signal<Local, Bit>,
            a_nan: Signal<Local, Bit>,
            b_nan: Signal<Local, Bit>,
            a_sig: Signal<Local, Bits<16>>,
            b_sig: Signal<Local, Bits<16>>,
            a_exp_eff: Signal<Local, Bits<$x>>,
            b_exp_eff: Signal<Local, Bits<$x>>,
            sign: Signal<Local, Bit>,
            // Step 2: raw product.
            prod_full: Signal<Local, Bits<32>>,
            prod: Signal<Local, Bits<$p>>,
            unused_prod_hi: Signal<Local, Bits<$ph>>,
            exp_top: Signal<Local, Bits<$x>>,
            // Step 3: normalise.
            $($sn: Signal<Local, Bits<$p>>, $se: Signal<Local, Bits<$x>>,)*
            tiny: Signal<Local, Bit>,
            shift_right: Signal<Local, Bits<$x>>,
            shifted: Signal<Local, Bits<$p>>,
            sticky_shift: Signal<Local, Bit>,
            norm: Signal<Local, Bits<$p>>,
            exp_n: Signal<Local, Bits<$x>>,
            // Step 4: round.
            kept: Signal<Local, Bits<$fw>>,
            guard: Signal<Local, Bit>,
            rest: Signal<Local, Bits<$f>>,
            sticky: Signal<Local, Bit>,
            round_up: Signal<Local, Bit>,
            exp_field: Signal<Local, Bits<$x>>,
            mag: Signal<Local, Bits<$w>>,
            overflow: Signal<Local, Bit>,
            // Step 5: specials and sign.
            is_nan: Signal<Local, Bit>,
            magnitude: Signal<Local, Bits<$w>>,
            // Constants.
            exp_zero_e: Constant<Bits<$e>>,
            exp_ones_e: Constant<Bits<$e>>,
            frac_zero: Constant<Bits<$f>>,
            frac_ones: Constant<Bits<$f>>,
            sig_hidden: Constant<Bits<16>>,
            x_zero: Constant<Bits<$x>>,
            x_one: Constant<Bits<$x>>,
            x_bias_adj: Constant<Bits<$x>>,
            x_prod_width: Constant<Bits<$x>>,
            p_zero: Constant<Bits<$p>>,
            p_ones: Constant<Bits<$p>>,
            $($lim: Constant<Bits<$p>>, $kc: Constant<Bits<$x>>,)*
            frac_shift: Constant<Bits<$w>>,
            has_inf: Constant<Bit>,
            overflow_is_nan: Constant<Bit>,
            nan_code: Constant<Bits<$w>>,
            inf_mag: Constant<Bits<$w>>,
            max_mag: Constant<Bits<$w>>,
            sign_mask: Constant<Bits<$w>>,
            w_zero: Constant<Bits<$w>>,
        }

        impl Default for $name {
            fn default() -> Self {
                let c = consts(&$fmt);
                $name {
                    a: Default::default(),
                    b: Default::default(),
                    y: Default::default(),
                    a_exp: Default::default(),
                    b_exp: Default::default(),
                    a_frac: Default::default(),
                    b_frac: Default::default(),
                    a_exp_zero: Default::default(),
                    b_exp_zero: Default::default(),
                    a_exp_ones: Default::default(),
                    b_exp_ones: Default::default(),
                    a_zero: Default::default(),
                    b_zero: Default::default(),
                    a_inf: Default::default(),
                    b_inf: Default::default(),
                    a_nan: Default::default(),
                    b_nan: Default::default(),
                    a_sig: Default::default(),
                    b_sig: Default::default(),
                    a_exp_eff: Default::default(),
                    b_exp_eff: Default::default(),
                    sign: Default::default(),
                    prod_full: Default::default(),
                    prod: Default::default(),
                    unused_prod_hi: Default::default(),
                    exp_top: Default::default(),
                    $($sn: Default::default(), $se: Default::default(),)*
                    tiny: Default::default(),
                    shift_right: Default::default(),
                    shifted: Default::default(),
                    sticky_shift: Default::default(),
                    norm: Default::default(),
                    exp_n: Default::default(),
                    kept: Default::default(),
                    guard: Default::default(),
                    rest: Default::default(),
                    sticky: Default::default(),
                    round_up: Default::default(),
                    exp_field: Default::default(),
                    mag: Default::default(),
                    overflow: Default::default(),
                    is_nan: Default::default(),
                    magnitude: Default::default(),
                    exp_zero_e: konst(0),
                    exp_ones_e: konst((1 << $e) - 1),
                    frac_zero: konst(0),
                    frac_ones: konst((1 << $f) - 1),
                    sig_hidden: konst(1 << $f),
                    x_zero: konst(0),
                    x_one: konst(1),
                    x_bias_adj: konst(c.bias_adj),
                    x_prod_width: konst($p),
                    p_zero: konst(0),
                    p_ones: konst((1i64 << $p) - 1),
                    $($lim: konst(1i64 << ($p - $k)), $kc: konst($k),)*
                    frac_shift: konst($f),
                    has_inf: Constant::new(c.has_inf),
                    overflow_is_nan: Constant::new(!c.has_inf),
                    nan_code: konst(c.nan_code),
                    inf_mag: konst(c.inf_mag),
                    max_mag: konst(c.max_mag),
                    sign_mask: konst(c.sign_mask),
                    w_zero: konst(0),
                }
            }
        }

        impl Logic for $name {
            #[hdl_gen]
            fn update(&mut self) {
                // Step 1: decode.
                self.sign.next = self.a.val().get_bit($w - 1) ^ self.b.val().get_bit($w - 1);
                self.a_exp.next = self.a.val().get_bits::<$e>($f);
                self.b_exp.next = self.b.val().get_bits::<$e>($f);
                self.a_frac.next = self.a.val().get_bits::<$f>(0);
                self.b_frac.next = self.b.val().get_bits::<$f>(0);
                self.a_exp_zero.next = self.a_exp.val() == self.exp_zero_e.val();
                self.b_exp_zero.next = self.b_exp.val() == self.exp_zero_e.val();
                self.a_exp_ones.next = self.a_exp.val() == self.exp_ones_e.val();
                self.b_exp_ones.next = self.b_exp.val() == self.exp_ones_e.val();
                self.a_zero.next = self.a_exp_zero.val() & (self.a_frac.val() == self.frac_zero.val());
                self.b_zero.next = self.b_exp_zero.val() & (self.b_frac.val() == self.frac_zero.val());
                self.a_inf.next = self.has_inf.val()
                    & self.a_exp_ones.val()
                    & (self.a_frac.val() == self.frac_zero.val());
                self.b_inf.next = self.has_inf.val()
                    & self.b_exp_ones.val()
                    & (self.b_frac.val() == self.frac_zero.val());
                if self.has_inf.val() {
                    self.a_nan.next = self.a_exp_ones.val() & (self.a_frac.val() != self.frac_zero.val());
                    self.b_nan.next = self.b_exp_ones.val() & (self.b_frac.val() != self.frac_zero.val());
                } else {
                    self.a_nan.next = self.a_exp_ones.val() & (self.a_frac.val() == self.frac_ones.val());
                    self.b_nan.next = self.b_exp_ones.val() & (self.b_frac.val() == self.frac_ones.val());
                }
                if self.a_exp_zero.val() {
                    self.a_sig.next = bit_cast::<16, $f>(self.a_frac.val());
                    self.a_exp_eff.next = self.x_one.val();
                } else {
                    self.a_sig.next = bit_cast::<16, $f>(self.a_frac.val()) | self.sig_hidden.val();
                    self.a_exp_eff.next = bit_cast::<$x, $e>(self.a_exp.val());
                }
                if self.b_exp_zero.val() {
                    self.b_sig.next = bit_cast::<16, $f>(self.b_frac.val());
                    self.b_exp_eff.next = self.x_one.val();
                } else {
                    self.b_sig.next = bit_cast::<16, $f>(self.b_frac.val()) | self.sig_hidden.val();
                    self.b_exp_eff.next = bit_cast::<$x, $e>(self.b_exp.val());
                }
                // Step 2: raw product; exp_top is the biased exponent when
                // prod's top bit (weight 2^1) is set.
                self.prod_full.next = self.a_sig.val() * self.b_sig.val();
                self.prod.next = self.prod_full.val().get_bits::<$p>(0);
                self.unused_prod_hi.next = self.prod_full.val().get_bits::<$ph>($p);
                self.exp_top.next = self.a_exp_eff.val() + self.b_exp_eff.val() + self.x_bias_adj.val();
                // Step 3a: left shifter, each stage shifts when the top k bits
                // are zero and the exponent stays >= 1.
                $(
                    if (self.$pn.val() < self.$lim.val())
                        & !self.$pe.val().get_bit($xm)
                        & (self.$pe.val() > self.$kc.val())
                    {
                        self.$sn.next = self.$pn.val() << self.$kc.val();
                        self.$se.next = self.$pe.val() - self.$kc.val();
                    } else {
                        self.$sn.next = self.$pn.val();
                        self.$se.next = self.$pe.val();
                    }
                )*
                // Step 3b: right shift for a subnormal result (exp_top <= 0).
                self.tiny.next = self.exp_top.val().get_bit($xm) | (self.exp_top.val() == self.x_zero.val());
                self.shift_right.next = self.x_one.val() - self.exp_top.val();
                if self.shift_right.val() >= self.x_prod_width.val() {
                    self.shifted.next = self.p_zero.val();
                    self.sticky_shift.next = self.prod.val() != self.p_zero.val();
                } else {
                    self.shifted.next = self.prod.val() >> self.shift_right.val();
                    self.sticky_shift.next = (self.prod.val()
                        & !(self.p_ones.val() << self.shift_right.val()))
                        != self.p_zero.val();
                }
                if self.tiny.val() {
                    self.norm.next = self.shifted.val();
                    self.exp_n.next = self.x_one.val();
                } else {
                    self.norm.next = self.$ln.val();
                    self.exp_n.next = self.$le.val();
                }
                // Step 4: round to nearest, ties to even.
                self.kept.next = self.norm.val().get_bits::<$fw>($fw);
                self.guard.next = self.norm.val().get_bit($f);
                self.rest.next = self.norm.val().get_bits::<$f>(0);
                self.sticky.next = (self.rest.val() != self.frac_zero.val())
                    | (self.tiny.val() & self.sticky_shift.val());
                self.round_up.next = self.guard.val() & (self.sticky.val() | self.kept.val().get_bit(0));
                self.exp_field.next = self.exp_n.val() - self.x_one.val();
                self.mag.next = (bit_cast::<$w, $x>(self.exp_field.val()) << self.frac_shift.val())
                    + bit_cast::<$w, $fw>(self.kept.val())
                    + bit_cast::<$w, 1>(self.round_up.val().into());
                self.overflow.next = self.mag.val() > self.max_mag.val();
                // Step 5: specials, then the sign.
                self.is_nan.next = self.a_nan.val()
                    | self.b_nan.val()
                    | (self.a_inf.val() & self.b_zero.val())
                    | (self.b_inf.val() & self.a_zero.val())
                    | (self.overflow_is_nan.val() & self.overflow.val()
                        & !self.a_zero.val() & !self.b_zero.val());
                if self.a_inf.val() | self.b_inf.val() {
                    self.magnitude.next = self.inf_mag.val();
                } else if self.a_zero.val() | self.b_zero.val() {
                    self.magnitude.next = self.w_zero.val();
                } else if self.overflow.val() {
                    self.magnitude.next = self.inf_mag.val();
                } else {
                    self.magnitude.next = self.mag.val();
                }
                if self.is_nan.val() {
                    self.y.next = self.nan_code.val();
                } else if self.sign.val() {
                    self.y.next = self.magnitude.val() | self.sign_mask.val();
                } else {
                    self.y.next = self.magnitude.val();
                }
            }
        }

        super::impl_ports!($name);
    };
}

minifloat_mul_design! {
    /// IEEE binary16 multiplier (`fp16_mul`).
    Fp16MulHdl, baselines::FP16_MUL,
    w: 16, e: 5, f: 10, fw: 11, p: 22, ph: 10, x: 8, xm: 7,
    stages: [
        (prod, exp_top => norm_16, exp_16, limit_16, shift_16, 16),
        (norm_16, exp_16 => norm_8, exp_8, limit_8, shift_8, 8),
        (norm_8, exp_8 => norm_4, exp_4, limit_4, shift_4, 4),
        (norm_4, exp_4 => norm_2, exp_2, limit_2, shift_2, 2),
        (norm_2, exp_2 => norm_1, exp_1, limit_1, shift_1, 1)
    ],
    last: (norm_1, exp_1)
}

minifloat_mul_design! {
    /// bfloat16 multiplier (`bf16_mul`).
    Bf16MulHdl, baselines::BF16_MUL,
    w: 16, e: 8, f: 7, fw: 8, p: 16, ph: 16, x: 10, xm: 9,
    stages: [
        (prod, exp_top => norm_8, exp_8, limit_8, shift_8, 8),
        (norm_8, exp_8 => norm_4, exp_4, limit_4, shift_4, 4),
        (norm_4, exp_4 => norm_2, exp_2, limit_2, shift_2, 2),
        (norm_2, exp_2 => norm_1, exp_1, limit_1, shift_1, 1)
    ],
    last: (norm_1, exp_1)
}

minifloat_mul_design! {
    /// OCP FP8 E4M3 multiplier (`fp8_e4m3_mul`).
    Fp8E4m3MulHdl, baselines::FP8_E4M3_MUL,
    w: 8, e: 4, f: 3, fw: 4, p: 8, ph: 24, x: 7, xm: 6,
    stages: [
        (prod, exp_top => norm_4, exp_4, limit_4, shift_4, 4),
        (norm_4, exp_4 => norm_2, exp_2, limit_2, shift_2, 2),
        (norm_2, exp_2 => norm_1, exp_1, limit_1, shift_1, 1)
    ],
    last: (norm_1, exp_1)
}

minifloat_mul_design! {
    /// OCP FP8 E5M2 multiplier (`fp8_e5m2_mul`).
    Fp8E5m2MulHdl, baselines::FP8_E5M2_MUL,
    w: 8, e: 5, f: 2, fw: 3, p: 6, ph: 26, x: 7, xm: 6,
    stages: [
        (prod, exp_top => norm_4, exp_4, limit_4, shift_4, 4),
        (norm_4, exp_4 => norm_2, exp_2, limit_2, shift_2, 2),
        (norm_2, exp_2 => norm_1, exp_1, limit_1, shift_1, 1)
    ],
    last: (norm_1, exp_1)
}

/// Step ends of the IEEE-style designs: decode, raw product, normalise,
/// round.
const STEPS: &[&str] = &["b_exp_eff", "exp_top", "exp_n", "overflow"];

/// The hardware of `fp16_mul`.
pub const FP16: super::Hardware =
    super::Hardware::of::<Fp16MulHdl>("src/designs/minifloat_mul.rs", STEPS);
/// The hardware of `bf16_mul`.
pub const BF16: super::Hardware =
    super::Hardware::of::<Bf16MulHdl>("src/designs/minifloat_mul.rs", STEPS);
/// The hardware of `fp8_e4m3_mul`.
pub const FP8_E4M3: super::Hardware =
    super::Hardware::of::<Fp8E4m3MulHdl>("src/designs/minifloat_mul.rs", STEPS);
/// The hardware of `fp8_e5m2_mul`.
pub const FP8_E5M2: super::Hardware =
    super::Hardware::of::<Fp8E5m2MulHdl>("src/designs/minifloat_mul.rs", STEPS);
