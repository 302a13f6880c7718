//! `dot_fp16_n<N>` and `dot_bf16_n<N>` in rust-hdl (spec section 8), the
//! tensor-core arrangement, beside their references `DOT_FP16` and
//! `DOT_BF16` in `crate::formats::dot`:
//!
//! 1. `lanes[i]`: `p_i = fl32(a_i * b_i)` (`widen.rs`);
//! 2. the adder tree (`fp32_add.rs`), in the spec's fixed order: level 1
//!    adds `p_0 + p_1`, `p_2 + p_3`, ...; each next level adds neighbouring
//!    results. `adders[0..N-1]` are the nodes in order (the node between
//!    lanes 2j and 2j + 1 is `adders[2j]`; the root is `adders[N/2 - 1]`);
//! 3. `adders[N - 1]`: `acc_out = fl32(acc_in + root)` (for N = 1,
//!    `acc_in + p_0`).
//!
//! Unlike the fixed-point units the order is part of the definition:
//! binary32 addition is not associative.

use rust_hdl::prelude::*;

use super::fp32_add::Fp32Add;
use super::widen::{Bf16Product, Fp16Product};

macro_rules! float_dot_unit {
    ($name:ident, $lane:ident, $doc:expr) => {
        #[doc = $doc]
        #[derive(LogicBlock)]
        pub struct $name<const N: usize, const AW: usize> {
            /// Lane i's first operand, in bits `[16 i +: 16]`.
            pub a: Signal<In, Bits<AW>>,
            /// Lane i's second operand, in bits `[16 i +: 16]`.
            pub b: Signal<In, Bits<AW>>,
            /// The accumulator before (binary32 code).
            pub acc_in: Signal<In, Bits<32>>,
            /// The accumulator after (binary32 code).
            pub acc_out: Signal<Out, Bits<32>>,
            lanes: [$lane; N],
            adders: [Fp32Add; N],
        }

        impl<const N: usize, const AW: usize> Default for $name<N, AW> {
            fn default() -> Self {
                assert_eq!(AW, 16 * N, "AW is the code width times the lanes");
                assert!(
                    N.is_power_of_two() && N <= 32,
                    "N is a power of two up to 32"
                );
                $name {
                    a: Default::default(),
                    b: Default::default(),
                    acc_in: Default::default(),
                    acc_out: Default::default(),
                    lanes: std::array::from_fn(|_| Default::default()),
                    adders: std::array::from_fn(|_| Default::default()),
                }
            }
        }

        impl<const N: usize, const AW: usize> Logic for $name<N, AW> {
            #[hdl_gen]
            fn update(&mut self) {
                for i in 0..N {
                    self.lanes[i].a.next = self.a.val().get_bits::<16>(i * 16);
                    self.lanes[i].b.next = self.b.val().get_bits::<16>(i * 16);
                }
                // The tree's nodes are numbered in order (node 2^L m +
                // 2^(L-1) - 1 of level L adds lanes [2^L m, 2^L (m + 1))),
                // so every index is a function of its loop variable alone:
                // rust-hdl resolves indices from loop variables, not from N.
                // Level 1: node 2j adds lanes 2j and 2j + 1.
                for j in 0..(N / 2) {
                    self.adders[2 * j].a.next = self.lanes[2 * j].y.val();
                    self.adders[2 * j].b.next = self.lanes[2 * j + 1].y.val();
                }
                for m in 0..(N / 4) {
                    self.adders[4 * m + 1].a.next = self.adders[4 * m].y.val();
                    self.adders[4 * m + 1].b.next = self.adders[4 * m + 2].y.val();
                }
                for m in 0..(N / 8) {
                    self.adders[8 * m + 3].a.next = self.adders[8 * m + 1].y.val();
                    self.adders[8 * m + 3].b.next = self.adders[8 * m + 5].y.val();
                }
                for m in 0..(N / 16) {
                    self.adders[16 * m + 7].a.next = self.adders[16 * m + 3].y.val();
                    self.adders[16 * m + 7].b.next = self.adders[16 * m + 11].y.val();
                }
                for m in 0..(N / 32) {
                    self.adders[32 * m + 15].a.next = self.adders[32 * m + 7].y.val();
                    self.adders[32 * m + 15].b.next = self.adders[32 * m + 23].y.val();
                }
                // The accumulator adder is node N - 1: acc_in plus the root
                // (node N/2 - 1, so N - 1 = 2 root + 1), or plus lane 0 when
                // N = 1. These are loops of one or none: rust-hdl has no
                // compile-time if.
                for r in (N - 1)..N {
                    self.adders[r].a.next = self.acc_in.val();
                    self.acc_out.next = self.adders[r].y.val();
                }
                for r in (N.div_ceil(2) - 1)..(N / 2) {
                    self.adders[2 * r + 1].b.next = self.adders[r].y.val();
                }
                for i in 0..(1 / N) {
                    self.adders[i].b.next = self.lanes[i].y.val();
                }
            }
        }
    };
}

float_dot_unit!(
    DotFp16,
    Fp16Product,
    "`dot_fp16_n<N>`: N FP16 lanes, FP32 accumulation; `a`, `b` are packed buses of N codes (`AW = 16 N` bits)."
);

float_dot_unit!(
    DotBf16,
    Bf16Product,
    "`dot_bf16_n<N>`: N BF16 lanes, FP32 accumulation; `a`, `b` are packed buses of N codes (`AW = 16 N` bits)."
);
