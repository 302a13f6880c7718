//! `rf8 bench`: the kernels against the machine's read bandwidth and
//! against the baselines a user would deploy instead, on the same data in
//! one run: INT8 weight-only GEMV (int8 weights, a scale per row, f32
//! activations; this crate's `int8` kernel, written like RF8's), and f16
//! and f32 GEMV from the `gemm` crate, which reaches the memory bandwidth
//! at n = 1.
//!
//! Every kernel runs on the same pool of `threads` threads, rows split in
//! blocks; the baselines get the same treatment (each block of rows is one
//! call of `gemm::gemm`), so the comparison is of the kernels, not of
//! threading strategies. The probe and the kernels run
//! in interleaved rounds (one warm-up round, then `reps`), and each time is
//! the best of its rounds, as STREAM reports it: on a shared machine the
//! best run is the least disturbed one, and medians here drifted by +-15%
//! between consecutive runs.

use std::time::Instant;

use rayon::prelude::*;

use super::{
    gemv_int8_w8a32_with, gemv_w8a32_with, gemv_w8a8_exact_with, gemv_w8abf16_with, Int8Matrix,
    Isa, KernelError, Options, Rf8Matrix,
};
use crate::stats::ggd::Ggd;
use crate::{Rf8, Rounding};

/// What to run.
#[derive(Clone, Copy, Debug)]
pub struct Config {
    pub rows: usize,
    pub cols: usize,
    pub threads: usize,
    /// Timed runs per kernel (the best is reported).
    pub reps: usize,
    /// Bytes read by the bandwidth probe.
    pub probe_bytes: usize,
    pub seed: u64,
    /// The instruction set of the RF8 and INT8 kernels.
    pub isa: Isa,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            rows: 8192,
            cols: 8192,
            threads: 2,
            reps: 7,
            probe_bytes: probe_bytes_at_least(1 << 30),
            seed: 1,
            isa: Isa::best(),
        }
    }
}

/// One kernel's figures.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Timing {
    /// `rf8_w8a32`, `rf8_w8a8_exact`, `rf8_w8abf16`, `int8_w8a32`, `f16`
    /// or `f32`.
    pub name: &'static str,
    /// What computes it: this crate's kernel on an instruction set, or the
    /// library called.
    pub implementation: String,
    /// Best seconds per GEMV over the timed runs.
    pub seconds: f64,
    /// Weights per second, 10^9.
    pub gweights: f64,
    /// Weight bytes per second, 10^9.
    pub gbs: f64,
    /// `gbs` over the measured read bandwidth.
    pub fraction_of_bandwidth: f64,
    /// Weight bytes read per GEMV (the INT8 row scales included).
    pub weight_bytes: usize,
    /// The INT8 baseline's time over this one's.
    pub speedup_vs_int8: f64,
    /// The f16 baseline's time over this one's.
    pub speedup_vs_f16: f64,
    /// The f32 baseline's time over this one's.
    pub speedup_vs_f32: f64,
}

/// The whole run.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Report {
    pub rows: usize,
    pub cols: usize,
    pub threads: usize,
    /// The instruction set of the RF8 and INT8 kernels.
    pub isa: &'static str,
    /// The CPU's model name.
    pub cpu: String,
    /// The SIMD extensions this CPU reports, of those the kernels use.
    pub cpu_flags: Vec<&'static str>,
    /// Read bandwidth of a buffer much larger than the last-level cache,
    /// 10^9 bytes per second.
    pub bandwidth_gbs: f64,
    pub kernels: Vec<Timing>,
}

/// Most timed runs per kernel: the best of more changes nothing measurable.
pub const MAX_REPS: usize = 1000;

/// Least bytes read by the probe: a buffer that fits in a cache measures
/// the cache, not the memory.
pub fn min_probe_bytes() -> u64 {
    (4 * crate::limits::last_level_cache().unwrap_or(0)).max(64 << 20)
}

/// `floor` bytes for the probe, or [`min_probe_bytes`] where this CPU's
/// caches are larger (a VM may report its host's whole L3: 480 MiB was
/// seen on a 2-vCPU Xeon).
pub fn probe_bytes_at_least(floor: usize) -> usize {
    floor.max(usize::try_from(min_probe_bytes()).unwrap_or(usize::MAX))
}

impl Config {
    /// Bytes the run holds at once: the weights as f32, f16, RF8 and INT8,
    /// the probe buffer, and the vectors.
    pub fn memory(&self) -> Option<u128> {
        let n = (self.rows as u128).checked_mul(self.cols as u128)?;
        let vectors = (self.cols as u128 + self.rows as u128).checked_mul(40)?;
        crate::limits::bytes_for(n, 4 + 2 + 1 + 1, self.probe_bytes as u128)?.checked_add(vectors)
    }

