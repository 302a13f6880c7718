//! Helpers shared by the integration tests.
#![allow(dead_code)] // each test binary uses a different subset

use std::path::PathBuf;

/// Rows of a tab-separated catalogue in `tests/data/`, comments skipped.
pub fn catalogue(name: &str) -> Vec<Vec<String>> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let rows: Vec<Vec<String>> = text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.split('\t').map(str::to_string).collect())
        .collect();
    assert!(!rows.is_empty(), "{name} is empty");
    rows
}

/// Parses `0x..` hex.
pub fn hex(text: &str) -> u32 {
    u32::from_str_radix(text.trim_start_matches("0x"), 16)
        .unwrap_or_else(|_| panic!("bad hex {text}"))
}

/// A seeded generator, so that every run checks the same vectors.
pub fn rng(seed: u64) -> rand_chacha::ChaCha8Rng {
    use rand::SeedableRng;
    rand_chacha::ChaCha8Rng::seed_from_u64(seed)
}

/// The special classes of a binary format with `e` exponent and `f`
/// fraction bits, both signs: zeros, subnormal extremes, normal extremes,
/// one, the values around one, infinities, quiet and signalling NaNs.
pub fn specials(e: u32, f: u32) -> Vec<u16> {
    let exp_all = ((1u32 << e) - 1) << f;
    let one = ((1u32 << (e - 1)) - 1) << f;
    let mags: Vec<u32> = vec![
        0,
        1, // smallest subnormal
        2,
        3,
        (1 << f) - 1, // largest subnormal
        1 << f,       // smallest normal
        (1 << f) + 1,
        one - 1,
        one, // 1.0
        one + 1,
        one + (1 << (f - 1)), // 1.5
        one + (1 << f),       // 2.0
        exp_all - 1,          // largest finite
        exp_all - 2,
        exp_all,                  // infinity
        exp_all | 1,              // signalling NaN
        exp_all | (1 << (f - 1)), // quiet NaN
        exp_all | ((1 << f) - 1),
    ];
    mags.iter()
        .flat_map(|&m| [m as u16, (m | 1 << (e + f)) as u16])
        .collect()
}

/// A fresh empty directory under the system's temporary directory.
pub fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("rf8-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs the `rf8` binary.
pub fn rf8(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_rf8"))
        .args(args)
        .output()
        .expect("run rf8")
}

/// Runs `rf8` and parses its JSON output (the command must succeed).
pub fn rf8_json(args: &[&str]) -> serde_json::Value {
    let out = rf8(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}
