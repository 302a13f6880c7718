//! `rf8 verify --rtl` on users' designs (issue 14): the deliberately
//! flawed FP16 multipliers in `tests/data/rtl/`, each diagnosed in both
//! simulators (`--simulator both`) with no wrapper, and the counts per
//! cause checked against models of the flaw written here independently
//! (Berkeley SoftFloat for the truncating design).
//!
//! Every run reads the same vectors file: the directed FP16 catalogue and
//! seeded random pairs, written by the test.

mod common;

use std::path::{Path, PathBuf};

use serde_json::Value;
use softfloat_wrapper::{Float, RoundingMode, F16};

fn data(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/rtl")
        .join(name)
        .display()
        .to_string()
}

fn fp16() -> &'static rf8::Design {
    rf8::by_name("fp16_mul").unwrap()
}

/// The directed catalogue and 5,000 random pairs.
fn pairs() -> Vec<(u16, u16)> {
    rf8::verify::vectors::default_set(fp16().reference, 5_000, 14)
}

fn vectors_file(dir: &Path) -> String {
    let text: String = pairs()
        .iter()
        .map(|(a, b)| format!("{a:04x} {b:04x}\n"))
        .collect();
    let path = dir.join("pairs.txt");
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

/// Runs `rf8 verify --json` in both simulators; returns the exit code and
/// the one design's outcome.
fn verify(args: &[&str]) -> (i32, Value) {
    let mut all = vec![
        "verify",
        "--design",
        "fp16_mul",
        "--simulator",
        "both",
        "--json",
    ];
    all.extend_from_slice(args);
    let (code, v) = common::rf8_json_code(&all);
    assert_eq!(v["schema_version"], 2);
    (code, v["multipliers"][0].clone())
}

/// `fp16_core.v` and one flawed top on the shared vectors file, in both
/// simulators, with `extra` flags.
fn flawed(name: &str, top: &str, extra: &[&str]) -> (i32, Value) {
    let dir = common::temp_dir(name);
    let file = vectors_file(&dir);
    let core = data("fp16_core.v");
    let mut args = vec!["--rtl", &core, "--rtl", top, "--vectors-file", &file];
    args.extend_from_slice(extra);
    let result = verify(&args);
    let _ = std::fs::remove_dir_all(&dir);
    result
}

/// Mismatches per cause of each simulator's report (both must agree).
fn causes(o: &Value) -> Vec<(String, u64)> {
    let per: Vec<Vec<(String, u64)>> = o["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["causes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| {
                    (
                        c["cause"].as_str().unwrap().to_string(),
                        c["count"].as_u64().unwrap(),
                    )
                })
                .collect()
        })
        .collect();
    assert_eq!(per.len(), 2, "{o}");
    assert_eq!(per[0], per[1], "the simulators differ: {o}");
    assert_eq!(o["disagreement"]["differing"], 0, "{o}");
    per[0].clone()
}

fn total(c: &[(String, u64)]) -> u64 {
    c.iter().map(|x| x.1).sum()
}

fn count(c: &[(String, u64)], cause: &str) -> u64 {
    c.iter().find(|x| x.0 == cause).map_or(0, |x| x.1)
}

fn is_nan(c: u16) -> bool {
    c & 0x7c00 == 0x7c00 && c & 0x3ff != 0
}

fn is_subnormal(c: u16) -> bool {
    c & 0x7c00 == 0 && c & 0x3ff != 0
}

/// Pairs where a model of the flaw disagrees with the reference.
fn differing(model: impl Fn(u16, u16) -> u16) -> Vec<(u16, u16)> {
    pairs()
        .into_iter()
        .filter(|&(a, b)| model(a, b) as u32 != fp16().mul(a as u32, b as u32))
        .collect()
}

#[test]
fn a_correct_hand_written_design_passes() {
    let dir = common::temp_dir("correct-top");
    let top = dir.join("top.v");
    std::fs::write(
        &top,
        "module fp16_mul(input wire [15:0] a, input wire [15:0] b, output wire [15:0] y);\n\
         \x20   fp16_core core(.a(a), .b(b), .y(y));\nendmodule\n",
    )
    .unwrap();
    let (code, o) = flawed("correct", top.to_str().unwrap(), &[]);
    assert_eq!(code, 0, "{o}");
    assert!(causes(&o).is_empty());
    let _ = std::fs::remove_dir_all(&dir);
}