    /// Fails with a one-line reason on an out-of-bounds size, count or
    /// thread number, before anything is allocated.
    pub fn check(&self) -> Result<(), crate::limits::LimitError> {
        use crate::limits::{check_memory, check_range, check_threads, LimitError};
        if self.rows == 0 || self.cols == 0 {
            return Err(LimitError(format!(
                "--rows {} x --cols {}: both must be at least 1",
                self.rows, self.cols
            )));
        }
        check_threads("--threads", self.threads)?;
        check_range(
            "--reps",
            self.reps as u128,
            1,
            MAX_REPS as u128,
            "the best of more runs changes nothing measurable",
        )?;
        if !self.isa.available() {
            return Err(LimitError(format!(
                "--isa {}: not available on this CPU ({})",
                self.isa.name(),
                super::cpu::model()
            )));
        }
        let min = min_probe_bytes();
        if (self.probe_bytes as u64) < min {
            return Err(LimitError(format!(
                "--probe-mib {}: at least {} (4 x this CPU's largest cache, or 64 MiB; \
                 a smaller buffer measures the cache, not the memory)",
                self.probe_bytes >> 20,
                min.div_ceil(1 << 20)
            )));
        }
        check_memory(
            &format!(
                "--rows {} x --cols {} with --probe-mib {}",
                self.rows,
                self.cols,
                self.probe_bytes >> 20
            ),
            self.memory(),
        )
    }
}

/// Runs everything; `progress` hears each step's name as it starts.
pub fn run(cfg: &Config, mut progress: impl FnMut(&str) + Send) -> Result<Report, KernelError> {
    cfg.check()?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(cfg.threads)
        .build()
        .map_err(|e| KernelError::Shape(format!("cannot start {} threads: {e}", cfg.threads)))?;
    pool.install(|| run_in_pool(cfg, &mut progress))
}

fn run_in_pool(
    cfg: &Config,
    progress: &mut (dyn FnMut(&str) + Send),
) -> Result<Report, KernelError> {
    let opts = Options {
        isa: cfg.isa,
        threads: None,
    };
    progress("data");
    let (w, x) = data(cfg);
    let rf8 = Rf8Matrix::from_f32(cfg.rows, cfg.cols, &w, Rounding::Truncate)?;
    let int8 = Int8Matrix::from_f32(cfg.rows, cfg.cols, &w)?;
    let w16: Vec<half::f16> = w.par_iter().map(|&v| half::f16::from_f32(v)).collect();
    let x16: Vec<half::f16> = x.iter().map(|&v| half::f16::from_f32(v)).collect();
    let x8: Vec<Rf8> = x.iter().map(|&v| Rf8::from_f32(v)).collect();
    let n = cfg.rows * cfg.cols;

    // Interleaved rounds: every kernel and the probe run once per round,
    // so that a noisy spell on the shared machine hits them all alike.
    let probe = Probe::new(cfg.probe_bytes);
    let mut best = [f64::INFINITY; 7];
    for round in 0..=cfg.reps {
        progress(&format!("round {round} of {}", cfg.reps));
        let runs: [&dyn Fn(); 7] = [
            &|| probe.read(),
            &|| {
                std::hint::black_box(gemv_w8a32_with(&rf8, &x, &opts).expect("shapes checked"));
            },
            &|| {
                std::hint::black_box(
                    gemv_w8a8_exact_with(&rf8, &x8, &opts).expect("shapes checked"),
                );
            },
            &|| {
                std::hint::black_box(gemv_w8abf16_with(&rf8, &x, &opts).expect("shapes checked"));
            },
            &|| {
                std::hint::black_box(
                    gemv_int8_w8a32_with(&int8, &x, &opts).expect("shapes checked"),
                );
            },
            &|| {
                std::hint::black_box(gemv_f16(&w16, &x16, cfg.rows));
            },
            &|| {
                std::hint::black_box(gemv_f32(&w, &x, cfg.rows));
            },
        ];
        for (b, run) in best.iter_mut().zip(runs) {
            probe.evict();
            let start = Instant::now();
            run();
            // Round 0 warms caches, pages and the thread pool.
            if round > 0 {
                *b = b.min(start.elapsed().as_secs_f64());
            }
        }
    }
    let [t_probe, t_w8a32, t_w8a8, t_bf16, t_int8, t_f16, t_f32] = best;
    let bandwidth = probe.bytes() as f64 / t_probe / 1e9;
    let ours = |what: &str| format!("rf8 {what}, {}", opts.isa.name());
    let timing = |name, implementation: String, seconds: f64, bytes: usize| {
        let gbs = bytes as f64 / seconds / 1e9;
        Timing {
            name,
            implementation,
            seconds,
            gweights: n as f64 / seconds / 1e9,
            gbs,
            fraction_of_bandwidth: gbs / bandwidth,
            weight_bytes: bytes,
            speedup_vs_int8: t_int8 / seconds,
            speedup_vs_f16: t_f16 / seconds,
            speedup_vs_f32: t_f32 / seconds,
        }
    };
    Ok(Report {
        rows: cfg.rows,
        cols: cfg.cols,
        threads: cfg.threads,
        isa: opts.isa.name(),
        cpu: super::cpu::model(),
        cpu_flags: super::cpu::simd_flags(),
        bandwidth_gbs: bandwidth,
        kernels: vec![
            timing("rf8_w8a32", ours("gemv_w8a32"), t_w8a32, n),
            timing("rf8_w8a8_exact", ours("gemv_w8a8_exact"), t_w8a8, n),
            timing("rf8_w8abf16", ours("gemv_w8abf16"), t_bf16, n),
            timing(
                "int8_w8a32",
                ours("gemv_int8_w8a32"),
                t_int8,
                n + 4 * cfg.rows,
            ),
            timing("f16", "gemm::gemm::<f16>".into(), t_f16, 2 * n),
            timing("f32", "gemm::gemm::<f32>".into(), t_f32, 4 * n),
        ],
    })
}

