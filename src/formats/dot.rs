//! Dot-product units (spec section 8): the bit-exact references of
//! `dot_<format>_n<N>`, which take N operand pairs and an accumulator and
//! return the next accumulator. A multiplier never runs a model alone;
//! these are the datapaths that do.
//!
//! ```
//! use rf8::formats::dot::{DOT_INT8, DOT_RF8};
//! // int8: 3 * 4 + (-2) * 5 + 7 = 9, in 36 bits (headroom 20).
//! let out = DOT_INT8.dot(&[3, 0xfe], &[4, 5], 7, 20);
//! assert_eq!(out.acc, 9);
//! // rf8: 1.0625 * 1.0625 = 1.1289... truncates to 1.125; LSB 2^-19.
//! assert_eq!(DOT_RF8.dot(&[0x03], &[0x03], 0, 20).acc, 9 << 16);
//! assert_eq!(DOT_RF8.acc_width(20), 56);
//! ```

use super::baselines::FP8_E4M3_MUL;
use super::fp4::FP4_E2M1_MUL;
use super::int8::INT8_MUL;
use super::rf8::Rf8Mul;
use super::Multiplier;

/// How a unit accumulates its products.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Accumulator {
    /// Exact two's complement with LSB `2^lsb_log2`, `product_bits` (P)
    /// magnitude bits per product, `P + 1 + H` bits wide, wrapping.
    Fixed { lsb_log2: i32, product_bits: u32 },
    /// IEEE binary32: products rounded once to f32, a fixed adder tree,
    /// then `acc_in +` the tree (round to nearest even, subnormals kept).
    Float32,
}

/// One product as the unit sees it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Product {
    /// Exact, in LSBs of the accumulator; `invalid` when an operand is NaN
    /// (the product then counts as 0).
    Fixed { lsbs: i64, invalid: bool },
    /// Rounded once to binary32.
    Float(f32),
}

/// A unit's result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DotOut {
    /// `acc_out`: W bits of two's complement, or a binary32 code.
    pub acc: u64,
    /// Some operand was NaN (only units whose format has NaN set it).
    pub invalid: bool,
}

/// A dot-product unit of one format, at any lane count and headroom.
pub struct DotUnit {
    /// The format part of the name: `dot_<format>_n<N>`.
    pub format: &'static str,
    /// The multiplier whose operand codes the unit takes (width, decode,
    /// directed specials).
    pub operands: &'static dyn Multiplier,
    /// How the products are summed.
    pub accumulator: Accumulator,
    /// Whether the unit has the `invalid` output.
    pub has_invalid: bool,
    /// The product of two operand codes.
    pub product: fn(u32, u32) -> Product,
}

impl std::fmt::Debug for DotUnit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "dot_{}", self.format)
    }
}

impl DotUnit {
    /// Module name at `lanes` lanes: `dot_rf8_n8`.
    pub fn name(&self, lanes: usize) -> String {
        format!("dot_{}_n{lanes}", self.format)
    }

    /// Width of `acc_in`/`acc_out` at headroom `h` (32 for binary32).
    pub fn acc_width(&self, h: u32) -> u32 {
        match self.accumulator {
            Accumulator::Fixed { product_bits, .. } => product_bits + 1 + h,
            Accumulator::Float32 => 32,
        }
    }

    /// `acc_out` for operand codes `a`, `b` (one per lane) and `acc_in`
    /// (its low `acc_width(h)` bits), by the spec's rule for the unit.
    ///
    /// # Panics
    ///
    /// When `a` and `b` differ in length (a caller's bug: one `b` per `a`).
    pub fn dot(&self, a: &[u32], b: &[u32], acc_in: u64, h: u32) -> DotOut {
        assert_eq!(a.len(), b.len(), "one b per a");
        let products = a.iter().zip(b).map(|(&x, &y)| (self.product)(x, y));
        match self.accumulator {
            Accumulator::Fixed { .. } => {
                let w = self.acc_width(h);
                let mask = if w >= 64 { u64::MAX } else { (1u64 << w) - 1 };
                let (mut sum, mut invalid) = (acc_in & mask, false);
                for p in products {
                    if let Product::Fixed { lsbs, invalid: bad } = p {
                        sum = sum.wrapping_add(lsbs as u64) & mask;
                        invalid |= bad;
                    }
                }
                DotOut { acc: sum, invalid }
            }
            Accumulator::Float32 => {
                let level: Vec<f32> = products
                    .map(|p| match p {
                        Product::Float(f) => f,
                        Product::Fixed { lsbs, .. } => lsbs as f32,
                    })
                    .collect();
                let acc = f32::from_bits(acc_in as u32) + tree(level);
                let bits = if acc.is_nan() {
                    0x7FC0_0000
                } else {
                    acc.to_bits()
                };
                DotOut {
                    acc: bits as u64,
                    invalid: false,
                }
            }
        }
    }
}

