//! The lean multipliers (`fp16_mul_lite`, `fp8_e4m3_mul_lite`) in rust-hdl,
//! beside their references `baselines::FP16_MUL_LITE` and
//! `baselines::FP8_E4M3_MUL_LITE`: binary fields with no Inf, NaN or
//! subnormals, truncation, flush to zero and saturation. Each is the
//! cheapest circuit that still deserves its format's name, a generous lower
//! bound for that format's area. One macro describes the datapath; each
//! format instantiates it with its widths, checked at compile time against
//! the format description.
//!
//! Steps: decode (`zero`, `a_sig` with the hidden bit always set), raw
//! product (`prod`, `exp_top`), normalise by one bit (`prod` top bit
//! `high`), truncate (`kept`), then `flush` / `saturate` and the sign.
//!
//! Macro arguments: `w` code width, `e`/`f` exponent and fraction widths,
//! `fw` = `f + 1`, `p` = `2f + 2` (product width), `ph` = `32 - p`, `x` the
//! two's complement exponent width, `xm` = `x - 1`.

use rust_hdl::prelude::*;

use super::konst;

use crate::formats::baselines;
use crate::formats::minifloat::{MiniFloat, Rounding, Specials};

/// True when the macro's widths describe `fmt` and `fmt` is a lean format
/// (no specials, truncation with flush): a format this datapath cannot
/// build fails to compile.
pub const fn fits(fmt: &MiniFloat, w: usize, e: usize, f: usize, p: usize, x: usize) -> bool {
    matches!(fmt.specials, Specials::None)
        && matches!(fmt.rounding, Rounding::TowardZeroFlush)
        && fmt.exp_bits as usize == e
        && fmt.frac_bits as usize == f
        && w == 1 + e + f
        && p == 2 * f + 2
        && p <= 32
        // exp_top = ea + eb - bias + 1 must fit as a signed x-bit number.
        && (1i64 << (x - 1)) > 2 * ((1i64 << e) - 1) - fmt.bias as i64 + 1
}