impl Report {
    /// The run as a text table, with the CPU named.
    pub fn text(&self) -> String {
        let mut out = format!(
            "GEMV {} x {}, {} threads on {} ({}); read bandwidth {:.2} GB/s\n",
            self.rows,
            self.cols,
            self.threads,
            self.cpu,
            self.cpu_flags.join(" "),
            self.bandwidth_gbs
        );
        out += &format!(
            "{:<15} {:>9} {:>10} {:>8} {:>8} {:>8} {:>8} {:>8}  {}\n",
            "kernel", "ms", "Gweight/s", "GB/s", "% of bw", "vs int8", "vs f16", "vs f32", "by"
        );
        for k in &self.kernels {
            out += &format!(
                "{:<15} {:>9.3} {:>10.2} {:>8.2} {:>7.1}% {:>7.2}x {:>7.2}x {:>7.2}x  {}\n",
                k.name,
                k.seconds * 1e3,
                k.gweights,
                k.gbs,
                100.0 * k.fraction_of_bandwidth,
                k.speedup_vs_int8,
                k.speedup_vs_f16,
                k.speedup_vs_f32,
                k.implementation
            );
        }
        out
    }
}

/// Weights from the `llama3-1b` GGD (sampled in parallel, one seeded
/// stream per row block) and N(0, 1)-like activations.
fn data(cfg: &Config) -> (Vec<f32>, Vec<f32>) {
    let ggd = Ggd::preset("llama3-1b").expect("built-in preset");
    let block = 1 << 16;
    let mut w = vec![0f32; cfg.rows * cfg.cols];
    w.par_chunks_mut(block).enumerate().for_each(|(i, out)| {
        let mut rng = crate::verify::vectors::rng(cfg.seed ^ (i as u64).wrapping_mul(0x9e37_79b9));
        let values = ggd.sample(&mut rng, out.len());
        for (o, v) in out.iter_mut().zip(values) {
            *o = v as f32;
        }
    });
    let mut rng = crate::verify::vectors::rng(cfg.seed.wrapping_add(1));
    let x = Ggd::NORMAL
        .sample(&mut rng, cfg.cols)
        .iter()
        .map(|&v| v as f32)
        .collect();
    (w, x)
}

/// A STREAM-like read of a buffer much larger than the last-level cache:
/// the current pool's threads sum disjoint parts of it, prefetching ahead
/// as the kernels do. Without the prefetch it read 10-26% less than the
/// kernels could stream on Zen 5 when the machine's memory was busy, which
/// made "% of bandwidth" flatter than the truth.
pub struct Probe {
    buf: Vec<u64>,
    /// Words [`Probe::evict`] reads: twice the last-level cache, at least
    /// 64 MiB, at most the buffer.
    evict_words: usize,
}

/// Words read per step of the probe: one 64-byte line.
const LINE_WORDS: usize = 8;

/// How far ahead of its current line the probe prefetches, in words (16
/// KiB, the kernels' distance).
const PROBE_AHEAD_WORDS: usize = 16384 / 8;

impl Probe {
    /// A buffer of `bytes` (at least 8 KiB), touched so that its pages exist.
    pub fn new(bytes: usize) -> Probe {
        let mut buf = vec![0u64; (bytes / 8).max(1 << 10)];
        buf.par_chunks_mut(1 << 16)
            .enumerate()
            .for_each(|(i, c)| c.iter_mut().for_each(|v| *v = i as u64));
        let llc = crate::limits::last_level_cache().unwrap_or(0);
        let evict_bytes = usize::try_from(2 * llc).unwrap_or(usize::MAX).max(64 << 20);
        let evict_words = (evict_bytes / 8).min(buf.len());
        Probe { buf, evict_words }
    }

