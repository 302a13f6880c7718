//! `dot_fp8_e4m3_n<N>` in rust-hdl (spec section 8), beside its reference
//! `crate::formats::dot::DOT_FP8_E4M3`: N lanes, each the *exact* product
//! of two OCP E4M3 values (the rounding multiplier `fp8_e4m3_mul` would
//! lose bits, so the lane forms the 8-bit significand product itself) as
//! W-bit two's complement with LSB 2^-18, summed with `acc_in`, wrapping.
//! A NaN operand (S.1111.111) counts as 0 and sets `invalid`. Steps:
//!
//! 1. decode, per operand: `sig` = 8 + M (or M when E = 0) and `exp` = E
//!    (1 when E = 0), `nan`;
//! 2. `prod` = `a_sig * b_sig` (at most 15 x 15, 8 bits), `shift` =
//!    `a_exp + b_exp - 2`: the value is `prod * 2^(a_exp + b_exp - 20)`,
//!    in LSBs of 2^-18 `prod << shift` (0..28);
//! 3. `p`: `magnitude` negated when the signs differ, zero for a NaN;
//! 4. `sum_out` = `sum_in + p`; `invalid_out` = `invalid_in | nan`.

use rust_hdl::prelude::*;

/// One lane: the exact product of two E4M3 codes, added to `sum_in`.
#[derive(LogicBlock)]
pub struct Fp8E4m3Lane<const W: usize> {
    /// First operand.
    pub a: Signal<In, Bits<8>>,
    /// Second operand.
    pub b: Signal<In, Bits<8>>,
    /// The sum of the lanes before (or `acc_in`).
    pub sum_in: Signal<In, Bits<W>>,
    /// `sum_in` plus this lane's product.
    pub sum_out: Signal<Out, Bits<W>>,
    /// Some lane before had a NaN operand.
    pub invalid_in: Signal<In, Bit>,
    /// `invalid_in`, or this lane has a NaN operand.
    pub invalid_out: Signal<Out, Bit>,
    // Step 1: decode.
    a_exp: Signal<Local, Bits<4>>,
    b_exp: Signal<Local, Bits<4>>,
    a_frac: Signal<Local, Bits<3>>,
    b_frac: Signal<Local, Bits<3>>,
    a_sig: Signal<Local, Bits<16>>,
    b_sig: Signal<Local, Bits<16>>,
    a_exp_eff: Signal<Local, Bits<6>>,
    b_exp_eff: Signal<Local, Bits<6>>,
    nan: Signal<Local, Bit>,
    sign: Signal<Local, Bit>,
    // Step 2: exact product.
    prod_full: Signal<Local, Bits<32>>,
    prod: Signal<Local, Bits<8>>,
    unused_prod_hi: Signal<Local, Bits<24>>,
    shift: Signal<Local, Bits<6>>,
    magnitude: Signal<Local, Bits<W>>,
    // Step 3: signed product.
    p: Signal<Local, Bits<W>>,
    exp_zero: Constant<Bits<4>>,
    nan_bits: Constant<Bits<7>>,
    hidden: Constant<Bits<16>>,
    one: Constant<Bits<6>>,
    two: Constant<Bits<6>>,
    nothing: Constant<Bits<W>>,
}

impl<const W: usize> Default for Fp8E4m3Lane<W> {
    fn default() -> Self {
        Fp8E4m3Lane {
            a: Default::default(),
            b: Default::default(),
            sum_in: Default::default(),
            sum_out: Default::default(),
            invalid_in: Default::default(),
            invalid_out: Default::default(),
            a_exp: Default::default(),
            b_exp: Default::default(),
            a_frac: Default::default(),
            b_frac: Default::default(),
            a_sig: Default::default(),
            b_sig: Default::default(),
            a_exp_eff: Default::default(),
            b_exp_eff: Default::default(),
            nan: Default::default(),
            sign: Default::default(),
            prod_full: Default::default(),
            prod: Default::default(),
            unused_prod_hi: Default::default(),
            shift: Default::default(),
            magnitude: Default::default(),
            p: Default::default(),
            exp_zero: Constant::new(0.into()),
            nan_bits: Constant::new(0x7F.into()),
            hidden: Constant::new(8.into()),
            one: Constant::new(1.into()),
            two: Constant::new(2.into()),
            nothing: Constant::new(0.into()),
        }
    }
}

