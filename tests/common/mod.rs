//! Helpers shared by the integration tests.
#![allow(dead_code)] // each test binary uses a different subset

pub mod tiny_bert;

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

/// Runs `rf8` and parses its JSON output, whatever its exit code (a
/// verification that finds mismatches exits 1 with a report); returns the
/// code and the JSON.
pub fn rf8_json_code(args: &[&str]) -> (i32, serde_json::Value) {
    let out = rf8(args);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let v = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!(
            "{args:?}: {e}: {stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code().unwrap_or(-1), v)
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

/// Runs the netlist check's AIG script (`rf8::area::AIG`) on `verilog`
/// (top `top`) in `dir` with the system Yosys; returns `dir/flat.aag`.
pub fn yosys_aig(dir: &std::path::Path, verilog: &str, top: &str) -> PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join("flat.v"), verilog).unwrap();
    let script = format!(
        "read_verilog flat.v; hierarchy -check -top {top}; proc; flatten; {}",
        rf8::area::AIG
    );
    let out = std::process::Command::new("yosys")
        .current_dir(dir)
        .args(["-q", "-p", &script])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    dir.join("flat.aag")
}
