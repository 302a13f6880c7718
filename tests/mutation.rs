//! Mutation tests: a correct generated design with one operator or
//! constant changed must be caught by `rf8 verify --rtl`, with
//! counterexamples. Each mutation is asserted to apply exactly once, so a
//! test cannot pass because the generator's output changed shape.

mod common;

use std::process::Command;

fn mutant(design: &str, from: &str, to: &str) -> String {
    let (_, text) = rf8::generate::rtl(rf8::by_name(design).unwrap(), 0).unwrap();
    assert_eq!(
        text.matches(from).count(),
        1,
        "{design}: '{from}' must occur once"
    );
    text.replacen(from, to, 1)
}

/// Runs `rf8 verify --rtl` on the mutant; returns (exit code, JSON report).
fn verify_mutant(
    design: &str,
    text: &str,
    simulator: &str,
    tag: usize,
) -> (i32, serde_json::Value) {
    let dir = common::temp_dir(&format!("mutant-{design}-{tag}"));
    let file = dir.join(format!("{design}.v"));
    std::fs::write(&file, text).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_rf8"))
        .args([
            "verify",
            "--json",
            "--design",
            design,
            "--rtl",
            file.to_str().unwrap(),
        ])
        .args(["--simulator", simulator, "--vectors", "20000"])
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    let json = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| panic!("{design}: {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code().unwrap_or(-1), json)
}

fn assert_caught(design: &str, mutations: &[(&str, &str)]) {
    for (i, (from, to)) in mutations.iter().enumerate() {
        let (code, json) = verify_mutant(design, &mutant(design, from, to), "icarus", i);
        let r = &json["multipliers"][0]["reports"][0];
        assert_eq!(code, 1, "{design}: mutant '{to}' not reported");
        assert!(
            r["mismatches"].as_u64().unwrap() > 0,
            "{design}: mutant '{to}' survived"
        );
        let causes = r["causes"].as_array().unwrap();
        assert!(!causes.is_empty(), "{design}: '{to}'");
        assert!(
            causes
                .iter()
                .all(|c| !c["examples"].as_array().unwrap().is_empty()),
            "{design}: '{to}'"
        );
    }
    assert!(mutations.len() >= 5);
}

#[test]
fn rf8_mutants_are_caught() {
    assert_caught(
        "rf8_mul",
        &[
            ("sign = a[32'h7] ^ b[32'h7];", "sign = a[32'h7] | b[32'h7];"),
            (
                "localparam  res_two = 2'b10;",
                "localparam  res_two = 2'b11;",
            ),
            (
                "else if (res_a < res_b) begin",
                "else if (res_a > res_b) begin",
            ),
            (
                "(~exp_sum[32'h4] | (exp_low == low_zero));",
                "(~exp_sum[32'h4]);",
            ),
            (
                "& ~exp_sum[32'h5] & exp_sum[32'h4];",
                "& ~exp_sum[32'h5] & exp_sum[32'h3];",
            ),
            ("+ {5'b0, sign_exp_b} + {5'b0, carry};", "+ {5'b0, carry};"),
            ("| (exp_low << shift_2) |", "|"),
        ],
    );
}

#[test]
fn fp16_mutants_are_caught() {
    assert_caught(
        "fp16_mul",
        &[
            (
                "round_up = guard & (sticky | kept[32'h0]);",
                "round_up = guard;",
            ),
            (
                "sticky = (rest != frac_zero) | (tiny & sticky_shift);",
                "sticky = (rest != frac_zero);",
            ),
            ("overflow = mag > max_mag;", "overflow = mag >= max_mag;"),
            (
                "localparam  x_bias_adj = 8'hf2;",
                "localparam  x_bias_adj = 8'hf3;",
            ),
            (
                "tiny = exp_top[32'h7] | (exp_top == x_zero);",
                "tiny = exp_top[32'h7];",
            ),
            (
                "a_nan = a_exp_ones & (a_frac != frac_zero);",
                "a_nan = a_exp_ones;",
            ),
        ],
    );
    assert_caught(
        "fp16_mul_lite",
        &[
            (
                "localparam  x_bias_adj = 8'hf2;",
                "localparam  x_bias_adj = 8'hf1;",
            ),
            ("kept = prod[(32'hb)+:(11)];", "kept = prod[(32'ha)+:(11)];"),
            ("exp_n = exp_top - x_one;", "exp_n = exp_top;"),
            (
                "mag = ({8'b0, exp_field} << frac_shift) + {5'b0, kept};",
                "mag = ({8'b0, exp_field} << frac_shift) | {5'b0, kept};",
            ),
            (
                "sign = a[32'h10 - 32'h1] ^ b[32'h10 - 32'h1];",
                "sign = a[32'h10 - 32'h1];",
            ),
        ],
    );
}

#[test]
fn fp8_mutants_are_caught() {
    assert_caught(
        "fp8_e4m3_mul",
        &[
            (
                "localparam  max_mag = 8'h7e;",
                "localparam  max_mag = 8'h7f;",
            ),
            (
                "round_up = guard & (sticky | kept[32'h0]);",
                "round_up = guard & sticky;",
            ),
            (
                "a_zero = a_exp_zero & (a_frac == frac_zero);",
                "a_zero = a_exp_zero;",
            ),
            (
                "& (exp_top > shift_4)) begin",
                "& (exp_top >= shift_4)) begin",
            ),
            ("kept = norm[(32'h4)+:(4)];", "kept = norm[(32'h3)+:(4)];"),
        ],
    );
}

/// The three multipliers of spec section 7, each with one operator or
/// constant changed (every pair of each is simulated).
#[test]
fn int8_fp4_and_lean_fp8_mutants_are_caught() {
    assert_caught(
        "int8_mul",
        &[
            // One wrong sign-extension bit, an unsigned operand, a
            // missing product bit, a swapped operand.
            (
                "a_signed = {{8{a_int[7]}}, a_int};",
                "a_signed = {{8{a_int[6]}}, a_int};",
            ),
            (
                "b_signed = {{8{b_int[7]}}, b_int};",
                "b_signed = {8'b0, b_int};",
            ),
            (
                "y = product_bits[(32'h0)+:(16)];",
                "y = product_bits[(32'h1)+:(16)];",
            ),
            (
                "product = a_signed * b_signed;",
                "product = a_signed * a_signed;",
            ),
            ("a_int = $signed(a);", "a_int = $signed(~a);"),
        ],
    );
    assert_caught(
        "fp4_e2m1_mul",
        &[
            ("localparam  hidden = 16'h2;", "localparam  hidden = 16'h1;"),
            ("exp_sum = shift_a + shift_b;", "exp_sum = shift_a;"),
            ("y = fixed_zero - magnitude;", "y = magnitude;"),
            ("sign = a[32'h3] ^ b[32'h3];", "sign = a[32'h3] | b[32'h3];"),
            (
                "shift_b = {1'b0, exp_b} - shift_one;",
                "shift_b = {1'b0, exp_b};",
            ),
        ],
    );
    assert_caught(
        "fp8_e4m3_mul_lite",
        &[
            (
                "localparam  x_bias_adj = 6'b111010;",
                "localparam  x_bias_adj = 6'b111011;",
            ),
            (
                "localparam  code_max = 8'h7f;",
                "localparam  code_max = 8'h7e;",
            ),
            (
                "flush = exp_n[32'h5] | (exp_n == x_zero);",
                "flush = exp_n[32'h5];",
            ),
            ("kept = prod[(32'h4)+:(4)];", "kept = prod[(32'h3)+:(4)];"),
            (
                "saturate = ~exp_n[32'h5] & (exp_n > x_exp_max);",
                "saturate = ~exp_n[32'h5] & (exp_n >= x_exp_max);",
            ),
        ],
    );
}

/// The Verilator path catches a mutant too, and reports it in text.
#[test]
fn verilator_catches_a_mutant() {
    let (code, json) = verify_mutant(
        "rf8_mul",
        &mutant(
            "rf8_mul",
            "sign = a[32'h7] ^ b[32'h7];",
            "sign = a[32'h7] & b[32'h7];",
        ),
        "verilator",
        99,
    );
    assert_eq!(code, 1);
    // AND differs from XOR whenever either sign bit is set: 3 / 4 of the pairs.
    assert_eq!(
        json["multipliers"][0]["reports"][0]["mismatches"].as_u64(),
        Some(49_152)
    );
}
