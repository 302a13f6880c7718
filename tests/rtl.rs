//! The generated Verilog: committed files match the generator, and every
//! file (combinational and pipelined, depth 1 to 3) is accepted by
//! Verilator's `-Wall` lint without a warning, by Yosys' hierarchy check
//! and by Icarus Verilog.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use rf8::designs::dot;
use rf8::unit::Unit;

/// Every generated file: each unit of the catalogue (multipliers,
/// dot-product units and MAC units at their default lane counts and
/// headroom) at every pipeline depth it offers (depth, module, text).
fn generated() -> Vec<(usize, String, String)> {
    let mut all = Vec::new();
    for u in Unit::all() {
        for depth in 0..=u.max_depth() {
            let (module, text) = u.rtl(dot::DEFAULT_HEADROOM, depth).unwrap();
            all.push((depth, module, text));
        }
    }
    all
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn committed_rtl_is_what_the_generator_produces() {
    let combinational: Vec<_> = generated().into_iter().filter(|g| g.0 == 0).collect();
    for (_, module, text) in &combinational {
        let path = repo().join("rtl").join(format!("{module}.v"));
        let committed = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: {e} (run `make rtl`)", path.display()));
        assert!(
            &committed == text,
            "{} differs from the generator: run `make rtl`",
            path.display()
        );
    }
    let mut verilog: Vec<String> = std::fs::read_dir(repo().join("rtl"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".v"))
        .collect();
    verilog.sort();
    let mut want: Vec<String> = combinational
        .iter()
        .map(|(_, m, _)| format!("{m}.v"))
        .collect();
    want.sort();
    assert_eq!(
        verilog, want,
        "rtl/ holds exactly the catalogue's units, unpipelined"
    );
}

#[test]
fn generation_is_deterministic_and_headed() {
    for ((depth, module, first), (_, _, second)) in generated().iter().zip(generated()) {
        assert_eq!(first, &second, "{module}");
        assert!(first.starts_with(&format!("// {module}: ")), "{module}");
        assert!(first.contains("Generated file, do not edit"), "{module}");
        assert!(first.contains(&format!("module {module}(")), "{module}");
        assert_eq!(
            first.matches("\nmodule ").count(),
            1,
            "{module}: one module"
        );
        let sequential = module.starts_with("mac_");
        assert_eq!(first.contains("clk"), *depth > 0 || sequential, "{module}");
    }
}

#[test]
fn pipeline_depth_beyond_the_steps_is_an_error() {
    let m = rf8::by_name("rf8_mul").unwrap();
    let err = rf8::generate::rtl(m, 4).unwrap_err().to_string();
    assert!(err.contains("maximum of 3"), "{err}");
    let mac = Unit::parse("mac_rf8_n8").unwrap();
    let err = mac.rtl(dot::DEFAULT_HEADROOM, 1).unwrap_err().to_string();
    assert!(err.contains("own registers"), "{err}");
}

/// Runs a tool; a missing tool fails the test with the package to install.
fn run(tool: &str, args: &[&str], dir: &Path) -> (bool, String) {
    let out = Command::new(tool)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {tool} ({e}): install it with `make deps`"));
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out.status.success(), text)
}

#[test]
fn every_generated_file_lints_clean_in_verilator_yosys_and_icarus() {
    let dir = common::temp_dir("lint");
    let mut files = 0;
    let all = generated();
    for (_, module, text) in &all {
        {
            let file = format!("{module}.v");
            std::fs::write(dir.join(&file), text).unwrap();
            let (ok, log) = run("verilator", &["--lint-only", "-Wall", &file], &dir);
            assert!(
                ok && !log.contains("%Warning"),
                "verilator -Wall on {file}:\n{log}"
            );
            let script = format!("read_verilog {file}; hierarchy -check -top {module}");
            let (ok, log) = run("yosys", &["-q", "-p", &script], &dir);
            assert!(
                ok && !log.to_lowercase().contains("warning"),
                "yosys on {file}:\n{log}"
            );
            // Not `-o /dev/null`: iverilog marks its output executable,
            // and as root that chmods the machine's /dev/null to 0755.
            let (ok, log) = run(
                "iverilog",
                &["-g2005", "-Wall", "-o", "lint.vvp", &file],
                &dir,
            );
            assert!(ok && log.trim().is_empty(), "iverilog on {file}:\n{log}");
            files += 1;
        }
    }
    assert_eq!(files, all.len());
    let _ = std::fs::remove_dir_all(&dir);
}

/// No suppression in the generated files: the lint is not silenced.
#[test]
fn generated_files_carry_no_lint_suppression() {
    for (_, module, text) in generated() {
        assert!(
            !text.contains("lint_off") && !text.contains("verilator"),
            "{module}"
        );
    }
}