    /// Bytes read per pass.
    pub fn bytes(&self) -> usize {
        self.buf.len() * 8
    }

    /// One pass.
    pub fn read(&self) {
        read(&self.buf);
    }

    /// Reads the last twice-the-last-level-cache of the buffer (at least
    /// 64 MiB; all of it if smaller), so that the next kernel finds none of
    /// the previous one's data in cache: an 8192 x 8192 RF8 matrix is 64
    /// MiB, and with a 32 MiB L3 a kernel that ran right after another on
    /// the same matrix streamed up to 43% faster than the first one.
    pub fn evict(&self) {
        read(&self.buf[self.buf.len() - self.evict_words..]);
    }
}

/// Sums `buf` on the current pool, prefetching ahead.
fn read(buf: &[u64]) {
    let s: u64 = buf
        .par_chunks(1 << 20)
        .map(|c| {
            // Independent sums, so that the loop vectorises and is limited
            // by memory rather than by one add chain.
            let mut acc = [0u64; LINE_WORDS];
            for (i, line) in c.chunks_exact(LINE_WORDS).enumerate() {
                prefetch(c.as_ptr().wrapping_add(i * LINE_WORDS + PROBE_AHEAD_WORDS));
                for j in 0..LINE_WORDS {
                    acc[j] = acc[j].wrapping_add(line[j]);
                }
            }
            acc.iter().fold(0u64, |a, &b| a.wrapping_add(b))
        })
        .reduce(|| 0, u64::wrapping_add);
    std::hint::black_box(s);
}

/// Asks for the line at `p` to be brought into L2 (a hint: it never
/// faults, whatever the address, and is nothing off x86-64).
#[inline(always)]
fn prefetch(p: *const u64) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: prefetching is a hint and does not access memory.
    unsafe {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T1};
        _mm_prefetch::<_MM_HINT_T1>(p.cast());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
}

/// Rows per call of a baseline library.
const BASELINE_ROWS: usize = 256;

/// `y = W x` by a library call per block of `BASELINE_ROWS` rows, the
/// blocks spread over the current pool: `call(block_of_w, x, block_of_y)`.
fn by_row_blocks<T: Sync, Y: Copy + Send>(
    w: &[T],
    x: &[T],
    rows: usize,
    zero: Y,
    call: impl Fn(&[T], &[T], &mut [Y]) + Sync,
) -> Vec<Y> {
    let cols = x.len();
    assert_eq!(w.len(), rows * cols, "shape");
    let mut y = vec![zero; rows];
    y.par_chunks_mut(BASELINE_ROWS)
        .enumerate()
        .for_each(|(b, out)| call(&w[b * BASELINE_ROWS * cols..][..out.len() * cols], x, out));
    y
}

/// f32 GEMV: `gemm::gemm::<f32>` with n = 1, per block of rows.
pub fn gemv_f32(w: &[f32], x: &[f32], rows: usize) -> Vec<f32> {
    by_row_blocks(w, x, rows, 0f32, |a, x, out| gemm_gemv(a, x, out, 0.0, 1.0))
}

/// `out = a x` by `gemm::gemm` (m = out.len(), n = 1, k = x.len()), with
/// `a` row-major; `zero` and `one` are the type's 0 and 1.
fn gemm_gemv<T: 'static + Copy>(a: &[T], x: &[T], out: &mut [T], zero: T, one: T) {
    let cols = x.len();
    assert!(a.len() >= out.len() * cols, "shape");
    // SAFETY: dst is out.len() x 1 (row stride 1), lhs is out.len() x
    // cols row-major (checked above), rhs is cols x 1; nothing aliases.
    unsafe {
        gemm::gemm(
            out.len(),
            1,
            cols,
            out.as_mut_ptr(),
            out.len() as isize,
            1,
            false,
            a.as_ptr(),
            1,
            cols as isize,
            x.as_ptr(),
            cols as isize,
            1,
            zero,
            one,
            false,
            false,
            false,
            gemm::Parallelism::None,
        );
    }
}

/// f16 GEMV: `gemm::gemm::<f16>` (f16 storage and arithmetic, as that
/// crate does it) with n = 1, per block of rows.
pub fn gemv_f16(w: &[half::f16], x: &[half::f16], rows: usize) -> Vec<half::f16> {
    by_row_blocks(w, x, rows, half::f16::ZERO, |a, x, out| {
        gemm_gemv(a, x, out, half::f16::ZERO, half::f16::ONE)
    })
}
