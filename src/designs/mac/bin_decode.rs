//! What an exponent-indexed MAC unit (`eia.rs`) needs of one product: the
//! bin it goes to, `k`, and the small signed integer added there, `m`, so
//! that the product is `m * 2^k` in the accumulator's LSBs. No alignment
//! shifter: the shift is the bin's index, applied once per dot product by
//! the reconstruction.
//!
//! * RF8: the product code `y` of the RF8 multiplier (`../rf8_mul.rs`) is
//!   `(2^(R+1) + 1) << shift` with `shift = e + 18 - R` in 0..33, as in
//!   `dot_rf8` (`../dot/rf8.rs`): `k = shift`, `m = +-(2^(R+1) + 1)`
//!   (3, 5, 9 or 17), 0 for a zero product. 34 bins, `m` in 6 bits.
//! * E4M3: the exact significand product `prod` (at most 15 x 15) and
//!   `shift = a_exp + b_exp - 2` in 0..28, as in `dot_fp8_e4m3`
//!   (`../dot/fp8.rs`): `k = shift`, `m = +-prod`, 0 and `nan` for a NaN
//!   operand. 29 bins, `m` in 9 bits.

use rust_hdl::prelude::*;

use crate::designs::rf8_mul::Rf8MulHdl;

/// RF8: 34 bins (`k` in 0..33), `m` in -17..17 (6 bits).
#[derive(LogicBlock)]
pub struct Rf8Bin {
    /// First operand.
    pub a: Signal<In, Bits<8>>,
    /// Second operand.
    pub b: Signal<In, Bits<8>>,
    /// The bin: the product's shift in LSBs of 2^-19.
    pub k: Signal<Out, Bits<6>>,
    /// The signed integer added to the bin (two's complement).
    pub m: Signal<Out, Bits<6>>,
    mul: Rf8MulHdl,
    y: Signal<Local, Bits<8>>,
    zero: Signal<Local, Bit>,
    exp_field: Signal<Local, Bits<4>>,
    res_field: Signal<Local, Bits<2>>,
    exp_mag: Signal<Local, Bits<6>>,
    residual: Signal<Local, Bits<6>>,
    mant: Signal<Local, Bits<6>>,
    zero_exp_field: Constant<Bits<5>>,
    bias: Constant<Bits<6>>,
    two: Constant<Bits<6>>,
    one: Constant<Bits<6>>,
    nothing: Constant<Bits<6>>,
}

impl Default for Rf8Bin {
    fn default() -> Self {
        Rf8Bin {
            a: Default::default(),
            b: Default::default(),
            k: Default::default(),
            m: Default::default(),
            mul: Default::default(),
            y: Default::default(),
            zero: Default::default(),
            exp_field: Default::default(),
            res_field: Default::default(),
            exp_mag: Default::default(),
            residual: Default::default(),
            mant: Default::default(),
            zero_exp_field: Constant::new(0b10000.into()),
            bias: Constant::new(18.into()),
            two: Constant::new(2.into()),
            one: Constant::new(1.into()),
            nothing: Constant::new(0.into()),
        }
    }
}

impl Logic for Rf8Bin {
    #[hdl_gen]
    fn update(&mut self) {
        self.mul.a.next = self.a.val();
        self.mul.b.next = self.b.val();
        self.y.next = self.mul.y.val();
        self.zero.next = self.y.val().get_bits::<5>(2) == self.zero_exp_field.val();
        self.exp_field.next = self.y.val().get_bits::<4>(2);
        self.res_field.next = self.y.val().get_bits::<2>(0);
        self.exp_mag.next = bit_cast::<6, 4>(self.exp_field.val());
        self.residual.next = bit_cast::<6, 2>(self.res_field.val());
        if self.y.val().get_bit(6) {
            self.k.next = self.bias.val() - self.exp_mag.val() - self.residual.val();
        } else {
            self.k.next = self.bias.val() + self.exp_mag.val() - self.residual.val();
        }
        self.mant.next = (self.two.val() << self.residual.val()) | self.one.val();
        if self.zero.val() {
            self.m.next = self.nothing.val();
        } else if self.y.val().get_bit(7) {
            self.m.next = self.nothing.val() - self.mant.val();
        } else {
            self.m.next = self.mant.val();
        }
    }
}

