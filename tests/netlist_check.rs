//! The netlist check of `rf8 area`: each netlist, reduced by Yosys to an
//! And-Inverter Graph, is evaluated against the reference; a wrong netlist
//! is blamed on its own row, a right one beside it passes, and the AIG
//! evaluator itself reproduces every generated design on every pair.
//! (The real finding it exists for: Yosys 0.23's `synth_gowin` maps the
//! IEEE multipliers to circuits that lose subnormal products.)

mod common;

use std::path::{Path, PathBuf};

use rf8::area::{aig::Aig, cells, netlist, AreaRow, Device};

fn needs_yosys() -> bool {
    let found = rf8::tools::version("yosys").is_some();
    if !found {
        eprintln!("skipped: yosys not found");
    }
    found
}

/// Reduces `verilog` (module `top`) to its AIG the way `rf8 area` does
/// after flattening; returns the path of the "flat netlist" beside it.
fn aig_of(dir: &Path, name: &str, verilog: &str, top: &str) -> PathBuf {
    let work = dir.join(name);
    let aag = common::yosys_aig(&work, verilog, top);
    let flat = dir.join(format!("{name}.flat.v"));
    std::fs::copy(work.join("flat.v"), &flat).unwrap();
    std::fs::copy(aag, netlist::aig_path(&flat)).unwrap();
    flat
}

/// A row of `rf8_mul` whose flat netlist is `flat`.
fn row(recipe: &str, flat: PathBuf) -> AreaRow {
    let stat = r#"{"modules": {"t": {"num_cells_by_type": {"SB_LUT4": 36}}}}"#;
    let mut r = cells::row("rf8_mul", "rf8_mul", Device::Ice40, false, stat, "").unwrap();
    r.recipe = recipe.into();
    r.flat = Some(flat);
    r
}

#[test]
fn a_wrong_netlist_fails_on_its_own_row_and_a_right_one_passes() {
    if !needs_yosys() {
        return;
    }
    let dir = common::temp_dir("netlist-check");
    std::env::set_var("RF8_CACHE_DIR", dir.join("cache"));
    let m = rf8::by_name("rf8_mul").unwrap();
    let (_, verilog) = rf8::generate::rtl(m, 0).unwrap();
    // One output bit wrong on one pair of 65,536.
    let wrong = verilog.replace("module rf8_mul(", "module inner(")
        + "module rf8_mul(a, b, y);\n\
           \x20   input wire [7:0] a;\n    input wire [7:0] b;\n    output wire [7:0] y;\n\
           \x20   wire [7:0] t;\n    inner u(.a(a), .b(b), .y(t));\n\
           \x20   assign y = (a == 8'h61 && b == 8'h52) ? t ^ 8'h01 : t;\n\
           endmodule\n";
    let mut rows = [
        row("good", aig_of(&dir, "good", &verilog, "rf8_mul")),
        row("wrong", aig_of(&dir, "wrong", &wrong, "rf8_mul")),
    ];
    let mut refs: Vec<&mut AreaRow> = rows.iter_mut().collect();
    netlist::check_design(&rf8::area::Unit::Mul(m), &mut refs).unwrap();
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
            .starts_with("a = 0x0061, b = 0x0052"),
        "{wrong:?}"
    );
    assert!(!rf8::area::range::counts(&rows[1]) && rf8::area::range::counts(&rows[0]));
    // The verdicts are cached per netlist: a second call reads them back
    // even with the AIGs gone.
    let mut again = [rows[0].clone(), rows[1].clone()];
    for r in &mut again {
        r.check = None;
        std::fs::remove_file(netlist::aig_path(r.flat.as_ref().unwrap())).unwrap();
    }
    let mut refs: Vec<&mut AreaRow> = again.iter_mut().collect();
    netlist::check_design(&rf8::area::Unit::Mul(m), &mut refs).unwrap();
    assert_eq!(again[0].check, rows[0].check);
    assert_eq!(again[1].check, rows[1].check);
}

#[test]
fn a_missing_or_broken_aig_is_not_run_not_a_pass() {
    let dir = common::temp_dir("netlist-broken");
    std::env::set_var("RF8_CACHE_DIR", dir.join("cache"));
    let m = rf8::by_name("rf8_mul").unwrap();
    let missing = dir.join("missing.flat.v");
    let broken = dir.join("broken.flat.v");
    std::fs::write(netlist::aig_path(&broken), "aag 1 1 0 1 1\n2\n4\n4 2 9\n").unwrap();
    let mut rows = [row("missing", missing), row("broken", broken)];
    let mut refs: Vec<&mut AreaRow> = rows.iter_mut().collect();
    netlist::check_design(&rf8::area::Unit::Mul(m), &mut refs).unwrap();
    for r in &rows {
        let c = r.check.clone().unwrap();
        assert!(!c.passed() && c.error.is_some(), "{c:?}");
        assert!(c.verdict().starts_with("not run:"), "{}", c.verdict());
    }
}

/// The evaluator is exact: every generated design, reduced to its AIG by
/// Yosys, gives the reference on the netlist check's own pairs (every
/// pair of the 8- and 4-bit designs).
#[test]
fn the_aig_of_every_generated_design_equals_its_reference() {
    if !needs_yosys() {
        return;
    }
    let dir = common::temp_dir("netlist-rtl");
    for d in rf8::DESIGNS.iter() {
        let (top, verilog) = rf8::generate::rtl(d, 0).unwrap();
        let flat = aig_of(&dir, &top, &verilog, &top);
        let aig = Aig::parse(&std::fs::read_to_string(netlist::aig_path(&flat)).unwrap()).unwrap();
        let pairs: Vec<(u32, u32)> =
            rf8::verify::vectors::default_set(d.reference, netlist::RANDOM_PAIRS, netlist::SEED)
                .into_iter()
                .map(|(a, b)| (a as u32, b as u32))
                .collect();
        let out = aig
            .eval_pairs(&pairs, d.width(), d.out_width(), [0, !0])
            .unwrap();
        let mask = (1u32 << d.out_width()) - 1;
        let wrong = pairs
            .iter()
            .zip(&out)
            .filter(|(&(a, b), &y)| d.reference.mul(a, b) & mask != y)
            .count();
        assert_eq!(wrong, 0, "{top}: {wrong} of {} pairs", pairs.len());
        assert!(aig.and_count() > 0, "{top}");
    }
}
