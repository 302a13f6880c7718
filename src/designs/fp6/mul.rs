//! The FP6 multipliers (spec section 7) in rust-hdl. As for FP4, an
//! element's magnitude in units of its smallest subnormal is a significand
//! `{E != 0, M}` shifted left by `E - 1` (0 for subnormals), so the exact
//! product in LSBs is the product of the significands shifted by the sum
//! of the shifts.
//!
//! Steps: decode (`sign`, `sig_a`, `sig_b`, `shift_a`, `shift_b`), raw
//! product (`sig_prod`, `exp_sum`), `magnitude` and the signed fixed-point
//! `y` (a zero product is +0).

use rust_hdl::prelude::*;

/// A combinational MX element multiplier `$name` on 6-bit codes with `$eb`
/// exponent and `$mb` mantissa bits: `$sw`-bit shifts, a `$pw`-bit
/// significand product and a `$yw`-bit two's complement result.
macro_rules! mx_mul {
    ($name:ident, $doc:expr, exp $eb:tt, man $mb:tt, shift $sw:tt, sig_prod $pw:tt, hi $hw:tt, out $yw:tt) => {
        #[doc = $doc]
        #[derive(LogicBlock)]
        pub struct $name {
            /// First operand (element code).
            pub a: Signal<In, Bits<6>>,
            /// Second operand (element code).
            pub b: Signal<In, Bits<6>>,
            /// The exact product, two's complement fixed point.
            pub y: Signal<Out, Bits<$yw>>,
            // Step 1: decode.
            sign: Signal<Local, Bit>,
            exp_a: Signal<Local, Bits<$eb>>,
            exp_b: Signal<Local, Bits<$eb>>,
            man_a: Signal<Local, Bits<$mb>>,
            man_b: Signal<Local, Bits<$mb>>,
            sig_a: Signal<Local, Bits<16>>,
            sig_b: Signal<Local, Bits<16>>,
            shift_a: Signal<Local, Bits<$sw>>,
            shift_b: Signal<Local, Bits<$sw>>,
            // Step 2: raw product (rust-hdl multiplies 16 x 16 bits only).
            prod_full: Signal<Local, Bits<32>>,
            sig_prod: Signal<Local, Bits<$pw>>,
            unused_prod_hi: Signal<Local, Bits<$hw>>,
            exp_sum: Signal<Local, Bits<$sw>>,
            // Step 3: magnitude and sign.
            magnitude: Signal<Local, Bits<$yw>>,
            // Constants.
            exp_zero: Constant<Bits<$eb>>,
            hidden: Constant<Bits<16>>,
            shift_zero: Constant<Bits<$sw>>,
            shift_one: Constant<Bits<$sw>>,
            fixed_zero: Constant<Bits<$yw>>,
        }

        impl Default for $name {
            fn default() -> Self {
                $name {
                    a: Default::default(),
                    b: Default::default(),
                    y: Default::default(),
                    sign: Default::default(),
                    exp_a: Default::default(),
                    exp_b: Default::default(),
                    man_a: Default::default(),
                    man_b: Default::default(),
                    sig_a: Default::default(),
                    sig_b: Default::default(),
                    shift_a: Default::default(),
                    shift_b: Default::default(),
                    prod_full: Default::default(),
                    sig_prod: Default::default(),
                    unused_prod_hi: Default::default(),
                    exp_sum: Default::default(),
                    magnitude: Default::default(),
                    exp_zero: Constant::new(0u64.to_bits()),
                    hidden: Constant::new((1u64 << $mb).to_bits()),
                    shift_zero: Constant::new(0u64.to_bits()),
                    shift_one: Constant::new(1u64.to_bits()),
                    fixed_zero: Constant::new(0u64.to_bits()),
                }
            }
        }

        impl Logic for $name {
            #[hdl_gen]
            fn update(&mut self) {
                // Step 1: decode; E = 0 is subnormal (no hidden bit, no shift).
                self.sign.next = self.a.val().get_bit(5) ^ self.b.val().get_bit(5);
                self.exp_a.next = self.a.val().get_bits::<$eb>($mb);
                self.exp_b.next = self.b.val().get_bits::<$eb>($mb);
                self.man_a.next = self.a.val().get_bits::<$mb>(0);
                self.man_b.next = self.b.val().get_bits::<$mb>(0);
                if self.exp_a.val() == self.exp_zero.val() {
                    self.sig_a.next = bit_cast::<16, $mb>(self.man_a.val());
                    self.shift_a.next = self.shift_zero.val();
                } else {
                    self.sig_a.next = bit_cast::<16, $mb>(self.man_a.val()) | self.hidden.val();
                    self.shift_a.next =
                        bit_cast::<$sw, $eb>(self.exp_a.val()) - self.shift_one.val();
                }
                if self.exp_b.val() == self.exp_zero.val() {
                    self.sig_b.next = bit_cast::<16, $mb>(self.man_b.val());
                    self.shift_b.next = self.shift_zero.val();
                } else {
                    self.sig_b.next = bit_cast::<16, $mb>(self.man_b.val()) | self.hidden.val();
                    self.shift_b.next =
                        bit_cast::<$sw, $eb>(self.exp_b.val()) - self.shift_one.val();
                }
                // Step 2: significand product and shift.
                self.prod_full.next = self.sig_a.val() * self.sig_b.val();
                self.sig_prod.next = self.prod_full.val().get_bits::<$pw>(0);
                self.unused_prod_hi.next = self.prod_full.val().get_bits::<$hw>($pw);
                self.exp_sum.next = self.shift_a.val() + self.shift_b.val();
                // Step 3: the magnitude in LSBs, then two's complement.
                self.magnitude.next =
                    bit_cast::<$yw, $pw>(self.sig_prod.val()) << self.exp_sum.val();
                if self.sign.val() {
                    self.y.next = self.fixed_zero.val() - self.magnitude.val();
                } else {
                    self.y.next = self.magnitude.val();
                }
            }
        }

        crate::designs::impl_ports!($name);
    };
}

mx_mul!(
    Fp6E2m3MulHdl,
    "`fp6_e2m3_mul`: E2M3 codes in, the exact product out in 13 bits, LSB 2^-6.",
    exp 2, man 3, shift 3, sig_prod 8, hi 24, out 13
);

mx_mul!(
    Fp6E3m2MulHdl,
    "`fp6_e3m2_mul`: E3M2 codes in, the exact product out in 19 bits, LSB 2^-8.",
    exp 3, man 2, shift 4, sig_prod 6, hi 26, out 19
);

/// The hardware of `fp6_e2m3_mul`; pipeline registers may follow the
/// decode and the raw product.
pub const E2M3: crate::designs::Hardware = crate::designs::Hardware::of::<Fp6E2m3MulHdl>(
    "src/designs/fp6/mul.rs",
    &["shift_b", "exp_sum"],
);

/// The hardware of `fp6_e3m2_mul`.
pub const E3M2: crate::designs::Hardware = crate::designs::Hardware::of::<Fp6E3m2MulHdl>(
    "src/designs/fp6/mul.rs",
    &["shift_b", "exp_sum"],
);