/// The spec's adder tree: neighbours added pairwise, level by level.
fn tree(mut level: Vec<f32>) -> f32 {
    while level.len() > 1 {
        level = level.chunks(2).map(|p| p.iter().sum()).collect();
    }
    level.first().copied().unwrap_or(0.0)
}

/// `value` (exact in f64) in units of `2^lsb_log2`.
fn in_lsbs(value: f64, lsb_log2: i32) -> i64 {
    let scaled = value * 2f64.powi(-lsb_log2);
    debug_assert_eq!(scaled.fract(), 0.0, "{value} is not a multiple of the LSB");
    scaled as i64
}

const RF8_LSB: i32 = -19;
const E4M3_LSB: i32 = -18;
const FP4_LSB: i32 = -2;

fn rf8_product(a: u32, b: u32) -> Product {
    let y = Rf8Mul.mul(a, b);
    Product::Fixed {
        lsbs: in_lsbs(Rf8Mul.decode(y), RF8_LSB),
        invalid: false,
    }
}

fn int8_product(a: u32, b: u32) -> Product {
    let y = INT8_MUL.mul(a, b);
    Product::Fixed {
        lsbs: y as u16 as i16 as i64,
        invalid: false,
    }
}

fn e4m3_product(a: u32, b: u32) -> Product {
    let (x, y) = (FP8_E4M3_MUL.decode(a), FP8_E4M3_MUL.decode(b));
    if x.is_nan() || y.is_nan() {
        return Product::Fixed {
            lsbs: 0,
            invalid: true,
        };
    }
    Product::Fixed {
        lsbs: in_lsbs(x * y, E4M3_LSB),
        invalid: false,
    }
}

/// The product of a multiplier whose output is already exact fixed point
/// (INT8-like, the MX element multipliers), in LSBs `2^lsb_log2` of the
/// accumulator: the rule of every unit built on such a multiplier.
pub fn exact_product(m: &dyn Multiplier, lsb_log2: i32, a: u32, b: u32) -> Product {
    Product::Fixed {
        lsbs: in_lsbs(m.decode_output(m.mul(a, b)), lsb_log2),
        invalid: false,
    }
}

fn fp4_product(a: u32, b: u32) -> Product {
    exact_product(&FP4_E2M1_MUL, FP4_LSB, a, b)
}

fn fp16_product(a: u32, b: u32) -> Product {
    let (x, y) = (
        half::f16::from_bits(a as u16).to_f32(),
        half::f16::from_bits(b as u16).to_f32(),
    );
    // Exact: 11 x 11 significand bits fit f32's 24, and every FP16
    // product lies inside f32's normal range.
    Product::Float(x * y)
}

fn bf16_product(a: u32, b: u32) -> Product {
    let (x, y) = (
        half::bf16::from_bits(a as u16).to_f32(),
        half::bf16::from_bits(b as u16).to_f32(),
    );
    // One rounding (f32 multiplication is correctly rounded): BF16
    // products can leave f32's range.
    Product::Float(x * y)
}

/// `dot_rf8`: the hardware form of the W8A8 exact kernel.
pub static DOT_RF8: DotUnit = DotUnit {
    format: "rf8",
    operands: &Rf8Mul,
    accumulator: Accumulator::Fixed {
        lsb_log2: RF8_LSB,
        product_bits: 35,
    },
    has_invalid: false,
    product: rf8_product,
};

/// `dot_int8`.
pub static DOT_INT8: DotUnit = DotUnit {
    format: "int8",
    operands: &INT8_MUL,
    accumulator: Accumulator::Fixed {
        lsb_log2: 0,
        product_bits: 15,
    },
    has_invalid: false,
    product: int8_product,
};

/// `dot_fp8_e4m3`: exact products of OCP E4M3 values.
pub static DOT_FP8_E4M3: DotUnit = DotUnit {
    format: "fp8_e4m3",
    operands: &FP8_E4M3_MUL,
    accumulator: Accumulator::Fixed {
        lsb_log2: E4M3_LSB,
        product_bits: 36,
    },
    has_invalid: true,
    product: e4m3_product,
};

/// `dot_fp4_e2m1`: exact products of MX E2M1 values.
pub static DOT_FP4_E2M1: DotUnit = DotUnit {
    format: "fp4_e2m1",
    operands: &FP4_E2M1_MUL,
    accumulator: Accumulator::Fixed {
        lsb_log2: FP4_LSB,
        product_bits: 8,
    },
    has_invalid: false,
    product: fp4_product,
};

