//! Bounded, seeded fuzzing (issue 13), part of `make test` (a few seconds):
//! the two tensor readers on mutated `.npy` and `.safetensors` files, and
//! the command line's numeric arguments on boundary and random text. A
//! reader must return a value or an error, never panic or allocate beyond
//! the file; a command must exit 0 or 2 with at most one line on stderr,
//! never 101 (panic) or 134 (abort).

mod common;

use std::path::Path;
use std::process::Command;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rf8::tensors::{load_matrix, load_vector, visit_shaped, Elements};

/// A valid `.npy` file of dtype `descr` and `shape`, by the library's
/// writer, as bytes.
fn npy_bytes(dir: &Path, descr: &str, shape: &[usize], data: &[u8]) -> Vec<u8> {
    let path = dir.join("seed.npy");
    rf8::tensors::write_npy(&path, descr, shape, data.to_vec()).unwrap();
    std::fs::read(&path).unwrap()
}

fn safetensors_bytes() -> Vec<u8> {
    let w: Vec<u8> = (0..24).flat_map(|i| (i as f32).to_le_bytes()).collect();
    let h: Vec<u8> = (0..6)
        .flat_map(|i| half::f16::from_f32(i as f32).to_le_bytes())
        .collect();
    let c: Vec<u8> = (0..6).collect();
    let view =
        |d, s: Vec<usize>, b: &'static [u8]| safetensors::tensor::TensorView::new(d, s, b).unwrap();
    let (w, h, c): (&'static [u8], &'static [u8], &'static [u8]) = (
        Box::leak(w.into_boxed_slice()),
        Box::leak(h.into_boxed_slice()),
        Box::leak(c.into_boxed_slice()),
    );
    safetensors::tensor::serialize(
        vec![
            ("w", view(safetensors::Dtype::F32, vec![4, 6], w)),
            ("h", view(safetensors::Dtype::F16, vec![2, 3], h)),
            ("c", view(safetensors::Dtype::U8, vec![2, 3], c)),
        ],
        &None,
    )
    .unwrap()
}

/// Text a mutation may splice into a header: boundary numbers, broken
/// syntax, other dtypes and orders.
const SPLICES: &[&str] = &[
    "18446744073709551615",
    "18446744073709551616",
    "4294967296",
    "-1",
    "0",
    "(0,)",
    "()",
    "(1000000000, 1000000000)",
    "'<f8'",
    "'>f4'",
    "'|u1'",
    "'<c8'",
    "True",
    "{",
    "}",
    "'",
    "\"",
    "\u{0}",
    "\u{1b}[31m",
    "\n",
    "[",
    "]",
    ",",
    ":",
    "\"dtype\":\"F32\"",
    "\"shape\":[99999999999]",
    "\"data_offsets\":[0,18446744073709551615]",
];

fn mutate(rng: &mut ChaCha8Rng, bytes: &mut Vec<u8>) {
    for _ in 0..rng.gen_range(1..4) {
        if bytes.is_empty() {
            bytes.push(rng.gen());
            continue;
        }
        let i = rng.gen_range(0..bytes.len());
        match rng.gen_range(0..6) {
            0 => bytes[i] ^= 1 << rng.gen_range(0..8),
            1 => bytes[i] = rng.gen(),
            2 => bytes.truncate(i),
            3 => {
                let n = rng.gen_range(1..64);
                bytes.splice(i..i, (0..n).map(|_| rng.gen::<u8>()));
            }
            4 => {
                let s = SPLICES[rng.gen_range(0..SPLICES.len())].as_bytes();
                let end = (i + rng.gen_range(0..8)).min(bytes.len());
                bytes.splice(i..end, s.iter().copied());
            }
            _ => {
                // Rewrite a length prefix (npy header length, safetensors
                // header size) to a boundary value.
                let at = if bytes.starts_with(b"\x93NUMPY") {
                    8
                } else {
                    0
                };
                let v: u64 =
                    [0, 1, 63, u16::MAX as u64, u32::MAX as u64, u64::MAX][rng.gen_range(0..6)];
                for (k, b) in v
                    .to_le_bytes()
                    .iter()
                    .enumerate()
                    .take(if at == 8 { 2 } else { 8 })
                {
                    if let Some(x) = bytes.get_mut(at + k) {
                        *x = *b;
                    }
                }
            }
        }
    }
}

