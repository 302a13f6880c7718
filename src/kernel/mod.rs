//! The RF8 matrix-vector kernels (spec section 5).
//!
//! * [`gemv_w8a32`]: RF8 weights, f32 activations and output. Bound by
//!   memory bandwidth: the weights stream once, one byte each.
//! * [`gemv_w8a8_exact`]: RF8 weights and activations; every product is
//!   the RF8 multiplier's and the sum is exact (i64, LSB 2^-19), so the
//!   result is the same bit for bit for every order, thread count and SIMD
//!   width, and equal to what the hardware computes.
//! * [`gemv_w8abf16`]: W8A32 with the activations rounded once to
//!   bfloat16, a mode with a looser bound that is faster where the kernel
//!   is bound by compute (from cache), never in W8A32's place.
//! * [`gemv_int8_w8a32_with`]: the INT8 weight-only baseline (`int8.rs`),
//!   on the same threads and instruction sets, for `rf8 bench`.
//!
//! Rows are split across threads (rayon); a row is never split, so W8A32's
//! result does not depend on the thread count either (it does depend on
//! the instruction set, whose summation order differs). SIMD paths are
//! chosen at run time ([`Isa`]); each is tested against the portable one.
//!
//! ```
//! use rf8::kernel::{gemv_w8a32, gemv_w8a8_exact, Rf8Matrix};
//! use rf8::Rounding;
//! let w = Rf8Matrix::from_f32(2, 3, &[1.5, -0.25, 0.0, 2.0, 1.0, -1.0], Rounding::Truncate)?;
//! // m = 1 is not an RF8 mantissa: 1.0 -> 1.0625, -0.25 -> -0.265625, 2.0 -> 2.125.
//! assert_eq!(gemv_w8a32(&w, &[1.0, 2.0, 3.0])?, vec![1.5 - 0.53125, 2.125 + 2.125 - 3.1875]);
//! let x = [rf8::Rf8::from_f64(1.5); 3];
//! let acc = gemv_w8a8_exact(&w, &x)?;
//! assert_eq!(rf8::kernel::acc_to_f64(acc[0]), 2.25 - 0.375);
//! # Ok::<(), rf8::kernel::KernelError>(())
//! ```

mod avx2;
mod avx512;
pub mod bench;
pub mod chart;
pub mod cpu;
mod decode;
mod int8;
mod matrix;
mod w8a32;
mod w8a8;
mod w8abf16;

pub use decode::decode_f32;
pub use int8::{gemv_int8_w8a32_with, Int8Matrix};
use matrix::check_len;
pub use matrix::{encode_f32_into, Rf8Matrix};
pub use w8a32::{gemv_w8a32, gemv_w8a32_with};
pub use w8a8::{acc_to_f64, acc_to_rf8, gemv_w8a8_exact, gemv_w8a8_exact_with, product_lsb, LSB};
pub use w8abf16::{gemv_w8abf16, gemv_w8abf16_with};

/// Why a kernel call or a matrix cannot be made.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum KernelError {
    /// Operand shapes do not fit together.
    #[error("shape mismatch: {0}")]
    Shape(String),
    /// A weight or activation is NaN (RF8 has no NaN).
    #[error("NaN at index {0}: RF8 has no NaN")]
    Nan(usize),
    /// A weight to be stored as INT8 is infinite or NaN: its row has no
    /// finite scale.
    #[error("value at index {0} is not finite: an INT8 row needs a finite scale")]
    NotFinite(usize),
    /// The instruction set asked for is not available on this CPU.
    #[error("{0} is not available on this CPU")]
    Unsupported(&'static str),
    /// A size, count or thread number out of bounds.
    #[error(transparent)]
    Limit(#[from] crate::limits::LimitError),
}

/// The instruction set a kernel runs with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Isa {
    /// Plain Rust, table lookups; runs everywhere.
    Portable,
    /// x86-64 AVX2 + FMA: 32 codes decoded per step with byte shuffles.
    Avx2,
    /// x86-64 AVX-512 F/BW/VBMI/VNNI: 64 codes per step, decoded with
    /// `vpermb` and `vpermi2b` (W8A32), or multiplied in byte lanes and
    /// summed with `vpdpbusd` (W8A8). W8ABF16 also uses BF16 where the CPU
    /// has it.
    Avx512,
}

impl Isa {
    /// Every instruction set the crate has kernels for.
    pub const ALL: [Isa; 3] = [Isa::Portable, Isa::Avx2, Isa::Avx512];

    /// The fastest one this CPU supports.
    pub fn best() -> Isa {
        [Isa::Avx512, Isa::Avx2]
            .into_iter()
            .find(|i| i.available())
            .unwrap_or(Isa::Portable)
    }