/// E4M3: 29 bins (`k` in 0..28), `m` in -225..225 (9 bits).
#[derive(LogicBlock)]
pub struct Fp8E4m3Bin {
    /// First operand.
    pub a: Signal<In, Bits<8>>,
    /// Second operand.
    pub b: Signal<In, Bits<8>>,
    /// The bin: the product's shift in LSBs of 2^-18.
    pub k: Signal<Out, Bits<6>>,
    /// The signed integer added to the bin (two's complement).
    pub m: Signal<Out, Bits<9>>,
    /// An operand is NaN (the product counts as 0).
    pub nan: Signal<Out, Bit>,
    a_exp: Signal<Local, Bits<4>>,
    b_exp: Signal<Local, Bits<4>>,
    a_frac: Signal<Local, Bits<3>>,
    b_frac: Signal<Local, Bits<3>>,
    a_sig: Signal<Local, Bits<16>>,
    b_sig: Signal<Local, Bits<16>>,
    a_exp_eff: Signal<Local, Bits<6>>,
    b_exp_eff: Signal<Local, Bits<6>>,
    is_nan: Signal<Local, Bit>,
    prod_full: Signal<Local, Bits<32>>,
    prod: Signal<Local, Bits<9>>,
    unused_prod_hi: Signal<Local, Bits<23>>,
    exp_zero: Constant<Bits<4>>,
    nan_bits: Constant<Bits<7>>,
    hidden: Constant<Bits<16>>,
    one: Constant<Bits<6>>,
    two: Constant<Bits<6>>,
    nothing: Constant<Bits<9>>,
}

impl Default for Fp8E4m3Bin {
    fn default() -> Self {
        Fp8E4m3Bin {
            a: Default::default(),
            b: Default::default(),
            k: Default::default(),
            m: Default::default(),
            nan: Default::default(),
            a_exp: Default::default(),
            b_exp: Default::default(),
            a_frac: Default::default(),
            b_frac: Default::default(),
            a_sig: Default::default(),
            b_sig: Default::default(),
            a_exp_eff: Default::default(),
            b_exp_eff: Default::default(),
            is_nan: Default::default(),
            prod_full: Default::default(),
            prod: Default::default(),
            unused_prod_hi: Default::default(),
            exp_zero: Constant::new(0.into()),
            nan_bits: Constant::new(0x7F.into()),
            hidden: Constant::new(8.into()),
            one: Constant::new(1.into()),
            two: Constant::new(2.into()),
            nothing: Constant::new(0.into()),
        }
    }
}

impl Logic for Fp8E4m3Bin {
    #[hdl_gen]
    fn update(&mut self) {
        self.a_exp.next = self.a.val().get_bits::<4>(3);
        self.b_exp.next = self.b.val().get_bits::<4>(3);
        self.a_frac.next = self.a.val().get_bits::<3>(0);
        self.b_frac.next = self.b.val().get_bits::<3>(0);
        if self.a_exp.val() == self.exp_zero.val() {
            self.a_sig.next = bit_cast::<16, 3>(self.a_frac.val());
            self.a_exp_eff.next = self.one.val();
        } else {
            self.a_sig.next = bit_cast::<16, 3>(self.a_frac.val()) | self.hidden.val();
            self.a_exp_eff.next = bit_cast::<6, 4>(self.a_exp.val());
        }
        if self.b_exp.val() == self.exp_zero.val() {
            self.b_sig.next = bit_cast::<16, 3>(self.b_frac.val());
            self.b_exp_eff.next = self.one.val();
        } else {
            self.b_sig.next = bit_cast::<16, 3>(self.b_frac.val()) | self.hidden.val();
            self.b_exp_eff.next = bit_cast::<6, 4>(self.b_exp.val());
        }
        self.is_nan.next = (self.a.val().get_bits::<7>(0) == self.nan_bits.val())
            | (self.b.val().get_bits::<7>(0) == self.nan_bits.val());
        self.prod_full.next = self.a_sig.val() * self.b_sig.val();
        self.prod.next = self.prod_full.val().get_bits::<9>(0);
        self.unused_prod_hi.next = self.prod_full.val().get_bits::<23>(9);
        self.k.next = self.a_exp_eff.val() + self.b_exp_eff.val() - self.two.val();
        if self.is_nan.val() {
            self.m.next = self.nothing.val();
        } else if self.a.val().get_bit(7) ^ self.b.val().get_bit(7) {
            self.m.next = self.nothing.val() - self.prod.val();
        } else {
            self.m.next = self.prod.val();
        }
        self.nan.next = self.is_nan.val();
    }
}
