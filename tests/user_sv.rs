//! `rf8 verify --rtl` on SystemVerilog IP shaped like FPnew (issue 33):
//! `tests/data/rtl/fpu_mul.sv` takes its operands as elements of a packed
//! array, its rounding mode as a package's enum, a type-parameter tag, a
//! status struct of the five IEEE flags, a format parameter whose width
//! comes from a package function, and registers behind a handshake. It is
//! verified with no wrapper, in every rounding mode, flags included; its
//! three planted faults are each found, and counted against SoftFloat or
//! a model written here.

mod common;

use std::path::PathBuf;

use serde_json::Value;
use softfloat_wrapper::{ExceptionFlags, Float, RoundingMode, F16};

fn data(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/rtl")
        .join(name)
        .display()
        .to_string()
}

/// The directed FP16 catalogue and 3,000 random pairs, in a vectors file.
fn pairs() -> Vec<(u16, u16)> {
    rf8::verify::vectors::default_set(rf8::by_name("fp16_mul").unwrap().reference, 3_000, 33)
}

const MODES: [&str; 5] = ["rne", "rtz", "rdn", "rup", "rmm"];

/// `rf8 verify --json` of `fpu_mul` as `design`, in rounding mode
/// `mode` (tied on `rnd_mode_i`) checked in mode `check` (`--rounding`),
/// flags checked; returns the exit code and the one report.
fn verify(design: &str, mode: usize, vectors: &str, extra: &[&str]) -> (i32, Value) {
    verify_as(design, mode, mode, vectors, extra)
}

fn verify_as(
    design: &str,
    mode: usize,
    check: usize,
    vectors: &str,
    extra: &[&str],
) -> (i32, Value) {
    let (pkg, unit) = (data("fpu_pkg.sv"), data("fpu_mul.sv"));
    let tie = format!("rnd_mode_i={mode}");
    let mut args = vec![
        "verify",
        "--design",
        design,
        "--json",
        "--copies",
        "2",
        "--rtl",
        &pkg,
        "--rtl",
        &unit,
        "--port",
        "a=operands_i[0]",
        "--port",
        "b=operands_i[1]",
        "--port",
        "y=result_o",
        "--tie",
        "operands_i[2]=0",
        "--tie",
        &tie,
        "--tie",
        "tag_i=0",
        "--tie",
        "in_valid_i=1",
        "--tie",
        "out_ready_i=1",
        "--reset",
        "rst_ni:active-low",
        "--flags",
        "status_o",
        "--rounding",
        MODES[check],
        "--vectors-file",
        vectors,
    ];
    args.extend_from_slice(extra);
    let (code, v) = common::rf8_json_code(&args);
    (code, v["multipliers"][0]["reports"][0].clone())
}

fn vectors_file(name: &str) -> (PathBuf, String) {
    let dir = common::temp_dir(name);
    let text: String = pairs()
        .iter()
        .map(|(a, b)| format!("{a:04x} {b:04x}\n"))
        .collect();
    let path = dir.join("pairs.txt");
    std::fs::write(&path, text).unwrap();
    let p = path.display().to_string();
    (dir, p)
}

