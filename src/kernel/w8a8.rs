//! W8A8 exact: every product is the RF8 multiplier's (spec section 3),
//! summed exactly in an i64 whose LSB is 2^-19 (spec section 5).

use std::sync::OnceLock;

use super::{check_shape, for_row_blocks, for_rows, Isa, KernelError, Options, Rf8Matrix};
use crate::{Rf8, Rounding};

/// The accumulator's LSB, 2^-19: every RF8 value and product is a multiple
/// of it (the smallest value, 1.0625 * 2^-15, is 17 of them; the smallest
/// product, 1.125 * 2^-15, is 18).
pub const LSB: f64 = 1.0 / (1u64 << 19) as f64;

/// LSBs per unit (2^19).
pub(super) const LSB_PER_UNIT: f64 = (1u64 << 19) as f64;

/// The RF8 product `mul(a, b)` in LSBs, from a 64 Ki-entry table built
/// once from the reference multiplier.
pub fn product_lsb(a: Rf8, b: Rf8) -> i64 {
    static TABLE: OnceLock<Vec<i64>> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        (0..1usize << 16)
            .map(|i| to_lsb(Rf8::from_bits((i >> 8) as u8) * Rf8::from_bits(i as u8)))
            .collect()
    });
    table[(a.to_bits() as usize) << 8 | b.to_bits() as usize]
}

/// An RF8 value in LSBs (exact: every value is a multiple of 2^-19).
fn to_lsb(v: Rf8) -> i64 {
    (v.to_f64() * LSB_PER_UNIT) as i64
}

/// The accumulators of `W x` with the default [`Options`].
pub fn gemv_w8a8_exact(w: &Rf8Matrix, x: &[Rf8]) -> Result<Vec<i64>, KernelError> {
    gemv_w8a8_exact_with(w, x, &Options::default())
}

/// The accumulators of `W x`, one i64 per row in LSBs of 2^-19. The same
/// for every instruction set and thread count.
pub fn gemv_w8a8_exact_with(
    w: &Rf8Matrix,
    x: &[Rf8],
    opts: &Options,
) -> Result<Vec<i64>, KernelError> {
    check_shape(w.rows(), w.cols(), x.len())?;
    opts.check()?;
    let mut y = vec![0i64; w.rows()];
    let tail = |c: u8, k: usize| product_lsb(Rf8::from_bits(c), x[k]);
    match opts.isa {
        Isa::Portable => for_rows(&mut y, opts, |i| {
            w.row(i).iter().enumerate().map(|(k, &c)| tail(c, k)).sum()
        })?,
        #[cfg(target_arch = "x86_64")]
        Isa::Avx2 => {
            let codes: Vec<u8> = x.iter().map(|v| v.to_bits()).collect();
            let input = super::avx2::W8a8Input::new(&codes);
            // SAFETY: `opts.check` confirmed AVX2; lengths match.
            for_rows(&mut y, opts, |i| unsafe {
                super::avx2::dot_w8a8(w.row(i), &input, tail)
            })?
        }
        #[cfg(target_arch = "x86_64")]
        Isa::Avx512 => {
            let codes: Vec<u8> = x.iter().map(|v| v.to_bits()).collect();
            let input = super::avx512::W8a8Input::new(&codes);
            // SAFETY: `opts.check` confirmed the features; lengths match.
            for_row_blocks(&mut y, opts, |first, out| unsafe {
                super::avx512::gemv_w8a8(|j| w.row(first + j), &input, out)
            })?
        }
        #[cfg(not(target_arch = "x86_64"))]
        Isa::Avx2 | Isa::Avx512 => unreachable!("checked by opts.check"),
    }
    Ok(y)
}

/// An accumulator as f64: exact below 2^53 LSBs (2^34 in value, beyond
/// any 2^28-term sum of in-range products the spec allows for).
pub fn acc_to_f64(acc: i64) -> f64 {
    acc as f64 * LSB
}

/// An accumulator re-encoded to RF8. Exact where it matters: below 2^53
/// LSBs the f64 is exact, and above it the value (>= 2^34) saturates RF8
/// whatever its low bits.
pub fn acc_to_rf8(acc: i64, rounding: Rounding) -> Rf8 {
    Rf8::from_f64_with(acc_to_f64(acc), rounding)
}
