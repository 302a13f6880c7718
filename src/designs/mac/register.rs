//! The register-accumulator MAC units of spec section 9
//! (`mac_rf8_n<N>`, `mac_int8_n<N>`, `mac_fp8_e4m3_n<N>`), beside their
//! reference `crate::formats::mac::MacRef`. The spec-structure unit of
//! section 8 shifts every product into the W-bit accumulator and adds it
//! there, so each lane pays a W-bit shifter, negation and adder. Here the
//! lanes work at the width of the group's sum instead:
//!
//! 1. `dot`: the format's section-8 unit at `GW = P + 1 + log2 N` bits
//!    (products of at most `2^P` in magnitude, N of them: the group's sum
//!    is exact in GW bits), from zero: the narrow lanes;
//! 2. stage 1 registers the group's sum (`group_q`), whether a group was
//!    taken (`gvalid_q`), whether it was the last (`glast_q`), and for E4M3
//!    whether it had a NaN (`ginv_q`);
//! 3. stage 2 adds the sign-extended group sum to the W-bit accumulator
//!    once per group (`acc_d = base + group_wide`, `base` zero when the
//!    group starts a dot product: `fresh_q`), and marks the result done
//!    after the last group (`done_q` is `out_valid`).
//!
//! Timing: one group per clock, always (`in_ready` is low only during
//! `rst`); `out_valid` comes 2 cycles after the cycle that took the last
//! group, for back-to-back dot products of one group too.

use rust_hdl::prelude::*;

use crate::designs::dot::{DotFp8E4m3, DotInt8, DotRf8};

/// Cycles from taking the last group to `out_valid`.
pub const LATENCY: usize = 2;

