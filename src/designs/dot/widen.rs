//! The lanes of the binary32 units (spec section 8): the product of two
//! 16-bit codes rounded once to binary32, `p = fl32(a * b)`, in rust-hdl.
//! For FP16 the product is always exact and normal in binary32 (11 x 11
//! significand bits, exponents 2^-48 .. 2^32), so the rounding, subnormal
//! and overflow paths are switched off by constants and Yosys removes
//! them; BF16 products can fall below binary32's normal range or past its
//! largest value, so they keep them. The reference is the host's f32
//! multiplication of the decoded operands (`crate::formats::dot`). Steps,
//! as in `../minifloat_mul.rs`:
//!
//! 1. decode: exponent and fraction fields, the classes `a_zero`, `a_inf`,
//!    `a_nan`, the significand `a_sig` and effective exponent `a_exp_eff`;
//!    the product's `sign`;
//! 2. raw product: `prod`, placed in a 26-bit `frame` whose top bit has
//!    weight 2^1, and `exp_top`, the binary32 biased exponent when that
//!    bit is set;
//! 3. normalise: a left shifter (16, 8, 4, 2, 1) that stops at exponent 1,
//!    or, when `tiny` (BF16 only), a right shift with `sticky_shift`;
//! 4. round: `kept` (24 bits), `guard`, `sticky`, `round_up` (ties to
//!    even), `mag`; `overflow` (BF16 only) past the largest finite value;
//! 5. specials (NaN `0x7FC00000`, Inf, signed zero) and the sign.

use rust_hdl::prelude::*;

use crate::designs::konst;
use crate::formats::baselines;
use crate::formats::minifloat::MiniFloat;

/// The constants of a lane from its operand format: the bias of `exp_top`
/// (`128 - 2 bias`: the top frame bit has weight 2^(ea + eb - 2 bias + 1))
/// and the left shift that puts the `2f + 2`-bit product at the frame top.
const fn exp_adjust(fmt: &MiniFloat) -> i64 {
    128 - 2 * fmt.bias as i64
}

