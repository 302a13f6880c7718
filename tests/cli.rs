//! The `rf8` command, run as a user would run it.

use std::process::{Command, Output};

use rf8::{Rf8, Rounding};

fn rf8(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rf8"))
        .args(args)
        .output()
        .expect("run rf8")
}

fn stdout(args: &[&str]) -> String {
    let out = rf8(args);
    assert!(
        out.status.success(),
        "rf8 {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Bad input: exit 2, exactly one line on stderr, nothing on stdout.
fn assert_usage_error(args: &[&str], needle: &str) {
    let out = rf8(args);
    assert_eq!(out.status.code(), Some(2), "rf8 {args:?}");
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "rf8 {args:?}: {err}");
    assert!(err.contains(needle), "rf8 {args:?}: {err}");
    assert!(out.stdout.is_empty(), "rf8 {args:?} wrote to stdout");
}

#[test]
fn encode_paper_example_and_negative_arguments() {
    let text = stdout(&["encode", "-0.39"]);
    assert!(
        text.contains("0xc8") && text.contains("1 10010 00") && text.contains("-0.375"),
        "{text}"
    );
    let text = stdout(&["encode", "-inf", "-1e-9", "-.5", "--rounding", "nearest"]);
    assert_eq!(text.lines().count(), 3, "{text}");
    assert!(text.contains("0xbc"), "{text}");
}

#[test]
fn encode_json_agrees_with_the_library_for_many_values() {
    let values: Vec<String> = (0..400)
        .map(|i| format!("{}", (i as f64 - 200.0) * 0.37 * 1.07f64.powi(i % 60 - 30)))
        .collect();
    for (mode, rounding) in [
        ("truncate", Rounding::Truncate),
        ("nearest", Rounding::Nearest),
    ] {
        let mut args = vec!["encode", "--json", "--rounding", mode];
        args.extend(values.iter().map(String::as_str));
        let json: serde_json::Value = serde_json::from_str(&stdout(&args)).unwrap();
        let rows = json.as_array().unwrap();
        assert_eq!(rows.len(), values.len());
        for (row, text) in rows.iter().zip(&values) {
            let x: f64 = text.parse().unwrap();
            let want = Rf8::from_f64_with(x, rounding);
            assert_eq!(row["input"].as_f64(), Some(x));
            assert_eq!(
                row["code"].as_u64(),
                Some(want.to_bits() as u64),
                "{text} {mode}"
            );
            assert_eq!(
                row["value"].as_f64().unwrap().to_bits(),
                want.to_f64().to_bits()
            );
        }
    }
}

#[test]
fn decode_accepts_three_spellings() {
    let text = stdout(&["decode", "0xc8", "c8", "200"]);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3);
    assert!(
        lines.iter().all(|l| *l == lines[0] && l.contains("-0.375")),
        "{text}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&["decode", "--json", "0x7f"])).unwrap();
    assert_eq!(json[0]["code"], 127);
    assert_eq!(json[0]["value"].as_f64(), Some(1.0625 * 2f64.powi(-15)));
}

#[test]
fn table_decode_is_exact_for_every_code() {
    let text = stdout(&["table", "decode"]);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 256);
    for (code, line) in lines.iter().enumerate() {
        let (hex, value) = line.split_once(' ').unwrap();
        assert_eq!(hex, format!("{code:02x}"));
        let v: f64 = value.parse().unwrap();
        assert_eq!(
            v.to_bits(),
            Rf8::from_bits(code as u8).to_f64().to_bits(),
            "{line}"
        );
    }
}

/// Every entry of the product table is the spec's property, computed here
/// from the decoded values, not from the library's multiplier.
#[test]
fn table_mul_is_the_truncated_exact_product() {
    let text = stdout(&["table", "mul"]);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 256);
    for (a, line) in lines.iter().enumerate() {
        let cells: Vec<&str> = line.split(' ').collect();
        assert_eq!(cells.len(), 256, "line {a}");
        for (b, cell) in cells.iter().enumerate() {
            let exact = Rf8::from_bits(a as u8).to_f64() * Rf8::from_bits(b as u8).to_f64();
            assert_eq!(
                *cell,
                format!("{:02x}", Rf8::from_f64(exact).to_bits()),
                "{a:02x} * {b:02x}"
            );
        }
    }
}

#[test]
fn mul_shows_the_datapath() {
    let text = stdout(&["mul", "0x00", "0x00"]);
    for needle in [
        "residual  R1=0 R2=0 -> R=2 carry=1",
        "exp_sum   0 + 0 + 1 = 1",
        "0x06",
        "exact     2.25",
    ] {
        assert!(text.contains(needle), "missing '{needle}' in\n{text}");
    }
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&["mul", "--json", "0x3c", "0x3c"])).unwrap();
    assert_eq!(json["saturate"], true);
    assert_eq!(json["y"]["code"], 0x3c);
    assert_eq!(json["exact_product"].as_f64(), Some(49152.0 * 49152.0));
}

#[test]
fn bad_input_is_one_line_and_exit_2() {
    assert_usage_error(&["encode", "abc"], "not a number");
    assert_usage_error(&["encode", "nan"], "NaN");
    assert_usage_error(&["encode", "-NaN"], "NaN");
    assert_usage_error(&["decode", "256"], "out of range");
    assert_usage_error(&["decode", "0x1ff"], "out of range");
    assert_usage_error(&["decode", "zz"], "not an RF8 code");
    assert_usage_error(&["mul", "0xc8"], "required");
    assert_usage_error(&["encode", "--bogus", "1"], "--bogus");
    assert_usage_error(&["encode", "--rounding", "up", "1"], "up");
    assert_usage_error(&["frobnicate"], "frobnicate");
}

mod common;

#[test]
fn gen_writes_the_selected_designs_atomically() {
    let dir = common::temp_dir("gen");
    let out = dir.to_str().unwrap();
    let text = stdout(&[
        "gen",
        "--out",
        out,
        "--design",
        "rf8_mul",
        "--design",
        "fp16_mul",
        "--pipeline",
        "2",
    ]);
    assert_eq!(text.lines().count(), 2, "{text}");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, vec!["fp16_mul_p2.v", "rf8_mul_p2.v"]);
    let v = std::fs::read_to_string(dir.join("rf8_mul_p2.v")).unwrap();
    assert!(v.contains("module rf8_mul_p2(clk,a,b,y);"), "{v}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn gen_rejects_unknown_designs_and_depths_without_writing() {
    let dir = common::temp_dir("gen-bad");
    let out = dir.to_str().unwrap();
    assert_usage_error(
        &["gen", "--out", out, "--design", "fp32_mul"],
        "valid: rf8_mul, fp16_mul",
    );
    assert_usage_error(&["gen", "--out", out, "--pipeline", "7"], "at most");
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
    let _ = std::fs::remove_dir_all(&dir);
}
