//! W8ABF16: RF8 weights, activations rounded once to bfloat16, f32
//! accumulation and output. A semantics beside W8A32, never in its place,
//! that is faster where the kernel is bound by compute (from cache: 1.2x
//! W8A32 in L2 on Zen 5; from DRAM both stream at the memory's speed): every RF8 value is exact in bfloat16, so with bfloat16
//! activations each product is exact in f32 and AVX-512 BF16's `vdpbf16ps`
//! takes the decoded weights as they are, with no widening to f32 and half
//! the multiply-add instructions.
//!
//! What it gives up: the activations' rounding, `|x - bf16(x)| <= 2^-9
//! |x|`; `vdpbf16ps` also reads subnormal inputs as 0 and flushes
//! subnormal results (below 2^-126), which W8A32 never does. Its bound
//! against the f64 product of the f32 activations is
//! `|y - y_ref| <= (2^-9 + (K + 2) 2^-24) sum_k |w_k x_k| + K 2^-125`.
//! On CPUs without AVX-512 BF16 the mode runs W8A32's kernel on the
//! rounded activations (the same products, FMA accumulation).

use super::{check_shape, gemv_w8a32_with, KernelError, Options, Rf8Matrix};
#[cfg(target_arch = "x86_64")]
use super::{for_row_blocks, Isa};

/// `y = W bf16(x)` with the default [`Options`].
pub fn gemv_w8abf16(w: &Rf8Matrix, x: &[f32]) -> Result<Vec<f32>, KernelError> {
    gemv_w8abf16_with(w, x, &Options::default())
}

/// `y = W bf16(x)` on the instruction set and threads of `opts`.
pub fn gemv_w8abf16_with(
    w: &Rf8Matrix,
    x: &[f32],
    opts: &Options,
) -> Result<Vec<f32>, KernelError> {
    check_shape(w.rows(), w.cols(), x.len())?;
    opts.check()?;
    #[cfg(target_arch = "x86_64")]
    if opts.isa == Isa::Avx512 && super::avx512::has_bf16() {
        let xp = super::avx512::permute_bf16(x);
        let mut y = vec![0f32; w.rows()];
        // SAFETY: `has_bf16` confirmed the features; lengths match.
        for_row_blocks(&mut y, opts, |first, out| unsafe {
            super::avx512::gemv_w8abf16(|j| w.row(first + j), &xp, out)
        })?;
        return Ok(y);
    }
    let rounded: Vec<f32> = x
        .iter()
        .map(|&v| half::bf16::from_f32(v).to_f32())
        .collect();
    gemv_w8a32_with(w, &rounded, opts)
}
