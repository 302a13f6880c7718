//! An IEEE 754 binary32 adder in rust-hdl: the node of the binary32 units'
//! adder tree (spec section 8), round to nearest even, subnormals kept,
//! every NaN result `0x7FC00000`, `x + (-x) = +0`. Its reference is the
//! host's f32 addition (`crate::formats::dot`). Steps:
//!
//! 1. decode: the signs `a_sign`, `b_sign`, the magnitudes `a_mag`,
//!    `b_mag` (bits 30..0) and the classes
//!    `a_inf`, `a_nan`, `b_inf`, `b_nan`;
//! 2. swap: `big` is the operand of larger magnitude (binary32 magnitudes
//!    order as integers), `small` the other; their significands `big_sig`,
//!    `small_sig` (hidden bit when the exponent field is not 0) and
//!    effective exponents (1 for subnormals);
//! 3. align: `small_ext` (the significand with 3 guard bits) shifted right
//!    by `diff`, the exponent difference; `sticky_align` is the OR of the
//!    bits shifted out, kept in bit 0 (`aligned`);
//! 4. add: `sum` = `big_ext` +- `aligned` (`eff_sub` when the signs
//!    differ; `big` >= `small`, so the difference is never negative);
//! 5. normalise: a carry (`carry`) shifts right once; otherwise a
//!    logarithmic left shifter (16, 8, 4, 2, 1) that stops at exponent 1,
//!    where the result is subnormal;
//! 6. round: `kept` (24 bits with the hidden bit), `guard`, `sticky`,
//!    `round_up` (ties to even), `mag` = `((exp_n - 1) << 23) + kept +
//!    round_up`, so a rounding carry or the hidden bit moves into the
//!    exponent field; `overflow` past the largest finite magnitude;
//! 7. specials: NaN (a NaN operand, Inf - Inf), Inf, overflow; a zero
//!    result is -0 only when both operands are -0.
//!
//! Why three guard bits suffice: when `diff` <= 2 nothing is shifted out
//! and the sum is exact; when `diff` >= 2 the difference loses at most
//! one leading bit, and the sticky bit in bit 0 keeps guard and sticky
//! exact for both signs (Goldberg, "What every computer scientist should
//! know about floating-point arithmetic", 1991, section on guard digits).

use rust_hdl::prelude::*;

use crate::designs::konst;

