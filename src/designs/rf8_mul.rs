//! The RF8 multiplier in rust-hdl (spec section 3), beside its reference
//! `src/formats/rf8/mul/`. Signals carry the names of the spec's steps:
//!
//! 1. `sign`: `a[7] ^ b[7]`;
//! 2. `zero`: an exponent field is `10000`; decoding also turns the
//!    sign-magnitude exponents into one's complement (`exp_a`, `exp_b`:
//!    the magnitude bits XOR the sign, which costs no adder), so that later
//!    steps (and pipeline stages) never read `a` and `b` again;
//! 3. `residual`, `carry`: the 2-bit residual comparator;
//! 4. `exp_sum`: one adder, `exp_a + exp_b + sign_exp_a + sign_exp_b +
//!    carry` (adding the signs turns one's into two's complement);
//! 5. `saturate`, `underflow`, then `exp_neg`, `exp_mag` (back to
//!    sign-magnitude without an adder: negating the low four bits is
//!    `x ^ smear(x)`, where `smear` ORs every lower bit into each bit) and
//!    the packed output `y`.
//!
//! This is the smallest of the formulations tried on iCE40 (see
//! `docs/area.md`): 38 SB_LUT4 and 5 SB_CARRY, against 59 and 22 for the
//! straightforward one (two's complement inputs, a second adder to negate
//! the result).

use rust_hdl::prelude::*;

/// The combinational RF8 multiplier.
#[derive(LogicBlock)]
pub struct Rf8MulHdl {
    /// First operand.
    pub a: Signal<In, Bits<8>>,
    /// Second operand.
    pub b: Signal<In, Bits<8>>,
    /// Product.
    pub y: Signal<Out, Bits<8>>,
    // Step 1 and 2: sign and zero detection; exponents decoded.
    sign: Signal<Local, Bit>,
    zero: Signal<Local, Bit>,
    sign_exp_a: Signal<Local, Bit>,
    sign_exp_b: Signal<Local, Bit>,
    mag_a: Signal<Local, Bits<4>>,
    mag_b: Signal<Local, Bits<4>>,
    exp_a: Signal<Local, Bits<6>>,
    exp_b: Signal<Local, Bits<6>>,
    // Step 3: residual comparator.
    res_a: Signal<Local, Bits<2>>,
    res_b: Signal<Local, Bits<2>>,
    residual: Signal<Local, Bits<2>>,
    carry: Signal<Local, Bit>,
    // Step 4: exponent adder (two's complement, 6 bits: -30..31).
    exp_sum: Signal<Local, Bits<6>>,
    // Step 5: saturation, underflow, sign-magnitude result exponent.
    saturate: Signal<Local, Bit>,
    underflow: Signal<Local, Bit>,
    exp_neg: Signal<Local, Bit>,
    exp_low: Signal<Local, Bits<4>>,
    smear: Signal<Local, Bits<4>>,
    exp_mag: Signal<Local, Bits<4>>,
    field: Signal<Local, Bits<8>>,
    normal: Signal<Local, Bits<8>>,
    magnitude: Signal<Local, Bits<8>>,
    // Constants (a Rust `const` would leak into Verilog as an undeclared
    // name; integer literals would be 32 bits wide).
    zero_exp_field: Constant<Bits<5>>,
    res_zero: Constant<Bits<2>>,
    res_one: Constant<Bits<2>>,
    res_two: Constant<Bits<2>>,
    exp_ones: Constant<Bits<6>>,
    low_zero: Constant<Bits<4>>,
    shift_1: Constant<Bits<4>>,
    shift_2: Constant<Bits<4>>,
    shift_3: Constant<Bits<4>>,
    code_zero: Constant<Bits<8>>,
    code_max: Constant<Bits<8>>,
    sign_bit: Constant<Bits<8>>,
    neg_exp_bit: Constant<Bits<8>>,
    shift_exp: Constant<Bits<8>>,
}

impl Default for Rf8MulHdl {
    fn default() -> Self {
        Rf8MulHdl {
            a: Default::default(),
            b: Default::default(),
            y: Default::default(),
            sign: Default::default(),
            zero: Default::default(),
            sign_exp_a: Default::default(),
            sign_exp_b: Default::default(),
            mag_a: Default::default(),
            mag_b: Default::default(),
            exp_a: Default::default(),
            exp_b: Default::default(),
            res_a: Default::default(),
            res_b: Default::default(),
            residual: Default::default(),
            carry: Default::default(),
            exp_sum: Default::default(),
            saturate: Default::default(),
            underflow: Default::default(),
            exp_neg: Default::default(),
            exp_low: Default::default(),
            smear: Default::default(),
            exp_mag: Default::default(),
            field: Default::default(),
            normal: Default::default(),
            magnitude: Default::default(),
            zero_exp_field: Constant::new(0b10000.into()),
            res_zero: Constant::new(0.into()),
            res_one: Constant::new(1.into()),
            res_two: Constant::new(2.into()),
            exp_ones: Constant::new(0b111111.into()),
            low_zero: Constant::new(0.into()),
            shift_1: Constant::new(1.into()),
            shift_2: Constant::new(2.into()),
            shift_3: Constant::new(3.into()),
            code_zero: Constant::new(0x40.into()),
            code_max: Constant::new(0x3C.into()),
            sign_bit: Constant::new(0x80.into()),
            neg_exp_bit: Constant::new(0x40.into()),
            shift_exp: Constant::new(2.into()),
        }
    }
}

