//! The units whose multiplier already returns the exact product in the
//! accumulator's fixed point, as two's complement: `dot_int8_n<N>` (the
//! 16-bit product of `../int8_mul.rs`, LSB 1) and `dot_fp4_e2m1_n<N>` (the
//! 9-bit product of `../fp4_mul.rs`, LSB 2^-2), beside their references
//! `DOT_INT8` and `DOT_FP4_E2M1` in `crate::formats::dot`. A lane
//! sign-extends the product to W bits (`p`) and adds it to the running sum
//! (`sum_out`).

use rust_hdl::prelude::*;

use crate::designs::fp4_mul::Fp4E2m1MulHdl;
use crate::designs::int8_mul::Int8MulHdl;

/// A lane `$lane<W>` around multiplier `$mul` (`$cw`-bit codes, `$yw`-bit
/// two's complement product).
macro_rules! sign_extending_lane {
    ($lane:ident, $mul:ident, $cw:tt, $yw:tt) => {
        /// One lane: the product sign-extended to W bits, plus `sum_in`.
        #[derive(LogicBlock)]
        pub struct $lane<const W: usize> {
            /// First operand.
            pub a: Signal<In, Bits<$cw>>,
            /// Second operand.
            pub b: Signal<In, Bits<$cw>>,
            /// The sum of the lanes before (or `acc_in`).
            pub sum_in: Signal<In, Bits<W>>,
            /// `sum_in` plus this lane's product.
            pub sum_out: Signal<Out, Bits<W>>,
            mul: $mul,
            y: Signal<Local, Bits<$yw>>,
            p: Signal<Local, Bits<W>>,
            high_ones: Constant<Bits<W>>,
        }

        impl<const W: usize> Default for $lane<W> {
            fn default() -> Self {
                // Bits $yw..W set: the sign extension of a negative product.
                let high = ((1u64 << W) - 1) & !((1u64 << $yw) - 1);
                $lane {
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

        impl<const W: usize> Logic for $lane<W> {
            #[hdl_gen]
            fn update(&mut self) {
                self.mul.a.next = self.a.val();
                self.mul.b.next = self.b.val();
                self.y.next = self.mul.y.val();
                if self.y.val().get_bit($yw - 1) {
                    self.p.next = self.high_ones.val() | bit_cast::<W, $yw>(self.y.val());
                } else {
                    self.p.next = bit_cast::<W, $yw>(self.y.val());
                }
                self.sum_out.next = self.sum_in.val() + self.p.val();
            }
        }
    };
}

pub(crate) use sign_extending_lane;

sign_extending_lane!(Int8Lane, Int8MulHdl, 8, 16);
sign_extending_lane!(Fp4Lane, Fp4E2m1MulHdl, 4, 9);

super::dot_unit!(
    DotInt8,
    Int8Lane,
    8,
    "`dot_int8_n<N>`: N INT8 lanes; `a`, `b` are packed buses of N codes (`AW = 8 N` bits)."
);

super::dot_unit!(
    DotFp4E2m1,
    Fp4Lane,
    4,
    "`dot_fp4_e2m1_n<N>`: N MX FP4 lanes; `a`, `b` are packed buses of N codes (`AW = 4 N` bits)."
);