/// `y = fl32(a + b)` on binary32 codes.
#[derive(LogicBlock)]
pub struct Fp32Add {
    /// First operand (binary32 code).
    pub a: Signal<In, Bits<32>>,
    /// Second operand (binary32 code).
    pub b: Signal<In, Bits<32>>,
    /// The rounded sum (binary32 code).
    pub y: Signal<Out, Bits<32>>,
    // Step 1: decode.
    a_sign: Signal<Local, Bit>,
    b_sign: Signal<Local, Bit>,
    a_mag: Signal<Local, Bits<31>>,
    b_mag: Signal<Local, Bits<31>>,
    a_inf: Signal<Local, Bit>,
    b_inf: Signal<Local, Bit>,
    a_nan: Signal<Local, Bit>,
    b_nan: Signal<Local, Bit>,
    // Step 2: swap.
    swap: Signal<Local, Bit>,
    big_mag: Signal<Local, Bits<31>>,
    small_mag: Signal<Local, Bits<31>>,
    big_sign: Signal<Local, Bit>,
    small_sign: Signal<Local, Bit>,
    big_exp: Signal<Local, Bits<8>>,
    small_exp: Signal<Local, Bits<8>>,
    big_frac: Signal<Local, Bits<23>>,
    small_frac: Signal<Local, Bits<23>>,
    big_sig: Signal<Local, Bits<24>>,
    small_sig: Signal<Local, Bits<24>>,
    big_exp_eff: Signal<Local, Bits<10>>,
    small_exp_eff: Signal<Local, Bits<10>>,
    // Step 3: align.
    diff: Signal<Local, Bits<10>>,
    big_ext: Signal<Local, Bits<28>>,
    small_ext: Signal<Local, Bits<28>>,
    shifted: Signal<Local, Bits<28>>,
    sticky_align: Signal<Local, Bit>,
    aligned: Signal<Local, Bits<28>>,
    // Step 4: add.
    eff_sub: Signal<Local, Bit>,
    sum: Signal<Local, Bits<28>>,
    // Step 5: normalise.
    carry: Signal<Local, Bit>,
    sum_low: Signal<Local, Bit>,
    pre: Signal<Local, Bits<27>>,
    exp_pre: Signal<Local, Bits<10>>,
    norm_16: Signal<Local, Bits<27>>,
    exp_16: Signal<Local, Bits<10>>,
    norm_8: Signal<Local, Bits<27>>,
    exp_8: Signal<Local, Bits<10>>,
    norm_4: Signal<Local, Bits<27>>,
    exp_4: Signal<Local, Bits<10>>,
    norm_2: Signal<Local, Bits<27>>,
    exp_2: Signal<Local, Bits<10>>,
    norm: Signal<Local, Bits<27>>,
    exp_n: Signal<Local, Bits<10>>,
    // Step 6: round.
    kept: Signal<Local, Bits<24>>,
    guard: Signal<Local, Bit>,
    sticky: Signal<Local, Bit>,
    round_up: Signal<Local, Bit>,
    exp_field: Signal<Local, Bits<10>>,
    mag: Signal<Local, Bits<32>>,
    overflow: Signal<Local, Bit>,
    // Step 7: specials and sign.
    is_nan: Signal<Local, Bit>,
    is_zero: Signal<Local, Bit>,
    sign: Signal<Local, Bit>,
    magnitude: Signal<Local, Bits<32>>,
    // Constants.
    exp_zero: Constant<Bits<8>>,
    exp_ones: Constant<Bits<8>>,
    frac_zero: Constant<Bits<23>>,
    hidden: Constant<Bits<24>>,
    x_one: Constant<Bits<10>>,
    x_width: Constant<Bits<10>>,
    x_16: Constant<Bits<10>>,
    x_8: Constant<Bits<10>>,
    x_4: Constant<Bits<10>>,
    x_2: Constant<Bits<10>>,
    lim_16: Constant<Bits<27>>,
    lim_8: Constant<Bits<27>>,
    lim_4: Constant<Bits<27>>,
    lim_2: Constant<Bits<27>>,
    lim_1: Constant<Bits<27>>,
    ext_zero: Constant<Bits<28>>,
    ext_ones: Constant<Bits<28>>,
    guard_shift: Constant<Bits<28>>,
    frac_shift: Constant<Bits<32>>,
    max_mag: Constant<Bits<32>>,
    inf_mag: Constant<Bits<32>>,
    mag_zero: Constant<Bits<32>>,
    nan_code: Constant<Bits<32>>,
    sign_mask: Constant<Bits<32>>,
}