impl Logic for Rf8MulHdl {
    #[hdl_gen]
    fn update(&mut self) {
        // Step 1: sign.
        self.sign.next = self.a.val().get_bit(7) ^ self.b.val().get_bit(7);
        // Step 2: zero (exponent field 10000, whatever R holds).
        self.zero.next = (self.a.val().get_bits::<5>(2) == self.zero_exp_field.val())
            | (self.b.val().get_bits::<5>(2) == self.zero_exp_field.val());
        // Decode the exponents: sign-magnitude to one's complement (XOR).
        self.sign_exp_a.next = self.a.val().get_bit(6);
        self.sign_exp_b.next = self.b.val().get_bit(6);
        self.mag_a.next = self.a.val().get_bits::<4>(2);
        self.mag_b.next = self.b.val().get_bits::<4>(2);
        if self.sign_exp_a.val() {
            self.exp_a.next = self.exp_ones.val() ^ bit_cast::<6, 4>(self.mag_a.val());
        } else {
            self.exp_a.next = bit_cast::<6, 4>(self.mag_a.val());
        }
        if self.sign_exp_b.val() {
            self.exp_b.next = self.exp_ones.val() ^ bit_cast::<6, 4>(self.mag_b.val());
        } else {
            self.exp_b.next = bit_cast::<6, 4>(self.mag_b.val());
        }
        // Step 3: residual comparator.
        self.res_a.next = self.a.val().get_bits::<2>(0);
        self.res_b.next = self.b.val().get_bits::<2>(0);
        self.carry.next = false;
        if self.res_a.val() == self.res_b.val() {
            if self.res_a.val() == self.res_zero.val() {
                // 1.5 * 1.5 = 2.25 = 2 * 1.125
                self.residual.next = self.res_two.val();
                self.carry.next = true;
            } else {
                self.residual.next = self.res_a.val() - self.res_one.val();
            }
        } else if self.res_a.val() < self.res_b.val() {
            self.residual.next = self.res_a.val();
        } else {
            self.residual.next = self.res_b.val();
        }
        // Step 4: exponent adder. One's complement operands plus their
        // signs are two's complement; the residual carry rides along.
        self.exp_sum.next = self.exp_a.val()
            + self.exp_b.val()
            + bit_cast::<6, 1>(self.sign_exp_a.val().into())
            + bit_cast::<6, 1>(self.sign_exp_b.val().into())
            + bit_cast::<6, 1>(self.carry.val().into());
        // Step 5: saturate above 15 (01xxxx), underflow below -15
        // (10xxxx or 110000), back to sign-magnitude, pack.
        // exp_neg and exp_low first: a pipeline register placed after
        // `underflow` then holds these, not a partly used exp_sum.
        self.exp_neg.next = self.exp_sum.val().get_bit(5);
        self.exp_low.next = self.exp_sum.val().get_bits::<4>(0);
        self.saturate.next =
            !self.zero.val() & !self.exp_sum.val().get_bit(5) & self.exp_sum.val().get_bit(4);
        self.underflow.next = !self.zero.val()
            & self.exp_sum.val().get_bit(5)
            & (!self.exp_sum.val().get_bit(4) | (self.exp_low.val() == self.low_zero.val()));
        // -x = x ^ (every bit ORed with all the bits below it, shifted up).
        self.smear.next = (self.exp_low.val() << self.shift_1.val())
            | (self.exp_low.val() << self.shift_2.val())
            | (self.exp_low.val() << self.shift_3.val());
        if self.exp_neg.val() {
            self.exp_mag.next = self.exp_low.val() ^ self.smear.val();
        } else {
            self.exp_mag.next = self.exp_low.val();
        }
        self.field.next = (bit_cast::<8, 4>(self.exp_mag.val()) << self.shift_exp.val())
            | bit_cast::<8, 2>(self.residual.val());
        if self.exp_neg.val() {
            self.normal.next = self.field.val() | self.neg_exp_bit.val();
        } else {
            self.normal.next = self.field.val();
        }
        if self.zero.val() | self.underflow.val() {
            self.magnitude.next = self.code_zero.val();
        } else if self.saturate.val() {
            self.magnitude.next = self.code_max.val();
        } else {
            self.magnitude.next = self.normal.val();
        }
        if self.sign.val() {
            self.y.next = self.magnitude.val() | self.sign_bit.val();
        } else {
            self.y.next = self.magnitude.val();
        }
    }
}

super::impl_ports!(Rf8MulHdl);

/// The hardware of `rf8_mul`; pipeline registers may follow the residual
/// comparator, the exponent adder and the saturate/underflow step.
pub const HARDWARE: super::Hardware =
    super::Hardware::of::<Rf8MulHdl>("src/designs/rf8_mul.rs", &["carry", "exp_sum", "underflow"]);
