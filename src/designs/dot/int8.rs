//! `dot_int8_n<N>` in rust-hdl (spec section 8), beside its reference
//! `crate::formats::dot::DOT_INT8`: N lanes of the INT8 multiplier
//! (`../int8_mul.rs`), each 16-bit product sign-extended to W bits
//! (`p`) and added to the running sum (`sum_out`).

use rust_hdl::prelude::*;

use crate::designs::int8_mul::Int8MulHdl;

/// One lane: the INT8 product sign-extended to W bits, plus `sum_in`.
#[derive(LogicBlock)]
pub struct Int8Lane<const W: usize> {
    /// First operand (two's complement).
    pub a: Signal<In, Bits<8>>,
    /// Second operand (two's complement).
    pub b: Signal<In, Bits<8>>,
    /// The sum of the lanes before (or `acc_in`).
    pub sum_in: Signal<In, Bits<W>>,
    /// `sum_in` plus this lane's product.
    pub sum_out: Signal<Out, Bits<W>>,
    mul: Int8MulHdl,
    y: Signal<Local, Bits<16>>,
    p: Signal<Local, Bits<W>>,
    high_ones: Constant<Bits<W>>,
}

impl<const W: usize> Default for Int8Lane<W> {
    fn default() -> Self {
        // Bits 16..W set: the sign extension of a negative product.
        let high = ((1u64 << W) - 1) & !0xFFFF;
        Int8Lane {
            a: Default::default(),
            b: Default::default(),
            sum_in: Default::default(),
            sum_out: Default::default(),
            mul: Default::default(),
            y: Default::default(),
            p: Default::default(),
            high_ones: Constant::new(high.into()),
        }
    }
}

impl<const W: usize> Logic for Int8Lane<W> {
    #[hdl_gen]
    fn update(&mut self) {
        self.mul.a.next = self.a.val();
        self.mul.b.next = self.b.val();
        self.y.next = self.mul.y.val();
        if self.y.val().get_bit(15) {
            self.p.next = self.high_ones.val() | bit_cast::<W, 16>(self.y.val());
        } else {
            self.p.next = bit_cast::<W, 16>(self.y.val());
        }
        self.sum_out.next = self.sum_in.val() + self.p.val();
    }
}

super::dot_unit!(
    DotInt8,
    Int8Lane,
    8,
    "`dot_int8_n<N>`: N INT8 lanes; `a`, `b` are packed buses of N codes (`AW = 8 N` bits)."
);