macro_rules! lite_mul_design {
    (
        $(#[$doc:meta])*
        $name:ident, $fmt:path,
        w: $w:tt, e: $e:tt, f: $f:tt, fw: $fw:tt, p: $p:tt, ph: $ph:tt, x: $x:tt, xm: $xm:tt
    ) => {
        const _: () = assert!(fits(&$fmt, $w, $e, $f, $p, $x), "widths do not fit the format");

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
            zero: Signal<Local, Bit>,
            a_sig: Signal<Local, Bits<16>>,
            b_sig: Signal<Local, Bits<16>>,
            sign: Signal<Local, Bit>,
            // Step 2: raw product.
            prod_full: Signal<Local, Bits<32>>,
            prod: Signal<Local, Bits<$p>>,
            unused_prod_hi: Signal<Local, Bits<$ph>>,
            exp_top: Signal<Local, Bits<$x>>,
            // Step 3: normalise by one bit, truncate.
            high: Signal<Local, Bit>,
            kept: Signal<Local, Bits<$fw>>,
            unused_truncated: Signal<Local, Bits<$f>>,
            exp_n: Signal<Local, Bits<$x>>,
            exp_field: Signal<Local, Bits<$x>>,
            // Step 4: flush, saturate, pack.
            flush: Signal<Local, Bit>,
            saturate: Signal<Local, Bit>,
            mag: Signal<Local, Bits<$w>>,
            magnitude: Signal<Local, Bits<$w>>,
            // Constants.
            exp_zero: Constant<Bits<$e>>,
            sig_hidden: Constant<Bits<16>>,
            x_zero: Constant<Bits<$x>>,
            x_one: Constant<Bits<$x>>,
            x_bias_adj: Constant<Bits<$x>>,
            x_exp_max: Constant<Bits<$x>>,
            frac_shift: Constant<Bits<$w>>,
            code_zero: Constant<Bits<$w>>,
            code_max: Constant<Bits<$w>>,
            sign_mask: Constant<Bits<$w>>,
        }

        impl Default for $name {
            fn default() -> Self {
                let fmt = &$fmt;
                $name {
                    a: Default::default(),
                    b: Default::default(),
                    y: Default::default(),
                    a_exp: Default::default(),
                    b_exp: Default::default(),
                    a_frac: Default::default(),
                    b_frac: Default::default(),
                    zero: Default::default(),
                    a_sig: Default::default(),
                    b_sig: Default::default(),
                    sign: Default::default(),
                    prod_full: Default::default(),
                    prod: Default::default(),
                    unused_prod_hi: Default::default(),
                    exp_top: Default::default(),
                    high: Default::default(),
                    kept: Default::default(),
                    unused_truncated: Default::default(),
                    exp_n: Default::default(),
                    exp_field: Default::default(),
                    flush: Default::default(),
                    saturate: Default::default(),
                    mag: Default::default(),
                    magnitude: Default::default(),
                    exp_zero: konst(0),
                    sig_hidden: konst(1 << fmt.frac_bits),
                    x_zero: konst(0),
                    x_one: konst(1),
                    // exp_top = ea + eb - bias + 1, in x-bit two's complement.
                    x_bias_adj: konst(1 - fmt.bias as i64),
                    x_exp_max: konst((1i64 << fmt.exp_bits) - 1),
                    frac_shift: konst(fmt.frac_bits as i64),
                    code_zero: konst(0),
                    code_max: konst(fmt.max_finite_mag() as i64),
                    sign_mask: konst(fmt.sign_mask() as i64),
                }
            }
        }

        impl Logic for $name {
            #[hdl_gen]
            fn update(&mut self) {
                // Step 1: decode; exponent field 0 reads as zero.
                self.sign.next = self.a.val().get_bit($w - 1) ^ self.b.val().get_bit($w - 1);
                self.a_exp.next = self.a.val().get_bits::<$e>($f);
                self.b_exp.next = self.b.val().get_bits::<$e>($f);
                self.a_frac.next = self.a.val().get_bits::<$f>(0);
                self.b_frac.next = self.b.val().get_bits::<$f>(0);
                self.zero.next = (self.a_exp.val() == self.exp_zero.val())
                    | (self.b_exp.val() == self.exp_zero.val());
                self.a_sig.next = bit_cast::<16, $f>(self.a_frac.val()) | self.sig_hidden.val();
                self.b_sig.next = bit_cast::<16, $f>(self.b_frac.val()) | self.sig_hidden.val();
                // Step 2: raw product, in [2^(2f), 2^(2f+2)).
                self.prod_full.next = self.a_sig.val() * self.b_sig.val();
                self.prod.next = self.prod_full.val().get_bits::<$p>(0);
                self.unused_prod_hi.next = self.prod_full.val().get_bits::<$ph>($p);
                self.exp_top.next = bit_cast::<$x, $e>(self.a_exp.val())
                    + bit_cast::<$x, $e>(self.b_exp.val())
                    + self.x_bias_adj.val();
                // Step 3: one-bit normalisation; the bits below `kept` are
                // dropped (truncation toward zero).
                self.high.next = self.prod.val().get_bit($p - 1);
                if self.high.val() {
                    self.kept.next = self.prod.val().get_bits::<$fw>($fw);
                    self.unused_truncated.next = self.prod.val().get_bits::<$f>(1);
                    self.exp_n.next = self.exp_top.val();
                } else {
                    self.kept.next = self.prod.val().get_bits::<$fw>($f);
                    self.unused_truncated.next = self.prod.val().get_bits::<$f>(0);
                    self.exp_n.next = self.exp_top.val() - self.x_one.val();
                }
                // Step 4: flush below 2^emin, saturate above the largest
                // exponent field, pack.
                self.flush.next =
                    self.exp_n.val().get_bit($xm) | (self.exp_n.val() == self.x_zero.val());
                self.saturate.next =
                    !self.exp_n.val().get_bit($xm) & (self.exp_n.val() > self.x_exp_max.val());
                self.exp_field.next = self.exp_n.val() - self.x_one.val();
                self.mag.next = (bit_cast::<$w, $x>(self.exp_field.val()) << self.frac_shift.val())
                    + bit_cast::<$w, $fw>(self.kept.val());
                if self.zero.val() | self.flush.val() {
                    self.magnitude.next = self.code_zero.val();
                } else if self.saturate.val() {
                    self.magnitude.next = self.code_max.val();
                } else {
                    self.magnitude.next = self.mag.val();
                }
                if self.sign.val() {
                    self.y.next = self.magnitude.val() | self.sign_mask.val();
                } else {
                    self.y.next = self.magnitude.val();
                }
            }
        }

        super::impl_ports!($name);
    };
}

/// Step ends: decode, product, normalise, flush/saturate.
const STEPS: &[&str] = &["b_sig", "exp_top", "exp_n", "mag"];

lite_mul_design! {
    /// The combinational minimal FP16 multiplier (`fp16_mul_lite`).
    Fp16MulLiteHdl, baselines::FP16_MUL_LITE,
    w: 16, e: 5, f: 10, fw: 11, p: 22, ph: 10, x: 8, xm: 7
}

lite_mul_design! {
    /// The combinational minimal FP8 E4M3 multiplier (`fp8_e4m3_mul_lite`).
    Fp8E4m3MulLiteHdl, baselines::FP8_E4M3_MUL_LITE,
    w: 8, e: 4, f: 3, fw: 4, p: 8, ph: 24, x: 6, xm: 5
}

/// The hardware of `fp16_mul_lite`.
pub const FP16_LITE: super::Hardware =
    super::Hardware::of::<Fp16MulLiteHdl>("src/designs/lite_mul.rs", STEPS);

/// The hardware of `fp8_e4m3_mul_lite`.
pub const FP8_E4M3_LITE: super::Hardware =
    super::Hardware::of::<Fp8E4m3MulLiteHdl>("src/designs/lite_mul.rs", STEPS);