macro_rules! widening_mul {
    (
        $(#[$doc:meta])*
        $name:ident, $fmt:path, e: $e:tt, f: $f:tt, p: $p:tt, ph: $ph:tt, rounds: $rounds:expr
    ) => {
        const _: () = assert!(
            $fmt.exp_bits as usize == $e && $fmt.frac_bits as usize == $f && $p == 2 * $f + 2,
            "widths do not fit the format"
        );

        $(#[$doc])*
        #[derive(LogicBlock)]
        pub struct $name {
            /// First operand.
            pub a: Signal<In, Bits<16>>,
            /// Second operand.
            pub b: Signal<In, Bits<16>>,
            /// The product rounded once to binary32.
            pub y: Signal<Out, Bits<32>>,
            // Step 1: decode.
            a_exp: Signal<Local, Bits<$e>>,
            b_exp: Signal<Local, Bits<$e>>,
            a_frac: Signal<Local, Bits<$f>>,
            b_frac: Signal<Local, Bits<$f>>,
            a_zero: Signal<Local, Bit>,
            b_zero: Signal<Local, Bit>,
            a_inf: Signal<Local, Bit>,
            b_inf: Signal<Local, Bit>,
            a_nan: Signal<Local, Bit>,
            b_nan: Signal<Local, Bit>,
            a_sig: Signal<Local, Bits<16>>,
            b_sig: Signal<Local, Bits<16>>,
            a_exp_eff: Signal<Local, Bits<10>>,
            b_exp_eff: Signal<Local, Bits<10>>,
            sign: Signal<Local, Bit>,
            // Step 2: raw product.
            prod_full: Signal<Local, Bits<32>>,
            prod: Signal<Local, Bits<$p>>,
            unused_prod_hi: Signal<Local, Bits<$ph>>,
            frame: Signal<Local, Bits<26>>,
            exp_top: Signal<Local, Bits<10>>,
            // Step 3: normalise.
            norm_16: Signal<Local, Bits<26>>,
            exp_16: Signal<Local, Bits<10>>,
            norm_8: Signal<Local, Bits<26>>,
            exp_8: Signal<Local, Bits<10>>,
            norm_4: Signal<Local, Bits<26>>,
            exp_4: Signal<Local, Bits<10>>,
            norm_2: Signal<Local, Bits<26>>,
            exp_2: Signal<Local, Bits<10>>,
            norm_1: Signal<Local, Bits<26>>,
            exp_1: Signal<Local, Bits<10>>,
            tiny: Signal<Local, Bit>,
            shift_right: Signal<Local, Bits<10>>,
            shifted: Signal<Local, Bits<26>>,
            sticky_shift: Signal<Local, Bit>,
            norm: Signal<Local, Bits<26>>,
            exp_n: Signal<Local, Bits<10>>,
            // Step 4: round.
            kept: Signal<Local, Bits<24>>,
            guard: Signal<Local, Bit>,
            sticky: Signal<Local, Bit>,
            round_up: Signal<Local, Bit>,
            exp_field: Signal<Local, Bits<10>>,
            mag: Signal<Local, Bits<32>>,
            overflow: Signal<Local, Bit>,
            // Step 5: specials and sign.
            is_nan: Signal<Local, Bit>,
            magnitude: Signal<Local, Bits<32>>,
            // Constants.
            rounds: Constant<Bit>,
            exp_zero: Constant<Bits<$e>>,
            exp_ones: Constant<Bits<$e>>,
            frac_zero: Constant<Bits<$f>>,
            sig_hidden: Constant<Bits<16>>,
            x_zero: Constant<Bits<10>>,
            x_one: Constant<Bits<10>>,
            x_adjust: Constant<Bits<10>>,
            x_width: Constant<Bits<10>>,
            x_16: Constant<Bits<10>>,
            x_8: Constant<Bits<10>>,
            x_4: Constant<Bits<10>>,
            x_2: Constant<Bits<10>>,
            frame_shift: Constant<Bits<26>>,
            lim_16: Constant<Bits<26>>,
            lim_8: Constant<Bits<26>>,
            lim_4: Constant<Bits<26>>,
            lim_2: Constant<Bits<26>>,
            lim_1: Constant<Bits<26>>,
            frame_zero: Constant<Bits<26>>,
            frame_ones: Constant<Bits<26>>,
            frac_shift: Constant<Bits<32>>,
            max_mag: Constant<Bits<32>>,
            inf_mag: Constant<Bits<32>>,
            mag_zero: Constant<Bits<32>>,
            nan_code: Constant<Bits<32>>,
            sign_mask: Constant<Bits<32>>,
        }

        impl Default for $name {
            fn default() -> Self {
                $name {
                    a: Default::default(),
                    b: Default::default(),
                    y: Default::default(),
                    a_exp: Default::default(),
                    b_exp: Default::default(),
                    a_frac: Default::default(),
                    b_frac: Default::default(),
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
                    frame: Default::default(),
                    exp_top: Default::default(),
                    norm_16: Default::default(),
                    exp_16: Default::default(),
                    norm_8: Default::default(),
                    exp_8: Default::default(),
                    norm_4: Default::default(),
                    exp_4: Default::default(),
                    norm_2: Default::default(),
                    exp_2: Default::default(),
                    norm_1: Default::default(),
                    exp_1: Default::default(),
                    tiny: Default::default(),
                    shift_right: Default::default(),
                    shifted: Default::default(),
                    sticky_shift: Default::default(),
                    norm: Default::default(),
                    exp_n: Default::default(),
                    kept: Default::default(),
                    guard: Default::default(),
                    sticky: Default::default(),
                    round_up: Default::default(),
                    exp_field: Default::default(),
                    mag: Default::default(),
                    overflow: Default::default(),
                    is_nan: Default::default(),
                    magnitude: Default::default(),
                    rounds: Constant::new($rounds),
                    exp_zero: konst(0),
                    exp_ones: konst((1 << $e) - 1),
                    frac_zero: konst(0),
                    sig_hidden: konst(1 << $f),
                    x_zero: konst(0),
                    x_one: konst(1),
                    x_adjust: konst(exp_adjust(&$fmt)),
                    x_width: konst(26),
                    x_16: konst(16),
                    x_8: konst(8),
                    x_4: konst(4),
                    x_2: konst(2),
                    frame_shift: konst(26 - $p),
                    lim_16: konst(1 << (26 - 16)),
                    lim_8: konst(1 << (26 - 8)),
                    lim_4: konst(1 << (26 - 4)),
                    lim_2: konst(1 << (26 - 2)),
                    lim_1: konst(1 << (26 - 1)),
                    frame_zero: konst(0),
                    frame_ones: konst((1 << 26) - 1),
                    frac_shift: konst(23),
                    max_mag: konst(0x7F7F_FFFF),
                    inf_mag: konst(0x7F80_0000),
                    mag_zero: konst(0),
                    nan_code: konst(0x7FC0_0000),
                    sign_mask: konst(0x8000_0000),
                }
            }
        }

        impl Logic for $name {
            #[hdl_gen]
            fn update(&mut self) {
                // Step 1: decode.
                self.sign.next = self.a.val().get_bit(15) ^ self.b.val().get_bit(15);
                self.a_exp.next = self.a.val().get_bits::<$e>($f);
                self.b_exp.next = self.b.val().get_bits::<$e>($f);
                self.a_frac.next = self.a.val().get_bits::<$f>(0);
                self.b_frac.next = self.b.val().get_bits::<$f>(0);
                self.a_zero.next = (self.a_exp.val() == self.exp_zero.val())
                    & (self.a_frac.val() == self.frac_zero.val());
                self.b_zero.next = (self.b_exp.val() == self.exp_zero.val())
                    & (self.b_frac.val() == self.frac_zero.val());
                self.a_inf.next = (self.a_exp.val() == self.exp_ones.val())
                    & (self.a_frac.val() == self.frac_zero.val());
                self.b_inf.next = (self.b_exp.val() == self.exp_ones.val())
                    & (self.b_frac.val() == self.frac_zero.val());
                self.a_nan.next = (self.a_exp.val() == self.exp_ones.val())
                    & (self.a_frac.val() != self.frac_zero.val());
                self.b_nan.next = (self.b_exp.val() == self.exp_ones.val())
                    & (self.b_frac.val() != self.frac_zero.val());
                if self.a_exp.val() == self.exp_zero.val() {
                    self.a_sig.next = bit_cast::<16, $f>(self.a_frac.val());
                    self.a_exp_eff.next = self.x_one.val();
                } else {
                    self.a_sig.next = bit_cast::<16, $f>(self.a_frac.val()) | self.sig_hidden.val();
                    self.a_exp_eff.next = bit_cast::<10, $e>(self.a_exp.val());
                }
                if self.b_exp.val() == self.exp_zero.val() {
                    self.b_sig.next = bit_cast::<16, $f>(self.b_frac.val());
                    self.b_exp_eff.next = self.x_one.val();
                } else {
                    self.b_sig.next = bit_cast::<16, $f>(self.b_frac.val()) | self.sig_hidden.val();
                    self.b_exp_eff.next = bit_cast::<10, $e>(self.b_exp.val());
                }
                // Step 2: raw product at the top of the frame.
                self.prod_full.next = self.a_sig.val() * self.b_sig.val();
                self.prod.next = self.prod_full.val().get_bits::<$p>(0);
                self.unused_prod_hi.next = self.prod_full.val().get_bits::<$ph>($p);
                self.frame.next = bit_cast::<26, $p>(self.prod.val()) << self.frame_shift.val();
                self.exp_top.next = self.a_exp_eff.val() + self.b_exp_eff.val() + self.x_adjust.val();
                // Step 3a: left shifter; a stage of k shifts when the top k
                // bits are zero and the exponent stays >= 1.
                if (self.frame.val() < self.lim_16.val())
                    & !self.exp_top.val().get_bit(9)
                    & (self.exp_top.val() > self.x_16.val())
                {
                    self.norm_16.next = self.frame.val() << self.x_16.val();
                    self.exp_16.next = self.exp_top.val() - self.x_16.val();
                } else {
                    self.norm_16.next = self.frame.val();
                    self.exp_16.next = self.exp_top.val();
                }
                if (self.norm_16.val() < self.lim_8.val())
                    & !self.exp_16.val().get_bit(9)
                    & (self.exp_16.val() > self.x_8.val())
                {
                    self.norm_8.next = self.norm_16.val() << self.x_8.val();
                    self.exp_8.next = self.exp_16.val() - self.x_8.val();
                } else {
                    self.norm_8.next = self.norm_16.val();
                    self.exp_8.next = self.exp_16.val();
                }
                if (self.norm_8.val() < self.lim_4.val())
                    & !self.exp_8.val().get_bit(9)
                    & (self.exp_8.val() > self.x_4.val())
                {
                    self.norm_4.next = self.norm_8.val() << self.x_4.val();
                    self.exp_4.next = self.exp_8.val() - self.x_4.val();
                } else {
                    self.norm_4.next = self.norm_8.val();
                    self.exp_4.next = self.exp_8.val();
                }
                if (self.norm_4.val() < self.lim_2.val())
                    & !self.exp_4.val().get_bit(9)
                    & (self.exp_4.val() > self.x_2.val())
                {
                    self.norm_2.next = self.norm_4.val() << self.x_2.val();
                    self.exp_2.next = self.exp_4.val() - self.x_2.val();
                } else {
                    self.norm_2.next = self.norm_4.val();
                    self.exp_2.next = self.exp_4.val();
                }
                if (self.norm_2.val() < self.lim_1.val())
                    & !self.exp_2.val().get_bit(9)
                    & (self.exp_2.val() > self.x_one.val())
                {
                    self.norm_1.next = self.norm_2.val() << self.x_one.val();
                    self.exp_1.next = self.exp_2.val() - self.x_one.val();
                } else {
                    self.norm_1.next = self.norm_2.val();
                    self.exp_1.next = self.exp_2.val();
                }
                // Step 3b: right shift for a subnormal result (exp_top <= 0).
                self.tiny.next = self.rounds.val()
                    & (self.exp_top.val().get_bit(9) | (self.exp_top.val() == self.x_zero.val()));
                self.shift_right.next = self.x_one.val() - self.exp_top.val();
                if self.shift_right.val() >= self.x_width.val() {
                    self.shifted.next = self.frame_zero.val();
                    self.sticky_shift.next = self.frame.val() != self.frame_zero.val();
                } else {
                    self.shifted.next = self.frame.val() >> self.shift_right.val();
                    self.sticky_shift.next = (self.frame.val()
                        & !(self.frame_ones.val() << self.shift_right.val()))
                        != self.frame_zero.val();
                }
                if self.tiny.val() {
                    self.norm.next = self.shifted.val();
                    self.exp_n.next = self.x_one.val();
                } else {
                    self.norm.next = self.norm_1.val();
                    self.exp_n.next = self.exp_1.val();
                }
                // Step 4: round to nearest, ties to even.
                self.kept.next = self.norm.val().get_bits::<24>(2);
                self.guard.next = self.rounds.val() & self.norm.val().get_bit(1);
                self.sticky.next = self.norm.val().get_bit(0) | (self.tiny.val() & self.sticky_shift.val());
                self.round_up.next = self.guard.val() & (self.sticky.val() | self.kept.val().get_bit(0));
                self.exp_field.next = self.exp_n.val() - self.x_one.val();
                self.mag.next = (bit_cast::<32, 10>(self.exp_field.val()) << self.frac_shift.val())
                    + bit_cast::<32, 24>(self.kept.val())
                    + bit_cast::<32, 1>(self.round_up.val().into());
                self.overflow.next = self.rounds.val() & (self.mag.val() > self.max_mag.val());
                // Step 5: specials, then the sign.
                self.is_nan.next = self.a_nan.val()
                    | self.b_nan.val()
                    | (self.a_inf.val() & self.b_zero.val())
                    | (self.b_inf.val() & self.a_zero.val());
                if self.a_inf.val() | self.b_inf.val() | self.overflow.val() {
                    self.magnitude.next = self.inf_mag.val();
                } else if self.a_zero.val() | self.b_zero.val() {
                    self.magnitude.next = self.mag_zero.val();
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

        super::super::impl_ports!($name);
    };
}

widening_mul! {
    /// FP16 x FP16 -> binary32, exact (`dot_fp16`'s lane).
    Fp16Product, baselines::FP16_MUL, e: 5, f: 10, p: 22, ph: 10, rounds: false
}

widening_mul! {
    /// BF16 x BF16 -> binary32, rounded once (`dot_bf16`'s lane).
    Bf16Product, baselines::BF16_MUL, e: 8, f: 7, p: 16, ph: 16, rounds: true
}