impl Default for Fp32Add {
    fn default() -> Self {
        Fp32Add {
            a: Default::default(),
            b: Default::default(),
            y: Default::default(),
            a_sign: Default::default(),
            b_sign: Default::default(),
            a_mag: Default::default(),
            b_mag: Default::default(),
            a_inf: Default::default(),
            b_inf: Default::default(),
            a_nan: Default::default(),
            b_nan: Default::default(),
            swap: Default::default(),
            big_mag: Default::default(),
            small_mag: Default::default(),
            big_sign: Default::default(),
            small_sign: Default::default(),
            big_exp: Default::default(),
            small_exp: Default::default(),
            big_frac: Default::default(),
            small_frac: Default::default(),
            big_sig: Default::default(),
            small_sig: Default::default(),
            big_exp_eff: Default::default(),
            small_exp_eff: Default::default(),
            diff: Default::default(),
            big_ext: Default::default(),
            small_ext: Default::default(),
            shifted: Default::default(),
            sticky_align: Default::default(),
            aligned: Default::default(),
            eff_sub: Default::default(),
            sum: Default::default(),
            carry: Default::default(),
            sum_low: Default::default(),
            pre: Default::default(),
            exp_pre: Default::default(),
            norm_16: Default::default(),
            exp_16: Default::default(),
            norm_8: Default::default(),
            exp_8: Default::default(),
            norm_4: Default::default(),
            exp_4: Default::default(),
            norm_2: Default::default(),
            exp_2: Default::default(),
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
            is_zero: Default::default(),
            sign: Default::default(),
            magnitude: Default::default(),
            exp_zero: konst(0),
            exp_ones: konst(0xFF),
            frac_zero: konst(0),
            hidden: konst(1 << 23),
            x_one: konst(1),
            x_width: konst(27),
            x_16: konst(16),
            x_8: konst(8),
            x_4: konst(4),
            x_2: konst(2),
            // A stage of k shifts when the top k of the 27 bits are zero.
            lim_16: konst(1 << (27 - 16)),
            lim_8: konst(1 << (27 - 8)),
            lim_4: konst(1 << (27 - 4)),
            lim_2: konst(1 << (27 - 2)),
            lim_1: konst(1 << (27 - 1)),
            ext_zero: konst(0),
            ext_ones: konst((1 << 27) - 1),
            guard_shift: konst(3),
            frac_shift: konst(23),
            max_mag: konst(0x7F7F_FFFF),
            inf_mag: konst(0x7F80_0000),
            mag_zero: konst(0),
            nan_code: konst(0x7FC0_0000),
            sign_mask: konst(0x8000_0000),
        }
    }
}