/// Mismatches of `cause` (and of its `kind`, if given).
fn count(r: &Value, cause: &str, kind: Option<&str>) -> u64 {
    let Some(c) = r["causes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["cause"] == cause)
    else {
        return 0;
    };
    match kind {
        None => c["count"].as_u64().unwrap(),
        Some(k) => c["kinds"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["kind"] == k)
            .map_or(0, |x| x["count"].as_u64().unwrap()),
    }
}

fn flag_mismatches(r: &Value, flag: &str) -> u64 {
    r["flags"]
        .as_array()
        .unwrap_or_else(|| panic!("no flags in {r}"))
        .iter()
        .find(|f| f["flag"] == flag)
        .map_or(0, |f| f["count"].as_u64().unwrap())
}

fn is_snan(c: u16) -> bool {
    c & 0x7c00 == 0x7c00 && c & 0x3ff != 0 && c & 0x200 == 0
}

/// FP16, combinational: no wrapper, every IEEE rounding mode, results and
/// flags bit for bit; the ports are read from the package's types.
#[test]
fn fpnew_like_fp16_passes_every_rounding_mode_with_its_flags() {
    let (dir, vectors) = vectors_file("sv-modes");
    for (mode, name) in MODES.iter().enumerate() {
        let (code, r) = verify("fp16_mul", mode, &vectors, &[]);
        assert_eq!(code, 0, "{name}: {r}");
        assert_eq!(r["mismatches"], 0, "{r}");
        assert_eq!(r["flag_order"], "nv,dz,of,uf,nx", "{r}");
        let iface = r["interface"].as_str().unwrap();
        assert!(
            iface.contains("a=operands_i[0]") && iface.contains("flags status_o"),
            "{iface}"
        );
    }
    // Checked in the wrong mode, the hint names the design's.
    let (code, r) = verify_as("fp16_mul", 1, 0, &vectors, &[]);
    assert_eq!(code, 1);
    assert!(r["notes"].to_string().contains("try --rounding rtz"), "{r}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// BF16 through two registers: the format and depth are parameters, the
/// latency is found.
#[test]
fn fpnew_like_bf16_pipelined_latency_is_found() {
    let (dir, vectors) = vectors_file("sv-bf16");
    // The FP16 catalogue's codes are BF16 codes too.
    let (code, r) = verify(
        "bf16_mul",
        0,
        &vectors,
        &[
            "--param",
            "Format=1",
            "--param",
            "NumPipeRegs=2",
            "--latency",
            "auto",
        ],
    );
    assert_eq!(code, 0, "{r}");
    assert_eq!(r["latency"], 2, "{r}");
    assert_eq!(r["mismatches"], 0, "{r}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Each planted fault is found, named by its kind, and counted exactly.
#[test]
fn fpnew_like_faults_are_found_and_counted() {
    let (dir, vectors) = vectors_file("sv-faults");
    let pairs = pairs();
    let fp16 = rf8::by_name("fp16_mul").unwrap();

    // A signalling NaN passed through: every pair with an sNaN operand.
    let (code, r) = verify("fp16_mul", 0, &vectors, &["--param", "SnanPass=1"]);
    assert_eq!(code, 1, "{r}");
    let snan = pairs
        .iter()
        .filter(|&&(a, b)| is_snan(a) || is_snan(b))
        .count() as u64;
    assert!(snan > 0);
    assert_eq!(
        count(&r, "nan", Some("signalling_nan_passed_through")),
        snan,
        "{r}"
    );
    assert_eq!(r["mismatches"], snan, "{r}");

    // Overflow as NaN: every finite pair whose product rounds to infinity.
    let (code, r) = verify("fp16_mul", 0, &vectors, &["--param", "OverflowNan=1"]);
    assert_eq!(code, 1, "{r}");
    let finite = |c: u16| c & 0x7c00 != 0x7c00;
    let overflow = pairs
        .iter()
        .filter(|&&(a, b)| {
            finite(a) && finite(b) && fp16.mul(a as u32, b as u32) & 0x7fff == 0x7c00
        })
        .count() as u64;
    assert!(overflow > 0);
    assert_eq!(count(&r, "nan", Some("nan_for_infinity")), overflow, "{r}");
    assert_eq!(r["mismatches"], overflow, "{r}");

    // Tininess before rounding: the results are right and only the
    // underflow flag differs, where SoftFloat (after rounding) does not
    // raise it but the product is below 2^-14 and inexact.
    let (code, r) = verify("fp16_mul", 0, &vectors, &["--param", "TinyBefore=1"]);
    assert_eq!(code, 1, "{r}");
    let before_only = pairs
        .iter()
        .filter(|&&(a, b)| {
            let mut flags = ExceptionFlags::default();
            flags.set();
            let (x, y) = (F16::from_bits(a), F16::from_bits(b));
            let p = x.mul(y, RoundingMode::TiesToEven);
            flags.get();
            // Exact in f64: 22 significant bits, exponents within range.
            let exact = half::f16::from_bits(a).to_f64() * half::f16::from_bits(b).to_f64();
            !p.is_nan()
                && exact != 0.0
                && exact.abs() < f64::powi(2.0, -14)
                && flags.is_inexact()
                && !flags.is_underflow()
        })
        .count() as u64;
    assert!(before_only > 0);
    assert_eq!(count(&r, "flags", Some("uf_differs")), before_only, "{r}");
    assert_eq!(flag_mismatches(&r, "uf"), before_only, "{r}");
    assert_eq!(flag_mismatches(&r, "nx"), 0, "{r}");
    assert_eq!(r["mismatches"], before_only, "{r}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// `--verilator-arg` reaches Verilator (and only Verilator): FPnew's way of
/// writing a pipeline is a Verilator error until waived, and correct in
/// both simulators once it is. A missing module is named with the files
/// that were read.
#[test]
fn verilator_arg_waives_an_error_and_a_missing_module_names_the_files() {
    let (core, mixed) = (data("fp16_core.v"), data("fp16_mixed.sv"));
    let base = [
        "verify",
        "--design",
        "fp16_mul",
        "--rtl",
        &core,
        "--rtl",
        &mixed,
        "--latency",
        "1",
        "--copies",
        "2",
        "--vectors",
        "20000",
    ];
    let out = common::rf8(&base);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("BLKANDNBLK"), "{err}");
    let waived = [
        &base[..],
        &["--verilator-arg=-Wno-BLKANDNBLK", "--simulator", "both"],
    ]
    .concat();
    let out = common::rf8(&waived);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("verilator and icarus agree"), "{text}");
    // Without fp16_core.v (copied alone, as Verilator would find
    // fp16_core.v beside it): the error names the module and the files
    // read.
    let dir = common::temp_dir("sv-missing");
    let alone = dir.join("fp16_mixed.sv");
    std::fs::copy(&mixed, &alone).unwrap();
    let mixed = alone.display().to_string();
    let out = common::rf8(&[
        "verify",
        "--design",
        "fp16_mul",
        "--rtl",
        &mixed,
        "--latency",
        "1",
        "--verilator-arg=-Wno-BLKANDNBLK",
    ]);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no file given defines module 'fp16_core'")
            && err.contains(&format!("files read: {mixed}")),
        "{err}"
    );
}