/// A register-accumulator MAC unit `$name<N, AW, GW, W>` around the
/// section-8 unit `$dot` (`AW = code bits x N`, `GW` the group sum's
/// width, `W` the accumulator's); for E4M3 the `invalid` signals.
macro_rules! register_mac {
    (
        $name:ident, $dot:ident, $doc:expr
        $(, invalid: ($invalid:ident, $inv_q:ident, $inv_d:ident, $ginv_q:ident, $ginv_d:ident))?
    ) => {
        #[doc = $doc]
        #[derive(LogicBlock)]
        pub struct $name<const N: usize, const AW: usize, const GW: usize, const W: usize> {
            /// Synchronous reset, active high.
            pub rst: Signal<In, Bit>,
            /// `a`, `b`, `in_last` hold a group.
            pub in_valid: Signal<In, Bit>,
            /// The group is taken this cycle (low only during `rst`).
            pub in_ready: Signal<Out, Bit>,
            /// The group ends the dot product.
            pub in_last: Signal<In, Bit>,
            /// Lane i's first operand, in bits `[cw i +: cw]`.
            pub a: Signal<In, Bits<AW>>,
            /// Lane i's second operand, in bits `[cw i +: cw]`.
            pub b: Signal<In, Bits<AW>>,
            /// `acc` holds a finished dot product.
            pub out_valid: Signal<Out, Bit>,
            /// The dot product, W-bit two's complement.
            pub acc: Signal<Out, Bits<W>>,
            $(
                /// A NaN operand occurred in the dot product.
                pub $invalid: Signal<Out, Bit>,
            )?
            // Registers (`x_q` this cycle, `x_d` after the edge; see
            // `registers.rs`). Stage 1: the group.
            pub group_q: Signal<In, Bits<GW>>,
            pub group_d: Signal<Out, Bits<GW>>,
            pub gvalid_q: Signal<In, Bit>,
            pub gvalid_d: Signal<Out, Bit>,
            pub glast_q: Signal<In, Bit>,
            pub glast_d: Signal<Out, Bit>,
            $(
                pub $ginv_q: Signal<In, Bit>,
                pub $ginv_d: Signal<Out, Bit>,
            )?
            // Stage 2: the accumulator.
            pub acc_q: Signal<In, Bits<W>>,
            pub acc_d: Signal<Out, Bits<W>>,
            pub fresh_q: Signal<In, Bit>,
            pub fresh_d: Signal<Out, Bit>,
            pub done_q: Signal<In, Bit>,
            pub done_d: Signal<Out, Bit>,
            $(
                pub $inv_q: Signal<In, Bit>,
                pub $inv_d: Signal<Out, Bit>,
            )?
            dot: $dot<N, AW, GW>,
            group_wide: Signal<Local, Bits<W>>,
            base: Signal<Local, Bits<W>>,
            group_zero: Constant<Bits<GW>>,
            group_sign: Constant<Bits<GW>>,
            high_ones: Constant<Bits<W>>,
            nothing: Constant<Bits<W>>,
        }

        impl<const N: usize, const AW: usize, const GW: usize, const W: usize> Default
            for $name<N, AW, GW, W>
        {
            fn default() -> Self {
                assert!(GW < W && GW <= 64, "the group's sum is narrower than the accumulator");
                $name {
                    rst: Default::default(),
                    in_valid: Default::default(),
                    in_ready: Default::default(),
                    in_last: Default::default(),
                    a: Default::default(),
                    b: Default::default(),
                    out_valid: Default::default(),
                    acc: Default::default(),
                    $($invalid: Default::default(),)?
                    group_q: Default::default(),
                    group_d: Default::default(),
                    gvalid_q: Default::default(),
                    gvalid_d: Default::default(),
                    glast_q: Default::default(),
                    glast_d: Default::default(),
                    $(
                        $ginv_q: Default::default(),
                        $ginv_d: Default::default(),
                    )?
                    acc_q: Default::default(),
                    acc_d: Default::default(),
                    fresh_q: Default::default(),
                    fresh_d: Default::default(),
                    done_q: Default::default(),
                    done_d: Default::default(),
                    $(
                        $inv_q: Default::default(),
                        $inv_d: Default::default(),
                    )?
                    dot: Default::default(),
                    group_wide: Default::default(),
                    base: Default::default(),
                    group_zero: Constant::new(0.into()),
                    group_sign: Constant::new((1u64 << (GW - 1)).into()),
                    // Bits GW..W set: the sign extension of a negative sum.
                    high_ones: Constant::new(
                        Bits::<W>::mask() - bit_cast::<W, GW>(Bits::<GW>::mask()),
                    ),
                    nothing: Constant::new(0.into()),
                }
            }
        }

        impl<const N: usize, const AW: usize, const GW: usize, const W: usize> Logic
            for $name<N, AW, GW, W>
        {
            #[hdl_gen]
            fn update(&mut self) {
                self.in_ready.next = !self.rst.val();
                // Stage 1: the group's exact sum at GW bits.
                self.dot.a.next = self.a.val();
                self.dot.b.next = self.b.val();
                self.dot.acc_in.next = self.group_zero.val();
                self.group_d.next = self.dot.acc_out.val();
                self.glast_d.next = self.in_last.val();
                self.gvalid_d.next = self.in_valid.val() & !self.rst.val();
                $(self.$ginv_d.next = self.dot.invalid.val();)?
                // Stage 2: one W-bit add per group.
                if (self.group_q.val() & self.group_sign.val()) != self.group_zero.val() {
                    self.group_wide.next = self.high_ones.val() | bit_cast::<W, GW>(self.group_q.val());
                } else {
                    self.group_wide.next = bit_cast::<W, GW>(self.group_q.val());
                }
                if self.fresh_q.val() {
                    self.base.next = self.nothing.val();
                } else {
                    self.base.next = self.acc_q.val();
                }
                if self.gvalid_q.val() {
                    self.acc_d.next = self.base.val() + self.group_wide.val();
                    self.fresh_d.next = self.glast_q.val() | self.rst.val();
                    self.done_d.next = self.glast_q.val() & !self.rst.val();
                    $(self.$inv_d.next = (self.$inv_q.val() & !self.fresh_q.val()) | self.$ginv_q.val();)?
                } else {
                    self.acc_d.next = self.acc_q.val();
                    self.fresh_d.next = self.fresh_q.val() | self.rst.val();
                    self.done_d.next = false;
                    $(self.$inv_d.next = self.$inv_q.val();)?
                }
                self.acc.next = self.acc_q.val();
                self.out_valid.next = self.done_q.val();
                $(self.$invalid.next = self.$inv_q.val();)?
            }
        }
    };
}

register_mac!(
    MacRf8,
    DotRf8,
    "`mac_rf8_n<N>`: N RF8 lanes summed at the group's width, one W-bit add per group."
);

register_mac!(
    MacInt8,
    DotInt8,
    "`mac_int8_n<N>`: N INT8 lanes summed at the group's width, one W-bit add per group."
);

register_mac!(
    MacFp8E4m3,
    DotFp8E4m3,
    "`mac_fp8_e4m3_n<N>`: N E4M3 lanes summed at the group's width, one W-bit add per group; `invalid` when a NaN occurred.",
    invalid: (invalid, inv_q, inv_d, ginv_q, ginv_d)
);