/// Every reader on `path`: no panic, and what is read is consistent.
fn read_all(path: &Path) {
    let size = std::fs::metadata(path).unwrap().len() as usize;
    if let Ok(m) = load_matrix(path, None) {
        let n = match &m.elements {
            Elements::Floats(f) => f.len(),
            Elements::Codes(c) => c.len(),
        };
        assert_eq!(n, m.rows * m.cols, "{}", path.display());
        assert!(n <= size, "more values than bytes");
    }
    if let Ok(v) = load_vector(path) {
        assert!(v.len() <= size);
    }
    let _ = visit_shaped(path, None, |_, shape, v| {
        let count = shape.iter().try_fold(1usize, |a, &d| a.checked_mul(d));
        assert_eq!(count, Some(v.len()), "shape and values disagree");
        assert!(v.len() <= size);
    });
}

#[test]
fn tensor_readers_survive_mutated_files() {
    let dir = common::temp_dir("fuzz-tensors");
    let floats: Vec<u8> = (0..12).flat_map(|i| (i as f32).to_le_bytes()).collect();
    let seeds: Vec<(&str, Vec<u8>)> = vec![
        ("npy", npy_bytes(&dir, "<f4", &[3, 4], &floats)),
        ("npy", npy_bytes(&dir, "<f2", &[6], &floats[..12])),
        ("npy", npy_bytes(&dir, "|u1", &[2, 2], &[1, 2, 3, 4])),
        ("npy", npy_bytes(&dir, "<f8", &[6], &floats[..48])),
        ("safetensors", safetensors_bytes()),
    ];
    for (ext, seed) in &seeds {
        let p = dir.join(format!("seed.{ext}"));
        std::fs::write(&p, seed).unwrap();
        read_all(&p);
    }
    let mut rng = ChaCha8Rng::seed_from_u64(13);
    let cases = 4000;
    for case in 0..cases {
        let (ext, seed) = &seeds[case % seeds.len()];
        let mut bytes = seed.clone();
        mutate(&mut rng, &mut bytes);
        let path = dir.join(format!("case.{ext}"));
        std::fs::write(&path, &bytes).unwrap();
        let outcome = std::panic::catch_unwind(|| read_all(&path));
        if outcome.is_err() {
            let keep = dir.join(format!("crash-{case}.{ext}"));
            std::fs::write(&keep, &bytes).unwrap();
            panic!("case {case} panicked; input kept at {}", keep.display());
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Strings for a numeric argument: boundaries, junk, and random numbers
/// that are either small (fast when valid) or huge.
fn number_text(rng: &mut ChaCha8Rng) -> String {
    const FIXED: &[&str] = &[
        "0",
        "1",
        "-1",
        "-0",
        "2",
        "7",
        "18446744073709551615",
        "18446744073709551616",
        "99999999999999999999999",
        "4294967296",
        "1e6",
        "1e12",
        "1e308",
        "1e309",
        "1.5",
        "nan",
        "NaN",
        "inf",
        "-inf",
        "0x10",
        "",
        " ",
        "1_000",
        "_",
        "1e",
        "e5",
        "--",
        "\u{7}",
        "\u{1b}[2J",
        "１２",
        "1e-300",
        "5e-324",
        "-1e-9",
        "+3",
    ];
    match rng.gen_range(0..4) {
        0 | 1 => FIXED[rng.gen_range(0..FIXED.len())].to_string(),
        2 => rng.gen_range(0u64..64).to_string(),
        _ => (rng.gen::<u64>() | (1 << 40)).to_string(),
    }
}

/// One command with `value` in the slot `{}`; the other arguments keep
/// any valid value's work small (or stop it at a later check).
const COMMANDS: &[&[&str]] = &[
    &["encode", "{}"],
    &["decode", "{}"],
    &["mul", "{}", "0x48"],
    &["bench", "--rows", "{}", "--probe-mib", "1"],
    &["bench", "--cols", "{}", "--probe-mib", "1"],
    &["bench", "--threads", "{}", "--probe-mib", "1"],
    &["bench", "--reps", "{}", "--probe-mib", "1"],
    &["bench", "--probe-mib", "{}", "--reps", "0"],
    &[
        "error",
        "--samples",
        "{}",
        "--formats",
        "rf8-truncate",
        "--ggd",
        "no-such",
    ],
    &[
        "error",
        "--seed",
        "{}",
        "--samples",
        "16",
        "--formats",
        "rf8-truncate",
    ],
    &[
        "error",
        "--gamma",
        "{}",
        "--beta",
        "1",
        "--samples",
        "16",
        "--formats",
        "int8",
    ],
    &[
        "error",
        "--gamma",
        "1",
        "--beta",
        "{}",
        "--samples",
        "16",
        "--formats",
        "int8",
    ],
    &[
        "error",
        "--gamma",
        "1",
        "--beta",
        "1",
        "--mu",
        "{}",
        "--samples",
        "16",
    ],
    &["verify", "--vectors", "{}", "--pipeline", "99"],
    &["verify", "--seed", "{}", "--pipeline", "99"],
    &["verify", "--pipeline", "{}", "--design", "no-such"],
    &["gen", "--pipeline", "{}", "--design", "no-such"],
    &["decode", "0", "--tool-timeout", "{}"],
];

#[test]
fn numeric_arguments_never_crash_the_command_line() {
    let dir = common::temp_dir("fuzz-cli");
    let mut rng = ChaCha8Rng::seed_from_u64(13);
    for case in 0..400 {
        let template = COMMANDS[case % COMMANDS.len()];
        let value = number_text(&mut rng);
        let args: Vec<&str> = template
            .iter()
            .map(|a| if *a == "{}" { value.as_str() } else { a })
            .collect();
        let out = Command::new(env!("CARGO_BIN_EXE_rf8"))
            .current_dir(&dir)
            .args(&args)
            .env("RF8_CACHE_DIR", dir.join("cache"))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        let code = out.status.code();
        assert!(
            matches!(code, Some(0) | Some(2)),
            "{args:?}: exit {code:?}: {stderr}"
        );
        if code == Some(2) {
            assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
            assert!(stderr.starts_with("rf8: error: "), "{args:?}: {stderr}");
        }
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// The bench's bounds, on any configuration: never a panic, and a
/// configuration that passes fits in memory.
#[test]
fn bench_bounds_hold_for_any_configuration() {
    use rf8::kernel::bench::Config;
    let mut rng = ChaCha8Rng::seed_from_u64(13);
    let pick = |rng: &mut ChaCha8Rng| -> usize {
        match rng.gen_range(0..4) {
            0 => 0,
            1 => usize::MAX >> rng.gen_range(0..64),
            2 => rng.gen_range(1..100_000),
            _ => rng.gen(),
        }
    };
    for _ in 0..20_000 {
        let cfg = Config {
            rows: pick(&mut rng),
            cols: pick(&mut rng),
            threads: pick(&mut rng),
            reps: pick(&mut rng),
            probe_bytes: pick(&mut rng),
            seed: rng.gen(),
            isa: rf8::kernel::Isa::Portable,
        };
        if cfg.check().is_ok() {
            let need = cfg.memory().expect("no overflow when accepted");
            assert!(need <= rf8::limits::available_memory() as u128);
            assert!(cfg.rows >= 1 && cfg.cols >= 1 && cfg.reps <= 1000);
        }
    }
}
