//! The minimal FP16 multiplier (`fp16_mul_lite`) in rust-hdl, beside its
//! reference `baselines::FP16_MUL_LITE`: binary16 fields with no Inf, NaN or
//! subnormals, truncation, flush to zero and saturation. It is the
//! cheapest circuit that still deserves the name FP16, a generous lower
//! bound for FP16 area.
//!
//! Steps: decode (`a_zero`, `a_sig` with the hidden bit always set), raw
//! product (`prod`, `exp_top`), normalise by one bit (`prod` top bit
//! `high`), truncate (`kept`), then `flush` / `saturate` and the sign.

use rust_hdl::prelude::*;

/// The combinational minimal FP16 multiplier.
#[derive(LogicBlock)]
pub struct Fp16MulLiteHdl {
    /// First operand.
    pub a: Signal<In, Bits<16>>,
    /// Second operand.
    pub b: Signal<In, Bits<16>>,
    /// Product.
    pub y: Signal<Out, Bits<16>>,
    // Step 1: decode.
    a_exp: Signal<Local, Bits<5>>,
    b_exp: Signal<Local, Bits<5>>,
    a_frac: Signal<Local, Bits<10>>,
    b_frac: Signal<Local, Bits<10>>,
    zero: Signal<Local, Bit>,
    a_sig: Signal<Local, Bits<16>>,
    b_sig: Signal<Local, Bits<16>>,
    sign: Signal<Local, Bit>,
    // Step 2: raw product.
    prod_full: Signal<Local, Bits<32>>,
    prod: Signal<Local, Bits<22>>,
    unused_prod_hi: Signal<Local, Bits<10>>,
    exp_top: Signal<Local, Bits<8>>,
    // Step 3: normalise by one bit, truncate.
    high: Signal<Local, Bit>,
    kept: Signal<Local, Bits<11>>,
    unused_truncated: Signal<Local, Bits<10>>,
    exp_n: Signal<Local, Bits<8>>,
    exp_field: Signal<Local, Bits<8>>,
    // Step 4: flush, saturate, pack.
    flush: Signal<Local, Bit>,
    saturate: Signal<Local, Bit>,
    mag: Signal<Local, Bits<16>>,
    magnitude: Signal<Local, Bits<16>>,
    // Constants.
    exp_zero: Constant<Bits<5>>,
    sig_hidden: Constant<Bits<16>>,
    x_zero: Constant<Bits<8>>,
    x_one: Constant<Bits<8>>,
    x_bias_adj: Constant<Bits<8>>,
    x_exp_max: Constant<Bits<8>>,
    frac_shift: Constant<Bits<16>>,
    code_zero: Constant<Bits<16>>,
    code_max: Constant<Bits<16>>,
    sign_mask: Constant<Bits<16>>,
}

impl Default for Fp16MulLiteHdl {
    fn default() -> Self {
        use crate::formats::baselines::FP16_MUL_LITE as F;
        Fp16MulLiteHdl {
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
            exp_zero: Constant::new(0.into()),
            sig_hidden: Constant::new((1u64 << F.frac_bits).to_bits()),
            x_zero: Constant::new(0.into()),
            x_one: Constant::new(1.into()),
            // exp_top = ea + eb - bias + 1, in 8-bit two's complement.
            x_bias_adj: Constant::new(((1 - F.bias) as u8 as u64).to_bits()),
            x_exp_max: Constant::new(((1u64 << F.exp_bits) - 1).to_bits()),
            frac_shift: Constant::new((F.frac_bits as u64).to_bits()),
            code_zero: Constant::new(0.into()),
            code_max: Constant::new((F.max_finite_mag() as u64).to_bits()),
            sign_mask: Constant::new((F.sign_mask() as u64).to_bits()),
        }
    }
}

impl Logic for Fp16MulLiteHdl {
    #[hdl_gen]
    fn update(&mut self) {
        // Step 1: decode; exponent field 0 reads as zero.
        self.sign.next = self.a.val().get_bit(15) ^ self.b.val().get_bit(15);
        self.a_exp.next = self.a.val().get_bits::<5>(10);
        self.b_exp.next = self.b.val().get_bits::<5>(10);
        self.a_frac.next = self.a.val().get_bits::<10>(0);
        self.b_frac.next = self.b.val().get_bits::<10>(0);
        self.zero.next =
            (self.a_exp.val() == self.exp_zero.val()) | (self.b_exp.val() == self.exp_zero.val());
        self.a_sig.next = bit_cast::<16, 10>(self.a_frac.val()) | self.sig_hidden.val();
        self.b_sig.next = bit_cast::<16, 10>(self.b_frac.val()) | self.sig_hidden.val();
        // Step 2: raw product, in [2^20, 2^22).
        self.prod_full.next = self.a_sig.val() * self.b_sig.val();
        self.prod.next = self.prod_full.val().get_bits::<22>(0);
        self.unused_prod_hi.next = self.prod_full.val().get_bits::<10>(22);
        self.exp_top.next = bit_cast::<8, 5>(self.a_exp.val())
            + bit_cast::<8, 5>(self.b_exp.val())
            + self.x_bias_adj.val();
        // Step 3: one-bit normalisation; the bits below `kept` are dropped
        // (truncation toward zero).
        self.high.next = self.prod.val().get_bit(21);
        if self.high.val() {
            self.kept.next = self.prod.val().get_bits::<11>(11);
            self.unused_truncated.next = self.prod.val().get_bits::<10>(1);
            self.exp_n.next = self.exp_top.val();
        } else {
            self.kept.next = self.prod.val().get_bits::<11>(10);
            self.unused_truncated.next = self.prod.val().get_bits::<10>(0);
            self.exp_n.next = self.exp_top.val() - self.x_one.val();
        }
        // Step 4: flush below 2^-14, saturate above exponent 31, pack.
        self.flush.next = self.exp_n.val().get_bit(7) | (self.exp_n.val() == self.x_zero.val());
        self.saturate.next =
            !self.exp_n.val().get_bit(7) & (self.exp_n.val() > self.x_exp_max.val());
        self.exp_field.next = self.exp_n.val() - self.x_one.val();
        self.mag.next = (bit_cast::<16, 8>(self.exp_field.val()) << self.frac_shift.val())
            + bit_cast::<16, 11>(self.kept.val());
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

super::impl_ports!(Fp16MulLiteHdl);
