//! The dot-product units in rust-hdl (spec section 8), beside their
//! references in `crate::formats::dot`. Each format has a lane block (its
//! multiplier as a sub-block, the product turned into the accumulator's
//! fixed point, added to the running sum of the lanes before it: rust-hdl
//! cannot accumulate in a loop, as a kernel never reads `.next`), and
//! [`dot_unit!`] chains N lanes from `acc_in` to `acc_out`. The sum is
//! exact, so its order does not change the result.

pub mod exact;
pub mod rf8;

pub use exact::{DotFp4E2m1, DotInt8};
pub use rf8::DotRf8;

/// A unit of N lanes of `$lane<W>` on `$w`-bit codes: `a`, `b` packed
/// buses (`AW = $w N` bits, lane i in bits `[$w i +: $w]`), `acc_in`,
/// `acc_out` W bits. Every lane block has ports `a`, `b`, `sum_in`,
/// `sum_out`.
macro_rules! dot_unit {
    ($name:ident, $lane:ident, $w:tt, $doc:expr) => {
        #[doc = $doc]
        #[derive(LogicBlock)]
        pub struct $name<const N: usize, const AW: usize, const W: usize> {
            /// Lane i's first operand, in bits `[w i +: w]`.
            pub a: Signal<In, Bits<AW>>,
            /// Lane i's second operand, in bits `[w i +: w]`.
            pub b: Signal<In, Bits<AW>>,
            /// The accumulator before.
            pub acc_in: Signal<In, Bits<W>>,
            /// The accumulator after.
            pub acc_out: Signal<Out, Bits<W>>,
            lanes: [$lane<W>; N],
        }

        impl<const N: usize, const AW: usize, const W: usize> Default for $name<N, AW, W> {
            fn default() -> Self {
                assert_eq!(AW, $w * N, "AW is the code width times the lanes");
                $name {
                    a: Default::default(),
                    b: Default::default(),
                    acc_in: Default::default(),
                    acc_out: Default::default(),
                    lanes: std::array::from_fn(|_| Default::default()),
                }
            }
        }

        impl<const N: usize, const AW: usize, const W: usize> Logic for $name<N, AW, W> {
            #[hdl_gen]
            fn update(&mut self) {
                self.lanes[0].sum_in.next = self.acc_in.val();
                for i in 0..N {
                    self.lanes[i].a.next = self.a.val().get_bits::<$w>(i * $w);
                    self.lanes[i].b.next = self.b.val().get_bits::<$w>(i * $w);
                }
                for i in 1..N {
                    self.lanes[i].sum_in.next = self.lanes[i - 1].sum_out.val();
                }
                // The last lane (a loop of one: rust-hdl resolves an index
                // only from loop variables).
                for i in (N - 1)..N {
                    self.acc_out.next = self.lanes[i].sum_out.val();
                }
            }
        }
    };
}
pub(crate) use dot_unit;