impl<const W: usize> Logic for Fp8E4m3Lane<W> {
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
        self.nan.next = (self.a.val().get_bits::<7>(0) == self.nan_bits.val())
            | (self.b.val().get_bits::<7>(0) == self.nan_bits.val());
        self.sign.next = self.a.val().get_bit(7) ^ self.b.val().get_bit(7);
        self.prod_full.next = self.a_sig.val() * self.b_sig.val();
        self.prod.next = self.prod_full.val().get_bits::<8>(0);
        self.unused_prod_hi.next = self.prod_full.val().get_bits::<24>(8);
        self.shift.next = self.a_exp_eff.val() + self.b_exp_eff.val() - self.two.val();
        self.magnitude.next = bit_cast::<W, 8>(self.prod.val()) << self.shift.val();
        if self.nan.val() {
            self.p.next = self.nothing.val();
        } else if self.sign.val() {
            self.p.next = self.nothing.val() - self.magnitude.val();
        } else {
            self.p.next = self.magnitude.val();
        }
        self.sum_out.next = self.sum_in.val() + self.p.val();
        self.invalid_out.next = self.invalid_in.val() | self.nan.val();
    }
}

/// `dot_fp8_e4m3_n<N>`: N E4M3 lanes; `a`, `b` are packed buses of N codes
/// (`AW = 8 N` bits); `invalid` is set when any operand is NaN.
#[derive(LogicBlock)]
pub struct DotFp8E4m3<const N: usize, const AW: usize, const W: usize> {
    /// Lane i's first operand, in bits `[8 i +: 8]`.
    pub a: Signal<In, Bits<AW>>,
    /// Lane i's second operand, in bits `[8 i +: 8]`.
    pub b: Signal<In, Bits<AW>>,
    /// The accumulator before.
    pub acc_in: Signal<In, Bits<W>>,
    /// The accumulator after.
    pub acc_out: Signal<Out, Bits<W>>,
    /// Some operand was NaN (its product counted as 0).
    pub invalid: Signal<Out, Bit>,
    lanes: [Fp8E4m3Lane<W>; N],
    valid: Constant<Bit>,
}

impl<const N: usize, const AW: usize, const W: usize> Default for DotFp8E4m3<N, AW, W> {
    fn default() -> Self {
        assert_eq!(AW, 8 * N, "AW is the code width times the lanes");
        DotFp8E4m3 {
            a: Default::default(),
            b: Default::default(),
            acc_in: Default::default(),
            acc_out: Default::default(),
            invalid: Default::default(),
            lanes: std::array::from_fn(|_| Default::default()),
            valid: Constant::new(false),
        }
    }
}

impl<const N: usize, const AW: usize, const W: usize> Logic for DotFp8E4m3<N, AW, W> {
    #[hdl_gen]
    fn update(&mut self) {
        self.lanes[0].sum_in.next = self.acc_in.val();
        self.lanes[0].invalid_in.next = self.valid.val();
        for i in 0..N {
            self.lanes[i].a.next = self.a.val().get_bits::<8>(i * 8);
            self.lanes[i].b.next = self.b.val().get_bits::<8>(i * 8);
        }
        for i in 1..N {
            self.lanes[i].sum_in.next = self.lanes[i - 1].sum_out.val();
            self.lanes[i].invalid_in.next = self.lanes[i - 1].invalid_out.val();
        }
        // The last lane (a loop of one: rust-hdl resolves an index only
        // from loop variables).
        for i in (N - 1)..N {
            self.acc_out.next = self.lanes[i].sum_out.val();
            self.invalid.next = self.lanes[i].invalid_out.val();
        }
    }
}
