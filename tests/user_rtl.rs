//! `rf8 verify --rtl` on users' designs (issue 14): designs that misbehave
//! in ways the generated ones never do.

mod common;

use std::path::PathBuf;

/// The committed `rf8_mul`, renamed `rf8_mul_core`, under a top `rf8_mul`
/// that prints every operand pair with `$display` (on stdout, where the
/// Verilator harness once sent its results).
fn chatty_rf8_mul(dir: &std::path::Path) -> PathBuf {
    let core =
        std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("rtl/rf8_mul.v"))
            .unwrap()
            .replace("module rf8_mul(", "module rf8_mul_core(");
    let top = "module rf8_mul(a, b, y);\n\
               \x20   input wire [7:0] a;\n\
               \x20   input wire [7:0] b;\n\
               \x20   output wire [7:0] y;\n\
               \x20   rf8_mul_core core(.a(a), .b(b), .y(y));\n\
               \x20   always @(*) $display(\"a=%h b=%h y=%h\", a, b, y);\n\
               endmodule\n";
    let path = dir.join("chatty.v");
    std::fs::write(&path, format!("{core}\n{top}")).unwrap();
    path
}

#[test]
fn a_display_in_the_design_does_not_corrupt_the_results() {
    let dir = common::temp_dir("chatty");
    let file = chatty_rf8_mul(&dir);
    for sim in ["verilator", "icarus"] {
        let out = common::rf8(&[
            "verify",
            "--design",
            "rf8_mul",
            "--rtl",
            file.to_str().unwrap(),
            "--simulator",
            sim,
        ]);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{sim}: {stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            stdout.contains("65536 pairs (all pairs), 0 mismatches"),
            "{sim}: {stdout}"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