impl Logic for Fp32Add {
    #[hdl_gen]
    fn update(&mut self) {
        // Step 1: decode.
        self.a_sign.next = self.a.val().get_bit(31);
        self.b_sign.next = self.b.val().get_bit(31);
        self.a_mag.next = self.a.val().get_bits::<31>(0);
        self.b_mag.next = self.b.val().get_bits::<31>(0);
        self.a_inf.next = (self.a.val().get_bits::<8>(23) == self.exp_ones.val())
            & (self.a.val().get_bits::<23>(0) == self.frac_zero.val());
        self.b_inf.next = (self.b.val().get_bits::<8>(23) == self.exp_ones.val())
            & (self.b.val().get_bits::<23>(0) == self.frac_zero.val());
        self.a_nan.next = (self.a.val().get_bits::<8>(23) == self.exp_ones.val())
            & (self.a.val().get_bits::<23>(0) != self.frac_zero.val());
        self.b_nan.next = (self.b.val().get_bits::<8>(23) == self.exp_ones.val())
            & (self.b.val().get_bits::<23>(0) != self.frac_zero.val());
        // Step 2: swap, so that big >= small in magnitude.
        self.swap.next = self.b_mag.val() > self.a_mag.val();
        if self.swap.val() {
            self.big_mag.next = self.b_mag.val();
            self.small_mag.next = self.a_mag.val();
            self.big_sign.next = self.b_sign.val();
            self.small_sign.next = self.a_sign.val();
        } else {
            self.big_mag.next = self.a_mag.val();
            self.small_mag.next = self.b_mag.val();
            self.big_sign.next = self.a_sign.val();
            self.small_sign.next = self.b_sign.val();
        }
        self.big_exp.next = self.big_mag.val().get_bits::<8>(23);
        self.small_exp.next = self.small_mag.val().get_bits::<8>(23);
        self.big_frac.next = self.big_mag.val().get_bits::<23>(0);
        self.small_frac.next = self.small_mag.val().get_bits::<23>(0);
        if self.big_exp.val() == self.exp_zero.val() {
            self.big_sig.next = bit_cast::<24, 23>(self.big_frac.val());
            self.big_exp_eff.next = self.x_one.val();
        } else {
            self.big_sig.next = bit_cast::<24, 23>(self.big_frac.val()) | self.hidden.val();
            self.big_exp_eff.next = bit_cast::<10, 8>(self.big_exp.val());
        }
        if self.small_exp.val() == self.exp_zero.val() {
            self.small_sig.next = bit_cast::<24, 23>(self.small_frac.val());
            self.small_exp_eff.next = self.x_one.val();
        } else {
            self.small_sig.next = bit_cast::<24, 23>(self.small_frac.val()) | self.hidden.val();
            self.small_exp_eff.next = bit_cast::<10, 8>(self.small_exp.val());
        }
        // Step 3: align small to big, three guard bits and a sticky bit.
        self.diff.next = self.big_exp_eff.val() - self.small_exp_eff.val();
        self.big_ext.next = bit_cast::<28, 24>(self.big_sig.val()) << self.guard_shift.val();
        self.small_ext.next = bit_cast::<28, 24>(self.small_sig.val()) << self.guard_shift.val();
        if self.diff.val() >= self.x_width.val() {
            self.shifted.next = self.ext_zero.val();
            self.sticky_align.next = self.small_ext.val() != self.ext_zero.val();
        } else {
            self.shifted.next = self.small_ext.val() >> self.diff.val();
            self.sticky_align.next = (self.small_ext.val()
                & !(self.ext_ones.val() << self.diff.val()))
                != self.ext_zero.val();
        }
        self.aligned.next = self.shifted.val() | bit_cast::<28, 1>(self.sticky_align.val().into());
        // Step 4: add or subtract.
        self.eff_sub.next = self.big_sign.val() ^ self.small_sign.val();
        if self.eff_sub.val() {
            self.sum.next = self.big_ext.val() - self.aligned.val();
        } else {
            self.sum.next = self.big_ext.val() + self.aligned.val();
        }
        // Step 5: normalise.
        self.carry.next = self.sum.val().get_bit(27);
        self.sum_low.next = self.sum.val().get_bit(0);
        if self.carry.val() {
            self.pre.next =
                self.sum.val().get_bits::<27>(1) | bit_cast::<27, 1>(self.sum_low.val().into());
            self.exp_pre.next = self.big_exp_eff.val() + self.x_one.val();
        } else {
            self.pre.next = self.sum.val().get_bits::<27>(0);
            self.exp_pre.next = self.big_exp_eff.val();
        }
        if (self.pre.val() < self.lim_16.val()) & (self.exp_pre.val() > self.x_16.val()) {
            self.norm_16.next = self.pre.val() << self.x_16.val();
            self.exp_16.next = self.exp_pre.val() - self.x_16.val();
        } else {
            self.norm_16.next = self.pre.val();
            self.exp_16.next = self.exp_pre.val();
        }
        if (self.norm_16.val() < self.lim_8.val()) & (self.exp_16.val() > self.x_8.val()) {
            self.norm_8.next = self.norm_16.val() << self.x_8.val();
            self.exp_8.next = self.exp_16.val() - self.x_8.val();
        } else {
            self.norm_8.next = self.norm_16.val();
            self.exp_8.next = self.exp_16.val();
        }
        if (self.norm_8.val() < self.lim_4.val()) & (self.exp_8.val() > self.x_4.val()) {
            self.norm_4.next = self.norm_8.val() << self.x_4.val();
            self.exp_4.next = self.exp_8.val() - self.x_4.val();
        } else {
            self.norm_4.next = self.norm_8.val();
            self.exp_4.next = self.exp_8.val();
        }
        if (self.norm_4.val() < self.lim_2.val()) & (self.exp_4.val() > self.x_2.val()) {
            self.norm_2.next = self.norm_4.val() << self.x_2.val();
            self.exp_2.next = self.exp_4.val() - self.x_2.val();
        } else {
            self.norm_2.next = self.norm_4.val();
            self.exp_2.next = self.exp_4.val();
        }
        if (self.norm_2.val() < self.lim_1.val()) & (self.exp_2.val() > self.x_one.val()) {
            self.norm.next = self.norm_2.val() << self.x_one.val();
            self.exp_n.next = self.exp_2.val() - self.x_one.val();
        } else {
            self.norm.next = self.norm_2.val();
            self.exp_n.next = self.exp_2.val();
        }
        // Step 6: round to nearest, ties to even.
        self.kept.next = self.norm.val().get_bits::<24>(3);
        self.guard.next = self.norm.val().get_bit(2);
        self.sticky.next = self.norm.val().get_bit(1) | self.norm.val().get_bit(0);
        self.round_up.next = self.guard.val() & (self.sticky.val() | self.kept.val().get_bit(0));
        self.exp_field.next = self.exp_n.val() - self.x_one.val();
        self.mag.next = (bit_cast::<32, 10>(self.exp_field.val()) << self.frac_shift.val())
            + bit_cast::<32, 24>(self.kept.val())
            + bit_cast::<32, 1>(self.round_up.val().into());
        self.overflow.next = self.mag.val() > self.max_mag.val();
        // Step 7: specials, then the sign.
        self.is_nan.next = self.a_nan.val()
            | self.b_nan.val()
            | (self.a_inf.val() & self.b_inf.val() & self.eff_sub.val());
        // An exact zero (the normaliser shifts it to no exponent at all).
        self.is_zero.next = self.sum.val() == self.ext_zero.val();
        if self.a_inf.val() | self.b_inf.val() | self.overflow.val() {
            self.magnitude.next = self.inf_mag.val();
            self.sign.next = self.big_sign.val();
        } else if self.is_zero.val() {
            self.magnitude.next = self.mag_zero.val();
            self.sign.next = self.a_sign.val() & self.b_sign.val();
        } else {
            self.magnitude.next = self.mag.val();
            self.sign.next = self.big_sign.val();
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

super::super::impl_ports!(Fp32Add);

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng;

    /// The spec's binary32 addition: the host's, every NaN canonical.
    fn reference(a: u32, b: u32) -> u32 {
        let s = f32::from_bits(a) + f32::from_bits(b);
        if s.is_nan() {
            0x7FC0_0000
        } else {
            s.to_bits()
        }
    }

    #[test]
    fn rust_hdl_model_adds_like_ieee_binary32() {
        let specials = [
            0u32,
            0x8000_0000,
            0x3F80_0000,
            0xBF80_0000,
            0x3F80_0001,
            0x3380_0000, // 2^-24: a tie against 1.0
            0xB300_0000, // -2^-25
            0x7F7F_FFFF,
            0xFF7F_FFFF,
            0x7F80_0000,
            0xFF80_0000,
            0x7FC0_0001,
            0x0000_0001,
            0x807F_FFFF,
            0x0080_0000,
        ];
        let mut pairs: Vec<(u32, u32)> = specials
            .iter()
            .flat_map(|&a| specials.iter().map(move |&b| (a, b)))
            .collect();
        let mut rng = crate::verify::vectors::rng(11);
        for _ in 0..2000 {
            // Exponents within 2^6 of each other, so that sums round and
            // cancel; and uniform codes.
            let e: u32 = rng.gen_range(100..150);
            let a = (rng.gen::<u32>() & 0x807F_FFFF) | e << 23;
            let b = (rng.gen::<u32>() & 0x807F_FFFF) | (e + rng.gen_range(0..6)) << 23;
            pairs.push((a, b));
            pairs.push((rng.gen(), rng.gen()));
        }
        let got = crate::designs::simulate::<Fp32Add>(&pairs);
        for (&(a, b), &y) in pairs.iter().zip(&got) {
            assert_eq!(y, reference(a, b), "{a:#010x} + {b:#010x}");
        }
    }
}