    /// The one named `name` (as [`Isa::name`] gives it, or `avx2`,
    /// `avx512`, `best`).
    pub fn from_name(name: &str) -> Option<Isa> {
        match name {
            "best" => Some(Isa::best()),
            "avx2" => Some(Isa::Avx2),
            "avx512" => Some(Isa::Avx512),
            _ => Isa::ALL.into_iter().find(|i| i.name() == name),
        }
    }

    /// Whether this CPU can run it (detected at run time).
    pub fn available(self) -> bool {
        match self {
            Isa::Portable => true,
            #[cfg(target_arch = "x86_64")]
            Isa::Avx2 => is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma"),
            #[cfg(target_arch = "x86_64")]
            Isa::Avx512 => avx512::available() && is_x86_feature_detected!("fma"),
            #[cfg(not(target_arch = "x86_64"))]
            Isa::Avx2 | Isa::Avx512 => false,
        }
    }

    /// Its name in reports.
    pub fn name(self) -> &'static str {
        match self {
            Isa::Portable => "portable",
            Isa::Avx2 => "avx2+fma",
            Isa::Avx512 => "avx512-vbmi-vnni",
        }
    }
}

/// How a kernel runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Options {
    /// The instruction set ([`Isa::best`] by default).
    pub isa: Isa,
    /// Worker threads: `None` runs on rayon's current pool (all cores by
    /// default), `Some(1)` on the calling thread, `Some(n)` on a new pool.
    pub threads: Option<usize>,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            isa: Isa::best(),
            threads: None,
        }
    }
}

impl Options {
    fn check(&self) -> Result<(), KernelError> {
        if self.isa.available() {
            Ok(())
        } else {
            Err(KernelError::Unsupported(self.isa.name()))
        }
    }
}

/// Rows handed to a thread at a time: enough to amortise the hand-off,
/// few enough to balance two cores on a 1,000-row layer.
const ROWS_PER_TASK: usize = 16;

/// Runs `row(i)` for every output row on the threads `opts` asks for.
fn for_rows<T: Send>(
    y: &mut [T],
    opts: &Options,
    row: impl Fn(usize) -> T + Sync,
) -> Result<(), KernelError> {
    for_row_blocks(y, opts, |first, out| {
        for (j, v) in out.iter_mut().enumerate() {
            *v = row(first + j);
        }
    })
}

/// Runs `block(first, out)` for consecutive blocks of at most
/// `ROWS_PER_TASK` output rows (`out` holds rows `first..`) on the threads
/// `opts` asks for. The blocks are the same for every thread count.
fn for_row_blocks<T: Send>(
    y: &mut [T],
    opts: &Options,
    block: impl Fn(usize, &mut [T]) + Sync,
) -> Result<(), KernelError> {
    use rayon::prelude::*;
    let run = |y: &mut [T]| {
        y.par_chunks_mut(ROWS_PER_TASK)
            .enumerate()
            .for_each(|(c, out)| block(c * ROWS_PER_TASK, out))
    };
    match opts.threads {
        Some(1) => y
            .chunks_mut(ROWS_PER_TASK)
            .enumerate()
            .for_each(|(c, out)| block(c * ROWS_PER_TASK, out)),
        None => run(y),
        Some(n) => rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build()
            .map_err(|e| KernelError::Shape(format!("cannot start {n} threads: {e}")))?
            .install(|| run(y)),
    }
    Ok(())
}

/// Runs `group` on consecutive groups of `R` of the rows `rows(0..y.len())`
/// with their outputs, then `single` on each row left over: the SIMD paths
/// that share one activation load between several rows.
#[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
#[inline(always)]
fn in_groups<'a, C: ?Sized + 'a, T, const R: usize>(
    rows: impl Fn(usize) -> &'a C,
    y: &mut [T],
    mut group: impl FnMut([&'a C; R], &mut [T]),
    mut single: impl FnMut(&'a C, &mut T),
) {
    let whole = y.len() / R * R;
    let (head, tail) = y.split_at_mut(whole);
    for (g, out) in head.chunks_exact_mut(R).enumerate() {
        group(std::array::from_fn(|j| rows(g * R + j)), out);
    }
    for (j, out) in tail.iter_mut().enumerate() {
        single(rows(whole + j), out);
    }
}

/// Fails unless a `rows x cols` matrix can multiply a vector of `x_len`.
fn check_shape(rows: usize, cols: usize, x_len: usize) -> Result<(), KernelError> {
    if cols != x_len {
        return Err(KernelError::Shape(format!(
            "the matrix is {rows} x {cols} but the vector has {x_len} elements"
        )));
    }
    Ok(())
}
