//! The FP4 E2M1 multiplier (`fp4_e2m1_mul`, spec section 7) in rust-hdl,
//! beside its reference `formats::fp4`. An E2M1 magnitude in half units
//! is a 2-bit significand `{E != 0, M}` shifted left by `E - 1` (0 for
//! subnormals), so the exact product in quarter units is the product of
//! the significands shifted by the sum of the shifts.
//!
//! Steps: decode (`sign`, `sig_a`, `sig_b`, `shift_a`, `shift_b`), raw
//! product (`sig_prod`, `exp_sum`), `magnitude` (at most 144 quarters) and
//! the signed fixed-point `y` (a zero product is +0).

use rust_hdl::prelude::*;

/// The combinational FP4 E2M1 multiplier.
#[derive(LogicBlock)]
pub struct Fp4E2m1MulHdl {
    /// First operand (E2M1 code).
    pub a: Signal<In, Bits<4>>,
    /// Second operand (E2M1 code).
    pub b: Signal<In, Bits<4>>,
    /// Product: 9-bit two's complement, LSB 2^-2.
    pub y: Signal<Out, Bits<9>>,
    // Step 1: decode.
    sign: Signal<Local, Bit>,
    exp_a: Signal<Local, Bits<2>>,
    exp_b: Signal<Local, Bits<2>>,
    man_a: Signal<Local, Bit>,
    man_b: Signal<Local, Bit>,
    sig_a: Signal<Local, Bits<16>>,
    sig_b: Signal<Local, Bits<16>>,
    shift_a: Signal<Local, Bits<3>>,
    shift_b: Signal<Local, Bits<3>>,
    // Step 2: raw product.
    prod_full: Signal<Local, Bits<32>>,
    sig_prod: Signal<Local, Bits<4>>,
    unused_prod_hi: Signal<Local, Bits<28>>,
    exp_sum: Signal<Local, Bits<3>>,
    // Step 3: magnitude and sign.
    magnitude: Signal<Local, Bits<9>>,
    // Constants.
    exp_zero: Constant<Bits<2>>,
    hidden: Constant<Bits<16>>,
    shift_zero: Constant<Bits<3>>,
    shift_one: Constant<Bits<3>>,
    fixed_zero: Constant<Bits<9>>,
}

impl Default for Fp4E2m1MulHdl {
    fn default() -> Self {
        Fp4E2m1MulHdl {
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
            hidden: Constant::new(2u64.to_bits()),
            shift_zero: Constant::new(0u64.to_bits()),
            shift_one: Constant::new(1u64.to_bits()),
            fixed_zero: Constant::new(0u64.to_bits()),
        }
    }
}

impl Logic for Fp4E2m1MulHdl {
    #[hdl_gen]
    fn update(&mut self) {
        // Step 1: decode; E = 0 is subnormal (no hidden bit, no shift).
        self.sign.next = self.a.val().get_bit(3) ^ self.b.val().get_bit(3);
        self.exp_a.next = self.a.val().get_bits::<2>(1);
        self.exp_b.next = self.b.val().get_bits::<2>(1);
        self.man_a.next = self.a.val().get_bit(0);
        self.man_b.next = self.b.val().get_bit(0);
        if self.exp_a.val() == self.exp_zero.val() {
            self.sig_a.next = bit_cast::<16, 1>(self.man_a.val().into());
            self.shift_a.next = self.shift_zero.val();
        } else {
            self.sig_a.next = bit_cast::<16, 1>(self.man_a.val().into()) | self.hidden.val();
            self.shift_a.next = bit_cast::<3, 2>(self.exp_a.val()) - self.shift_one.val();
        }
        if self.exp_b.val() == self.exp_zero.val() {
            self.sig_b.next = bit_cast::<16, 1>(self.man_b.val().into());
            self.shift_b.next = self.shift_zero.val();
        } else {
            self.sig_b.next = bit_cast::<16, 1>(self.man_b.val().into()) | self.hidden.val();
            self.shift_b.next = bit_cast::<3, 2>(self.exp_b.val()) - self.shift_one.val();
        }
        // Step 2: significand product (at most 9) and shift (at most 4).
        self.prod_full.next = self.sig_a.val() * self.sig_b.val();
        self.sig_prod.next = self.prod_full.val().get_bits::<4>(0);
        self.unused_prod_hi.next = self.prod_full.val().get_bits::<28>(4);
        self.exp_sum.next = self.shift_a.val() + self.shift_b.val();
        // Step 3: the magnitude in quarters, then two's complement.
        self.magnitude.next = bit_cast::<9, 4>(self.sig_prod.val()) << self.exp_sum.val();
        if self.sign.val() {
            self.y.next = self.fixed_zero.val() - self.magnitude.val();
        } else {
            self.y.next = self.magnitude.val();
        }
    }
}

super::impl_ports!(Fp4E2m1MulHdl);

/// The hardware of `fp4_e2m1_mul`; pipeline registers may follow the
/// decode and the raw product.
pub const HARDWARE: super::Hardware =
    super::Hardware::of::<Fp4E2m1MulHdl>("src/designs/fp4_mul.rs", &["shift_b", "exp_sum"]);
