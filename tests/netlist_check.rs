//! The netlist check of `rf8 area`: lane `i` of the shared Verilator build
//! is netlist `i`, so a wrong netlist is blamed on its own row and a right
//! one beside it still passes. (The real finding it exists for: Yosys
//! 0.23's `synth_gowin` maps fp16_mul to a circuit with 1 x 1 = 0.125.)

mod common;

use rf8::area::{cells, netlist, AreaRow, Device};

/// A row whose "flat netlist" is `text`, module `top`.
fn row(dir: &std::path::Path, recipe: &str, top: &str, text: &str) -> AreaRow {
    let stat = r#"{"modules": {"t": {"num_cells_by_type": {"SB_LUT4": 36}}}}"#;
    let mut r = cells::row("rf8_mul", "rf8_mul", Device::Ice40, false, stat, "").unwrap();
    r.recipe = recipe.into();
    let path = dir.join(format!("{recipe}.flat.v"));
    std::fs::write(&path, text).unwrap();
    r.flat = Some(path);
    r.flat_top = top.into();
    r
}

fn needs_verilator() -> bool {
    let found = rf8::tools::version("verilator").is_some();
    if !found {
        eprintln!("skipped: verilator not found");
    }
    found
}

#[test]
fn a_wrong_netlist_fails_on_its_own_row_and_a_right_one_passes() {
    if !needs_verilator() {
        return;
    }
    let dir = common::temp_dir("netlist-check");
    std::env::set_var("RF8_CACHE_DIR", dir.join("cache"));
    let m = rf8::by_name("rf8_mul").unwrap();
    let (_, verilog) = rf8::designs::rtl(m, 0).unwrap();
    let good = verilog.replace("module rf8_mul(", "module net_good(");
    // One output bit wrong on one pair of 65,536.
    let wrong = verilog.replace("module rf8_mul(", "module inner(")
        + "module net_wrong(a, b, y);\n\
           \x20   input wire [7:0] a;\n    input wire [7:0] b;\n    output wire [7:0] y;\n\
           \x20   wire [7:0] t;\n    inner u(.a(a), .b(b), .y(t));\n\
           \x20   assign y = (a == 8'h41 && b == 8'h52) ? t ^ 8'h01 : t;\n\
           endmodule\n";
    let mut rows = [
        row(&dir, "good", "net_good", &good),
        row(&dir, "wrong", "net_wrong", &wrong),
    ];
    let mut refs: Vec<&mut AreaRow> = rows.iter_mut().collect();
    netlist::check_design(m, &mut refs).unwrap();
    let good = rows[0].check.clone().unwrap();
    let wrong = rows[1].check.clone().unwrap();
    assert!(good.passed(), "{good:?}");
    assert_eq!(good.pairs, 65_536, "every pair of an 8-bit design");
    assert_eq!(wrong.mismatches, 1, "{wrong:?}");
    assert!(
        wrong
            .first
            .as_deref()
            .unwrap()
            .starts_with("a = 0x0041, b = 0x0052"),
        "{wrong:?}"
    );
    assert!(!rf8::area::range::counts(&rows[1]) && rf8::area::range::counts(&rows[0]));
    // The verdicts are cached per netlist: a second call simulates nothing.
    let mut again = [rows[0].clone(), rows[1].clone()];
    for r in &mut again {
        r.check = None;
    }
    let mut refs: Vec<&mut AreaRow> = again.iter_mut().collect();
    netlist::check_design(m, &mut refs).unwrap();
    assert_eq!(again[0].check, rows[0].check);
    assert_eq!(again[1].check, rows[1].check);
}
