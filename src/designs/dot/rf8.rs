//! `dot_rf8_n<N>` in rust-hdl (spec section 8), beside its reference
//! `crate::formats::dot::DOT_RF8`: N lanes of the RF8 multiplier
//! (`../rf8_mul.rs`), each product turned into W-bit two's complement with
//! LSB 2^-19, summed with `acc_in`, wrapping. Signals follow the spec:
//!
//! 1. per lane, `y`: the RF8 product code of `a[i]`, `b[i]`;
//! 2. `shift`: where its leading bit lands, `e + 18 - R` (0..33), and
//!    `mant`, its two set bits `2^(R+1) + 1`;
//! 3. `p`: `mant << shift`, negated when the product is negative, zero for
//!    a zero product;
//! 4. `sum_out`: `acc_in + p[0] + ... + p[N-1]` in W bits, lane by lane
//!    (a chain; the sum is exact, so its order does not matter).

use rust_hdl::prelude::*;

use crate::designs::rf8_mul::Rf8MulHdl;

/// One lane: the product of two RF8 codes as W-bit two's complement in
/// LSBs of 2^-19, added to the running sum of the lanes before it (rust-hdl
/// cannot accumulate in a loop: a kernel never reads `.next`).
#[derive(LogicBlock)]
pub struct Rf8Lane<const W: usize> {
    /// First operand.
    pub a: Signal<In, Bits<8>>,
    /// Second operand.
    pub b: Signal<In, Bits<8>>,
    /// The sum of the lanes before (or `acc_in`).
    pub sum_in: Signal<In, Bits<W>>,
    /// `sum_in` plus this lane's product.
    pub sum_out: Signal<Out, Bits<W>>,
    p: Signal<Local, Bits<W>>,
    mul: Rf8MulHdl,
    y: Signal<Local, Bits<8>>,
    zero: Signal<Local, Bit>,
    exp_field: Signal<Local, Bits<4>>,
    res_field: Signal<Local, Bits<2>>,
    exp_mag: Signal<Local, Bits<6>>,
    residual: Signal<Local, Bits<6>>,
    shift: Signal<Local, Bits<6>>,
    mant: Signal<Local, Bits<W>>,
    magnitude: Signal<Local, Bits<W>>,
    zero_exp_field: Constant<Bits<5>>,
    bias: Constant<Bits<6>>,
    two: Constant<Bits<W>>,
    one: Constant<Bits<W>>,
    nothing: Constant<Bits<W>>,
}

impl<const W: usize> Default for Rf8Lane<W> {
    fn default() -> Self {
        Rf8Lane {
            a: Default::default(),
            b: Default::default(),
            sum_in: Default::default(),
            sum_out: Default::default(),
            p: Default::default(),
            mul: Default::default(),
            y: Default::default(),
            zero: Default::default(),
            exp_field: Default::default(),
            res_field: Default::default(),
            exp_mag: Default::default(),
            residual: Default::default(),
            shift: Default::default(),
            mant: Default::default(),
            magnitude: Default::default(),
            zero_exp_field: Constant::new(0b10000.into()),
            // The value of code {S, E, R} in LSBs of 2^-19 is
            // (2^(R+1) + 1) << (e + 19 - (R+1)).
            bias: Constant::new(18.into()),
            two: Constant::new(2.into()),
            one: Constant::new(1.into()),
            nothing: Constant::new(0.into()),
        }
    }
}

impl<const W: usize> Logic for Rf8Lane<W> {
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
            self.shift.next = self.bias.val() - self.exp_mag.val() - self.residual.val();
        } else {
            self.shift.next = self.bias.val() + self.exp_mag.val() - self.residual.val();
        }
        self.mant.next = (self.two.val() << self.residual.val()) | self.one.val();
        self.magnitude.next = self.mant.val() << self.shift.val();
        if self.zero.val() {
            self.p.next = self.nothing.val();
        } else if self.y.val().get_bit(7) {
            self.p.next = self.nothing.val() - self.magnitude.val();
        } else {
            self.p.next = self.magnitude.val();
        }
        self.sum_out.next = self.sum_in.val() + self.p.val();
    }
}

super::dot_unit!(
    DotRf8,
    Rf8Lane,
    8,
    "`dot_rf8_n<N>`: N RF8 lanes; `a`, `b` are packed buses of N codes (`AW = 8 N` bits)."
);
