//! `rf8 matvec`: one GEMV with RF8 weights from a real file.

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use rf8::kernel::{acc_to_f64, gemv_w8a32, gemv_w8a8_exact, gemv_w8abf16, Rf8Matrix};
use rf8::tensors::{load_matrix, load_vector, write_npy_f32, write_npy_f64, Elements};
use rf8::{Rf8, Rounding};

use super::{Failure, Output};

#[derive(Clone, Copy, ValueEnum)]
pub enum Mode {
    /// RF8 weights, f32 activations and output
    W8a32,
    /// RF8 weights and activations, exact sum; f64 output
    W8a8,
    /// RF8 weights, activations rounded to bfloat16, f32 output (faster
    /// from cache, looser bound: docs/kernel.md)
    W8abf16,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum RoundingArg {
    Truncate,
    Nearest,
}

#[derive(Args)]
pub struct MatvecArgs {
    /// Weights: FILE.npy (2-D) or FILE.safetensors[:TENSOR]; float data is
    /// quantised, uint8 data is taken as RF8 codes
    #[arg(long, value_name = "FILE[:TENSOR]")]
    weights: String,
    /// Input vector, FILE.npy (f32, f16 or f64; quantised for w8a8)
    #[arg(long, value_name = "FILE")]
    input: PathBuf,
    #[arg(long, value_enum)]
    mode: Mode,
    /// Rounding when quantising to RF8
    #[arg(long, value_enum, default_value = "truncate")]
    rounding: RoundingArg,
    /// Output vector, .npy (f32 for w8a32, f64 for w8a8)
    #[arg(long, value_name = "FILE.npy")]
    output: PathBuf,
}

/// `FILE:TENSOR` split at the last colon when the part before it names an
/// existing file (so that paths with colons still work).
fn split_spec(spec: &str) -> (PathBuf, Option<String>) {
    if let Some((file, tensor)) = spec.rsplit_once(':') {
        if !tensor.is_empty() && Path::new(file).is_file() {
            return (PathBuf::from(file), Some(tensor.to_string()));
        }
    }
    (PathBuf::from(spec), None)
}

pub fn run(args: &MatvecArgs) -> Result<Output, Failure> {
    let rounding = match args.rounding {
        RoundingArg::Truncate => Rounding::Truncate,
        RoundingArg::Nearest => Rounding::Nearest,
    };
    let (file, tensor) = split_spec(&args.weights);
    // Refused before any work: an output that is an input, or that is not
    // a file rf8 may replace.
    let unwritable = |e: std::io::Error| Failure::usage(format!("--output: {e}"));
    rf8::fsutil::refuse_same(&args.output, &[&file, &args.input]).map_err(unwritable)?;
    rf8::fsutil::target(&args.output).map_err(unwritable)?;
    let m = load_matrix(&file, tensor.as_deref()).map_err(|e| Failure::usage(e.to_string()))?;
    let bad = |what: &str, e: rf8::kernel::KernelError| Failure::usage(format!("{what}: {e}"));
    let (source, w) = match m.elements {
        Elements::Codes(c) => ("RF8 codes", Rf8Matrix::from_codes(m.rows, m.cols, c)),
        Elements::Floats(f) => (
            "quantised",
            Rf8Matrix::from_f32(m.rows, m.cols, &f, rounding),
        ),
    };
    let w = w
        .map_err(|e| bad(&format!("{} ({})", file.display(), m.name), e))?
        .with_name(m.name.clone());
    let x = load_vector(&args.input).map_err(|e| Failure::usage(e.to_string()))?;
    let input = args.input.display().to_string();
    let write_err = |e: std::io::Error| Failure {
        code: super::EXIT_USAGE,
        message: format!("cannot write {}: {e}", args.output.display()),
    };
    let mode = match args.mode {
        Mode::W8a32 | Mode::W8abf16 => {
            if let Some(i) = x.iter().position(|v| v.is_nan()) {
                return Err(Failure::usage(format!("{input}: NaN at index {i}")));
            }
            let (y, mode) = match args.mode {
                Mode::W8a32 => (gemv_w8a32(&w, &x), "w8a32, f32 output"),
                _ => (gemv_w8abf16(&w, &x), "w8abf16, f32 output"),
            };
            write_npy_f32(&args.output, &y.map_err(|e| bad(&input, e))?).map_err(write_err)?;
            mode
        }
        Mode::W8a8 => {
            let xq = x
                .iter()
                .enumerate()
                .map(|(i, &v)| {
                    Rf8::try_from_f32(v, rounding)
                        .map_err(|_| Failure::usage(format!("{input}: NaN at index {i}")))
                })
                .collect::<Result<Vec<Rf8>, Failure>>()?;
            let acc = gemv_w8a8_exact(&w, &xq).map_err(|e| bad(&input, e))?;
            let y: Vec<f64> = acc.iter().map(|&a| acc_to_f64(a)).collect();
            write_npy_f64(&args.output, &y).map_err(write_err)?;
            "w8a8 exact, f64 output"
        }
    };
    Ok(format!(
        "{} {} x {} ({source}, {}) times {} -> {} ({mode})\n",
        m.name,
        w.rows(),
        w.cols(),
        rounding.name(),
        input,
        args.output.display()
    )
    .into())
}