/// `--param` sets a parameter at the top's instantiation, in both
/// simulators, and the port widths follow it; `-GNAME=VALUE` in a file
/// list does the same; an unknown parameter is refused with the list.
#[test]
fn parameters_set_widths_and_behaviour() {
    let (wide, core) = (data("fp16_width_param.v"), data("fp16_core.v"));
    // The default W = 8 does not fit: refused before any simulation.
    let out = common::rf8(&[
        "verify", "--design", "fp16_mul", "--rtl", &wide, "--rtl", &core,
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("a has 8 bits; the design's operands have 16"),
        "{err}"
    );
    let dir = common::temp_dir("param");
    let vectors = vectors_file(&dir);
    let args = ["--rtl", &wide, "--rtl", &core, "--vectors-file", &vectors];
    let (code, o) = verify(&[&args[..], &["--param", "W=16"]].concat());
    assert_eq!(code, 0, "{o}");
    assert_eq!(total(&causes(&o)), 0);
    assert!(
        o["reports"][0]["interface"]
            .as_str()
            .unwrap()
            .contains("parameters W=16"),
        "{o}"
    );
    // A file list's -G: the truncating core, which --rounding rtz accepts.
    let list = dir.join("core.f");
    std::fs::write(&list, format!("{core}\n-GTRUNC=1\n")).unwrap();
    let list = list.to_string_lossy().to_string();
    let base = [
        "-f",
        &list,
        "--top",
        "fp16_core",
        "--vectors-file",
        &vectors,
    ];
    let (code, o) = verify(&base);
    assert_eq!(code, 1, "{o}");
    assert!(
        o["reports"][0]["notes"]
            .to_string()
            .contains("try --rounding rtz"),
        "{o}"
    );
    let (code, o) = verify(&[&base[..], &["--rounding", "rtz"]].concat());
    assert_eq!(code, 0, "{o}");
    // Unknown names are refused, listing the module's parameters.
    let out = common::rf8(&[
        "verify",
        "--design",
        "fp16_mul",
        "--rtl",
        &core,
        "--top",
        "fp16_core",
        "--param",
        "NOPE=1",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("fp16_core has no parameter NOPE (parameters: TRUNC, FTZ, PAYLOAD)"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// The truncating core is IEEE round-toward-zero: the report says so, and
/// with `--rounding rtz` it passes in both simulators; a mode it does not
/// follow (`rup`) still fails.
#[test]
fn truncating_fp16_follows_round_toward_zero() {
    let (code, o) = flawed("trunc-rne", &data("fp16_trunc.v"), &[]);
    assert_eq!(code, 1);
    let mismatches = o["reports"][0]["mismatches"].as_u64().unwrap();
    let want = format!(
        "all {mismatches} mismatches are what round toward zero (rtz) gives; \
         the check used round to nearest, ties to even (rne): try --rounding rtz"
    );
    for r in o["reports"].as_array().unwrap() {
        let notes = r["notes"].to_string();
        assert!(notes.contains(&want), "{notes}");
    }
    let (code, o) = flawed("trunc-rtz", &data("fp16_trunc.v"), &["--rounding", "rtz"]);
    assert_eq!(code, 0, "{o}");
    assert_eq!(total(&causes(&o)), 0);
    let (code, o) = flawed("trunc-rup", &data("fp16_trunc.v"), &["--rounding", "rup"]);
    assert_eq!(code, 1);
    assert!(
        o["reports"][0]["notes"]
            .to_string()
            .contains("try --rounding rtz"),
        "{o}"
    );
    // A format without IEEE modes refuses the option.
    let out = common::rf8(&["verify", "--design", "rf8_mul", "--rounding", "rtz"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("rf8_mul has no IEEE rounding modes"), "{err}");
}

#[test]
fn truncating_fp16_is_a_rounding_and_overflow_bug() {
    let (code, o) = flawed("trunc", &data("fp16_trunc.v"), &[]);
    assert_eq!(code, 1);
    let c = causes(&o);
    // SoftFloat, rounding toward zero, is the design's model (NaN results
    // aside: the design returns the canonical NaN).
    let bad = differing(|a, b| {
        let y = F16::from_bits(a)
            .mul(F16::from_bits(b), RoundingMode::TowardZero)
            .to_bits();
        if is_nan(y) {
            0x7e00
        } else {
            y
        }
    });
    assert_eq!(total(&c), bad.len() as u64, "{c:?}");
    let over = bad
        .iter()
        .filter(|&&(a, b)| fp16().mul(a as u32, b as u32) & 0x7fff == 0x7c00)
        .count() as u64;
    assert_eq!(count(&c, "overflow"), over, "{c:?}");
    // Every other truncation is the lower neighbour of the exact product,
    // except where one of the two results is zero.
    let rtz = |a: u16, b: u16| {
        F16::from_bits(a)
            .mul(F16::from_bits(b), RoundingMode::TowardZero)
            .to_bits()
    };
    let rounding = bad
        .iter()
        .filter(|&&(a, b)| {
            let r = fp16().mul(a as u32, b as u32) as u16;
            r & 0x7fff != 0x7c00 && r & 0x7fff != 0 && rtz(a, b) & 0x7fff != 0
        })
        .count() as u64;
    assert_eq!(count(&c, "rounding"), rounding, "{c:?}");
    assert_eq!(
        count(&c, "underflow") + count(&c, "subnormal_input"),
        bad.len() as u64 - over - rounding,
        "{c:?}"
    );
    assert_eq!(
        count(&c, "nan") + count(&c, "other") + count(&c, "sign_of_zero"),
        0,
        "{c:?}"
    );
}

#[test]
fn flush_to_zero_fp16_is_a_subnormal_bug() {
    let (code, o) = flawed("ftz", &data("fp16_ftz.v"), &[]);
    assert_eq!(code, 1);
    let c = causes(&o);
    let m = fp16();
    let flush = |x: u16| if is_subnormal(x) { x & 0x8000 } else { x };
    let bad = differing(|a, b| flush(m.mul(flush(a) as u32, flush(b) as u32) as u16));
    assert_eq!(total(&c), bad.len() as u64, "{c:?}");
    let sub_in = bad
        .iter()
        .filter(|&&(a, b)| is_subnormal(a) || is_subnormal(b))
        .count() as u64;
    assert_eq!(count(&c, "subnormal_input"), sub_in, "{c:?}");
    assert_eq!(count(&c, "underflow"), bad.len() as u64 - sub_in, "{c:?}");
}

#[test]
fn nan_payloads_fail_canonical_and_pass_quiet() {
    let top = data("fp16_nan_payload.v");
    let (code, o) = flawed("payload", &top, &[]);
    assert_eq!(code, 1);
    let c = causes(&o);
    // NaN in: that NaN, quieted; Inf x 0: 0xFE00.
    let payload = |a: u16, b: u16| {
        if is_nan(a) {
            a | 0x200
        } else if is_nan(b) {
            b | 0x200
        } else {
            0xfe00
        }
    };
    let bad = pairs()
        .into_iter()
        .filter(|&(a, b)| fp16().mul(a as u32, b as u32) == 0x7e00 && payload(a, b) != 0x7e00)
        .count() as u64;
    assert_eq!(c, vec![("nan".to_string(), bad)]);
    let notes = o["reports"][0]["notes"].to_string();
    assert!(notes.contains("--nan quiet"), "{notes}");
    let (code, o) = flawed("payload-quiet", &top, &["--nan", "quiet"]);
    assert_eq!(code, 0, "{o}");
}

#[test]
fn latency_two_with_active_low_reset() {
    let dir = common::temp_dir("pipe");
    let file = vectors_file(&dir);
    let base = [
        "-I",
        &data(""),
        "--rtl",
        &data("fp16_pipe2.v"),
        "--vectors-file",
        &file,
    ];
    // No reset named: refused before any simulation, with the fix.
    let out = common::rf8(&[&["verify", "--design", "fp16_mul"][..], &base[..]].concat());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("rst_n") && err.contains("--reset rst_n:active-low"),
        "{err}"
    );
    // The right reset, the latency found.
    let (code, o) = verify(
        &[
            &base[..],
            &["--reset", "rst_n:active-low", "--latency", "auto"],
        ]
        .concat(),
    );
    assert_eq!(code, 0, "{o}");
    for r in o["reports"].as_array().unwrap() {
        assert_eq!(r["latency"], 2, "{r}");
        assert_eq!(r["latency_search"]["chosen"], 2, "{r}");
        assert_eq!(r["pairs"], pairs().len(), "{r}");
    }
    // Reset never applied: Icarus sees X everywhere, Verilator zeros; the
    // simulators disagree, and the verdict says so.
    let (code, o) = verify(&[&base[..], &["--tie", "rst_n=1", "--latency", "2"]].concat());
    assert_eq!(code, 1);
    let icarus = &o["reports"][1];
    assert_eq!(icarus["causes"][0]["cause"], "undefined", "{icarus}");
    assert_eq!(icarus["causes"][0]["count"], pairs().len(), "{icarus}");
    assert_eq!(o["disagreement"]["differing"], pairs().len() as u64, "{o}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn own_port_names_and_a_rounding_mode_input() {
    let dir = common::temp_dir("ports");
    let file = vectors_file(&dir);
    let list = data("fp16_custom_ports.f");
    let root = env!("CARGO_MANIFEST_DIR");
    let run = |extra: &[&str]| {
        let mut args = vec![
            "verify",
            "--design",
            "fp16_mul",
            "--simulator",
            "both",
            "--json",
            "-f",
            &list,
            "--vectors-file",
            &file,
        ];
        args.extend_from_slice(extra);
        std::process::Command::new(env!("CARGO_BIN_EXE_rf8"))
            .args(&args)
            .current_dir(root)
            .output()
            .unwrap()
    };
    let out = run(&[]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("fmul16 has no port a") && err.contains("op_x"),
        "{err}"
    );
    let ports = ["--port", "a=op_x", "--port", "b=op_y", "--port", "y=result"];
    let out = run(&ports);
    assert!(String::from_utf8_lossy(&out.stderr).contains("rnd_mode"));
    let out = run(&[&ports[..], &["--tie", "rnd_mode=0"]].concat());
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let out = run(&[&ports[..], &["--tie", "rnd_mode=2'b01"]].concat());
    assert_eq!(out.status.code(), Some(1));
    let o: Value = serde_json::from_slice(&out.stdout).unwrap();
    let c = causes(&o["multipliers"][0]);
    assert!(count(&c, "rounding") > 0 && count(&c, "nan") == 0, "{c:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_display_in_the_design_does_not_corrupt_the_results() {
    let (code, o) = flawed("display", &data("fp16_display.v"), &[]);
    assert_eq!(code, 0, "{o}");
    assert!(causes(&o).is_empty());
}

#[test]
fn an_oscillating_loop_is_named_with_its_pair() {
    let (code, o) = flawed("loop", &data("fp16_loop.v"), &[]);
    assert_eq!(code, 1);
    for r in o["reports"].as_array().unwrap() {
        assert_eq!(
            r["unsettled"]["pair"],
            serde_json::json!([0x7c00, 0]),
            "{r}"
        );
    }
    let verilator = o["reports"][0].to_string();
    assert!(
        verilator.contains("UNOPTFLAT"),
        "Verilator's warning is shown: {verilator}"
    );
}

#[test]
fn replay_shows_the_steps_and_the_cause() {
    let out = common::rf8(&[
        "verify",
        "--design",
        "fp16_mul",
        "--rtl",
        &data("fp16_core.v"),
        "--rtl",
        &data("fp16_trunc.v"),
        "--simulator",
        "both",
        "--replay",
        "0x3c17",
        "0x3c17",
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("exact     1.04542636871337890625"), "{text}");
    assert!(
        text.contains("verilator 0x3c2e: MISMATCH (rounding"),
        "{text}"
    );
    assert!(
        text.contains("icarus    0x3c2e: MISMATCH (rounding"),
        "{text}"
    );
}
