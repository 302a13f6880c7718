//! `rf8 area`: synthesis results and their JSON, the RF8 size target as a
//! regression guard (Yosys 0.23, Debian 12), and missing tools.

use std::process::Command;

fn rf8(args: &[&str], path: Option<&str>) -> std::process::Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rf8"));
    cmd.args(args);
    if let Some(p) = path {
        cmd.env("PATH", p);
    }
    cmd.output().expect("run rf8")
}

fn rows(args: &[&str]) -> Vec<serde_json::Value> {
    let out = rf8(args, None);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice::<serde_json::Value>(&out.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

fn luts(rows: &[serde_json::Value], design: &str, device: &str) -> u64 {
    rows.iter()
        .find(|r| r["design"] == design && r["device"] == device)
        .and_then(|r| r["luts"].as_u64())
        .unwrap_or_else(|| panic!("no row for {design} on {device}"))
}

/// The targets: rf8_mul at most 40 SB_LUT4 on iCE40; fp16_mul at
/// least 8 times larger on iCE40 and ECP5. A regression guard for the RTL
/// formulation, not a timing test.
#[test]
fn rf8_is_small_and_fp16_is_at_least_eight_times_larger() {
    let r = rows(&[
        "area", "--json", "--device", "ice40", "--device", "ecp5", "--design", "rf8_mul",
        "--design", "fp16_mul", "--recipe", "default",
    ]);
    assert_eq!(r.len(), 4);
    let rf8_ice40 = luts(&r, "rf8_mul", "ice40");
    assert!(rf8_ice40 <= 40, "rf8_mul uses {rf8_ice40} SB_LUT4");
    for device in ["ice40", "ecp5"] {
        let ratio = luts(&r, "fp16_mul", device) as f64 / luts(&r, "rf8_mul", device) as f64;
        assert!(ratio >= 8.0, "fp16_mul / rf8_mul on {device} = {ratio:.2}");
    }
    for row in &r {
        for key in [
            "design", "device", "luts", "carries", "dsps", "ffs", "depth", "fmax_mhz",
        ] {
            assert!(row.get(key).is_some(), "missing {key} in {row}");
        }
        assert!(row["fmax_mhz"].is_null(), "not placed, so no Fmax");
        assert_eq!(row["dsps"], 0, "DSPs are off by default");
    }
}

#[test]
fn csv_has_a_header_and_a_row_per_design() {
    let out = rf8(
        &[
            "area", "--csv", "--device", "gowin", "--design", "rf8_mul", "--recipe", "default",
        ],
        None,
    );
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].starts_with("design,module,device,recipe,"),
        "{text}"
    );
    assert_eq!(lines.len(), 2, "{text}");
}

#[test]
fn a_missing_tool_is_one_line_naming_the_package() {
    for args in [
        vec!["area", "--device", "ice40", "--design", "rf8_mul"],
        vec!["verify", "--design", "rf8_mul"],
        vec!["verify", "--design", "rf8_mul", "--simulator", "icarus"],
    ] {
        let out = rf8(&args, Some("/nonexistent"));
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8(out.stderr).unwrap();
        let last = err.lines().last().unwrap_or("");
        assert!(
            last.contains("install the Debian package") && last.contains("make deps"),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn unknown_device_is_a_usage_error() {
    let out = rf8(&["area", "--device", "stratix"], None);
    assert_eq!(out.status.code(), Some(2));
}

/// Every iCE40 recipe: one row each, every netlist simulated and passing,
/// and the text table gives the fewest LUTs with the recipe and the
/// "x RF8" range over recipes.
#[test]
fn every_recipe_is_a_row_with_a_passing_netlist_check_and_the_table_shows_ranges() {
    let args = [
        "--device",
        "ice40",
        "--design",
        "rf8_mul",
        "--design",
        "fp8_e4m3_mul",
    ];
    let r = rows(&[&["area", "--json"][..], &args[..]].concat());
    let recipes: Vec<&str> = r
        .iter()
        .filter(|r| r["design"] == "rf8_mul")
        .map(|r| r["recipe"].as_str().unwrap())
        .collect();
    assert!(
        recipes.starts_with(&["default", "abc9", "nocarry"]),
        "{recipes:?}"
    );
    for row in &r {
        let check = &row["check"];
        assert_eq!(check["mismatches"], 0, "{row}");
        assert_eq!(check["pairs"], 65_536, "{row}");
        assert!(check["error"].is_null(), "{row}");
    }
    let out = rf8(&[&["area"][..], &args[..]].concat(), None);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let line = text
        .lines()
        .find(|l| l.starts_with("fp8_e4m3_mul "))
        .unwrap_or_else(|| panic!("{text}"));
    let fields: Vec<&str> = line.split_whitespace().collect();
    let fewest: u64 = fields[1].parse().unwrap();
    let min = r
        .iter()
        .filter(|r| r["design"] == "fp8_e4m3_mul")
        .map(|r| r["luts"].as_u64().unwrap())
        .min()
        .unwrap();
    assert_eq!(fewest, min, "{text}");
    assert!(recipes.contains(&fields[2]), "{line}");
    let (lo, hi) = fields[4].split_once('-').unwrap_or((fields[4], fields[4]));
    let (lo, hi): (f64, f64) = (lo.parse().unwrap(), hi.parse().unwrap());
    assert!(1.0 < lo && lo <= hi, "{line}");
    // Simulated on every pair, then proved equal to the RTL (an 8-bit
    // multiplier enumerates in milliseconds).
    assert!(
        line.ends_with(&format!("{n}/{n} proved", n = recipes.len())),
        "{line}"
    );
}

#[test]
fn a_recipe_is_checked_against_the_device() {
    for (args, needle) in [
        (
            vec!["area", "--recipe", "fast", "--design", "rf8_mul"],
            "unknown recipe 'fast'",
        ),
        (
            vec![
                "area", "--recipe", "nocarry", "--device", "ecp5", "--design", "rf8_mul",
            ],
            "recipe nocarry applies to ice40 only",
        ),
    ] {
        let out = rf8(&args, None);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains(needle), "{err}");
    }
}