/// `dot_fp16`: FP32 accumulation through the fixed adder tree.
pub static DOT_FP16: DotUnit = DotUnit {
    format: "fp16",
    operands: &super::baselines::FP16_MUL,
    accumulator: Accumulator::Float32,
    has_invalid: false,
    product: fp16_product,
};

/// `dot_bf16`: as `dot_fp16`, products rounded once to FP32.
pub static DOT_BF16: DotUnit = DotUnit {
    format: "bf16",
    operands: &super::baselines::BF16_MUL,
    accumulator: Accumulator::Float32,
    has_invalid: false,
    product: bf16_product,
};

/// The format and lane count of a unit's module name: `dot_rf8_n8` ->
/// (`rf8`, 8); the one parser of the names [`DotUnit::name`] makes (a
/// `_p<D>` or `_h<H>` suffix is not part of it).
pub fn split_name(name: &str) -> Option<(&str, usize)> {
    let (format, n) = name.strip_prefix("dot_")?.rsplit_once("_n")?;
    Some((format, n.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_split_into_format_and_lanes() {
        assert_eq!(split_name("dot_rf8_n8"), Some(("rf8", 8)));
        assert_eq!(split_name("dot_fp8_e4m3_n16"), Some(("fp8_e4m3", 16)));
        assert_eq!(split_name(&DOT_BF16.name(1)), Some(("bf16", 1)));
        assert_eq!(split_name("rf8_mul"), None);
        assert_eq!(split_name("dot_rf8_nx"), None);
    }

    #[test]
    fn the_largest_products_need_exactly_p_bits() {
        for (unit, a, b) in [
            (&DOT_RF8, 0x3C, 0x3C),
            (&DOT_INT8, 0x80, 0x80),
            (&DOT_FP8_E4M3, 0x7E, 0x7E),
            (&DOT_FP4_E2M1, 0x7, 0x7),
        ] {
            let Accumulator::Fixed { product_bits, .. } = unit.accumulator else {
                unreachable!()
            };
            let Product::Fixed { lsbs, .. } = (unit.product)(a, b) else {
                unreachable!()
            };
            let bits = 64 - lsbs.unsigned_abs().leading_zeros();
            assert_eq!(bits, product_bits, "{}", unit.format);
        }
    }

    #[test]
    fn the_smallest_products_are_whole_lsbs() {
        // rf8: no product has R = 3 (equal residuals step down, unequal
        // ones take the smaller), so the smallest is 1.125 * 2^-15 = 18 LSB.
        assert_eq!(
            (DOT_RF8.product)(0x7F, 0x03),
            Product::Fixed {
                lsbs: 18,
                invalid: false
            }
        );
        assert_eq!(
            (DOT_FP8_E4M3.product)(0x01, 0x01),
            Product::Fixed {
                lsbs: 1,
                invalid: false
            }
        );
        assert_eq!(
            (DOT_FP4_E2M1.product)(0x1, 0x1),
            Product::Fixed {
                lsbs: 1,
                invalid: false
            }
        );
    }

    #[test]
    fn fixed_units_wrap_in_w_bits() {
        let w = DOT_INT8.acc_width(0); // 16 bits: one product of headroom
        assert_eq!(w, 16);
        let max = (1u64 << 15) - 1; // +32767
        let out = DOT_INT8.dot(&[0x80], &[0x80], max, 0); // + 16384
        assert_eq!(out.acc, (max + 16384) & 0xFFFF);
    }

    #[test]
    fn float_units_follow_ieee_and_the_tree_order() {
        let one = half::f16::ONE.to_bits() as u32;
        let inf = half::f16::INFINITY.to_bits() as u32;
        let ninf = half::f16::NEG_INFINITY.to_bits() as u32;
        // Inf - Inf is NaN, canonical.
        let nan = DOT_FP16.dot(&[inf, ninf], &[one, one], 0, 0);
        assert_eq!(nan.acc, 0x7FC0_0000);
        // x + (-x) = +0.
        let m1 = half::f16::NEG_ONE.to_bits() as u32;
        assert_eq!(DOT_FP16.dot(&[one, m1], &[one, one], 0x8000_0000, 0).acc, 0);
        // The tree order matters: (2^24 + 1) + (-2^24 + 1) in pairs.
        let big = half::bf16::from_f32(16_777_216.0).to_bits() as u32;
        let nbig = half::bf16::from_f32(-16_777_216.0).to_bits() as u32;
        let b1 = half::bf16::ONE.to_bits() as u32;
        let out = DOT_BF16.dot(&[big, b1, nbig, b1], &[b1, b1, b1, b1], 0, 0);
        // Level 1: 2^24 + 1 = 2^24 (ties to even), -2^24 + 1 = -2^24 + 1
        // exactly; level 2: 1.
        assert_eq!(f32::from_bits(out.acc as u32), 1.0);
    }
}
