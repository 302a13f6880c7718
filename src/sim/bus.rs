//! Simulating a combinational design with named buses (a dot-product
//! unit: `a`, `b` up to 128 bits, `acc_in` -> `acc_out`, `invalid`) on a
//! list of vectors, in Verilator or Icarus. The pair harness of
//! [`super::verilator`] is built for 16-bit operands; this one takes any
//! ports up to 128 bits and keeps the same rules: builds cached by
//! content, tools under their deadlines, a failed build's log kept.
//!
//! Both simulators read the same vectors: Verilator through a generated
//! C++ main that reads binary words from a file, Icarus through a
//! generated bench that reads hex with `$fscanf` and waits one time step
//! per vector. An X or Z output bit in Icarus becomes [`X_VALUE`], a value
//! no reference produces.

use std::path::Path;
use std::time::Duration;

use super::source::Sources;
use super::{cache, first_error, SimError, Simulator};
use crate::tools::{self, cleanup};

/// An output Icarus printed with X or Z bits in it.
pub const X_VALUE: u128 = u128::MAX;

/// A port: its name and width in bits (1..=128; outputs 1..=127).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Port {
    pub name: String,
    pub width: u32,
}

impl Port {
    /// A port called `name`, `width` bits wide.
    pub fn new(name: &str, width: u32) -> Port {
        Port {
            name: name.to_string(),
            width,
        }
    }

    fn words(&self) -> usize {
        self.width.div_ceil(32) as usize
    }
}

/// A combinational design under test with named buses.
#[derive(Clone, Debug)]
pub struct BusDut {
    /// The top module.
    pub top: String,
    /// Its sources.
    pub sources: Sources,
    /// The inputs, in the order of each vector's values.
    pub inputs: Vec<Port>,
    /// The outputs, in the order of each result's values.
    pub outputs: Vec<Port>,
    /// 0 for a combinational design; else the cycles of input `clk` after
    /// which a vector's outputs appear (one vector enters per cycle).
    pub latency: usize,
}

impl BusDut {
    fn check(&self) -> Result<(), SimError> {
        let bad = self
            .inputs
            .iter()
            .map(|p| (p, 128))
            .chain(self.outputs.iter().map(|p| (p, 127)))
            .find(|(p, max)| p.width == 0 || p.width > *max);
        match bad {
            Some((p, max)) => Err(SimError::Run(format!(
                "port {} is {} bits; the bus harness takes 1 to {max}",
                p.name, p.width
            ))),
            None => Ok(()),
        }
    }
}

/// Simulates `vectors` (each `dut.inputs.len()` values, in port order) and
/// returns each vector's outputs (`dut.outputs.len()` values), in order.
pub fn eval(sim: Simulator, dut: &BusDut, vectors: &[u128]) -> Result<Vec<u128>, SimError> {
    dut.check()?;
    let n = vectors.len() / dut.inputs.len().max(1);
    match sim {
        Simulator::Verilator => flushed(dut, vectors, n, verilator),
        Simulator::Icarus => {
            // Two processes (the machines have two cores); Icarus is slow.
            if n < 4096 {
                return flushed(dut, vectors, n, icarus);
            }
            let half = n / 2 * dut.inputs.len();
            let (first, second) = vectors.split_at(half);
            let (x, y) = std::thread::scope(|s| {
                let h = s.spawn(|| flushed(dut, second, n - n / 2, icarus));
                (flushed(dut, first, n / 2, icarus), h.join())
            });
            let mut out = x?;
            out.extend(y.map_err(|_| SimError::Run("icarus thread panicked".into()))??);
            Ok(out)
        }
    }
}

/// One simulator's run of `n` vectors: the outputs, in order.
type Simulate = fn(&BusDut, &[u128], usize) -> Result<Vec<u128>, SimError>;

/// Runs `n` vectors through `run`; a pipelined design gets `latency - 1`
/// zero vectors after them, to flush its last results out, and its first
/// `latency - 1` results (from before the first vector) are dropped.
fn flushed(dut: &BusDut, vectors: &[u128], n: usize, run: Simulate) -> Result<Vec<u128>, SimError> {
    let extra = dut.latency.saturating_sub(1);
    if extra == 0 {
        return run(dut, vectors, n);
    }
    let mut padded = vectors.to_vec();
    padded.resize(vectors.len() + extra * dut.inputs.len(), 0);
    let out = run(dut, &padded, n + extra)?;
    Ok(out[extra * dut.outputs.len()..].to_vec())
}

/// The C++ main of the Verilator build: reads vectors as little-endian
/// u32 words from argv[1], writes the outputs' words to argv[2].
fn verilator_main(dut: &BusDut) -> String {
    let in_words: usize = dut.inputs.iter().map(Port::words).sum();
    let out_words: usize = dut.outputs.iter().map(Port::words).sum();
    let mut set = String::new();
    let mut k = 0;
    for p in &dut.inputs {
        let n = &p.name;
        set += &match p.width {
            0..=32 => format!("        top->{n} = in[{k}];\n"),
            33..=64 => format!(
                "        top->{n} = (QData)in[{k}] | ((QData)in[{}] << 32);\n",
                k + 1
            ),
            _ => (0..p.words())
                .map(|i| format!("        top->{n}[{i}] = in[{}];\n", k + i))
                .collect(),
        };
        k += p.words();
    }
    let mut get = String::new();
    k = 0;
    for p in &dut.outputs {
        let n = &p.name;
        get += &match p.width {
            0..=32 => format!("        out[{k}] = top->{n};\n"),
            33..=64 => format!(
                "        out[{k}] = (uint32_t)top->{n};\n        out[{}] = (uint32_t)(top->{n} >> 32);\n",
                k + 1
            ),
            _ => (0..p.words())
                .map(|i| format!("        out[{}] = top->{n}[{i}];\n", k + i))
                .collect(),
        };
        k += p.words();
    }
    format!(
        "// Generated by rf8 verify: vectors through {top}.\n\
         #include <cstdio>\n#include <cstdint>\n#include \"Vdut.h\"\n#include \"verilated.h\"\n\
         int main(int argc, char** argv) {{\n\
         \x20   if (argc != 3) return 2;\n\
         \x20   FILE* fi = std::fopen(argv[1], \"rb\");\n\
         \x20   FILE* fo = std::fopen(argv[2], \"wb\");\n\
         \x20   if (!fi || !fo) return 3;\n\
         \x20   VerilatedContext ctx;\n\
         \x20   Vdut* top = new Vdut{{&ctx}};\n\
         \x20   uint32_t in[{iw}], out[{ow}];\n\
         \x20   while (std::fread(in, 4, {iw}, fi) == {iw}) {{\n\
         {set}\
         {tick}\
         \x20       top->eval();\n\
         {get}\
         \x20       if (std::fwrite(out, 4, {ow}, fo) != {ow}) return 4;\n\
         \x20   }}\n\
         \x20   top->final();\n\
         \x20   delete top;\n\
         \x20   return std::fclose(fo) == 0 ? 0 : 4;\n\
         }}\n",
        top = dut.top,
        // A pipelined design: the vector enters at a rising edge of clk.
        tick = if dut.latency > 0 {
            "        top->clk = 0;\n        top->eval();\n        top->clk = 1;\n"
        } else {
            ""
        },
        iw = in_words.max(1),
        ow = out_words.max(1),
    )
}

/// Verilator's options (part of the cache key).
const FLAGS: &[&str] = &[
    "--cc",
    "--exe",
    "--build",
    "-j",
    "2",
    "-O3",
    "-fno-dfg",
    "-Wno-fatal",
    "--prefix",
    "Vdut",
];

/// The Verilator harness executable of C++ `main` around `top`, built
/// once into the cache under `kind` (keyed by the main, the top, the
/// Verilator version, its flags and the sources) and reused; builds run
/// one at a time. Shared with the sequence harness.
pub(super) fn harness(
    kind: &str,
    sources: &Sources,
    top: &str,
    main: &str,
) -> Result<std::path::PathBuf, SimError> {
    super::require("verilator", "verilator")?;
    let version = tools::version("verilator").unwrap_or_default();
    let fingerprint = sources
        .fingerprint()
        .map_err(|e| SimError::Io(std::io::Error::new(std::io::ErrorKind::NotFound, e)))?;
    let mut parts = vec![main, top, &version];
    parts.extend(FLAGS);
    parts.extend(fingerprint.iter().map(String::as_str));
    let dir = cache::root()
        .join(kind)
        .join(format!("{top}-{}", cache::hash(&parts)));
    let exe = dir.join("obj").join("harness");
    static BUILDING: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _guard = BUILDING.lock().unwrap_or_else(|e| e.into_inner());
    if !exe.exists() {
        // Built beside the cache entry and renamed into place: another
        // process (a second `rf8`, a parallel test) building the same
        // harness never sees, or deletes, a half-built one.
        let name = dir.file_name().map(|n| n.to_string_lossy().into_owned());
        let tmp = dir.with_file_name(format!(
            "{}.building-{}",
            name.unwrap_or_default(),
            std::process::id()
        ));
        build_verilator(sources, top, main, &tmp)?;
        if std::fs::rename(&tmp, &dir).is_err() {
            if exe.exists() {
                // Another process finished first: use its harness.
                let _ = std::fs::remove_dir_all(&tmp);
            } else {
                // A stale, incomplete entry (an interrupted build): replace it.
                let _ = std::fs::remove_dir_all(&dir);
                std::fs::rename(&tmp, &dir)?;
            }
        }
    }
    Ok(exe)
}

fn verilator(dut: &BusDut, vectors: &[u128], n: usize) -> Result<Vec<u128>, SimError> {
    let exe = harness(
        "verilator-bus",
        &dut.sources,
        &dut.top,
        &verilator_main(dut),
    )?;
    let work = tempfile::Builder::new().prefix("rf8-bus-").tempdir()?;
    let _registered = cleanup::register(work.path());
    let (input, output) = (work.path().join("in.bin"), work.path().join("out.bin"));
    let mut bytes = Vec::with_capacity(vectors.len() * 8);
    for v in vectors.chunks(dut.inputs.len()) {
        for (x, p) in v.iter().zip(&dut.inputs) {
            for i in 0..p.words() {
                bytes.extend_from_slice(&((x >> (32 * i)) as u32).to_le_bytes());
            }
        }
    }
    std::fs::write(&input, bytes)?;
    let out = tools::output(
        "the Verilator bus harness",
        tools::command(&exe).arg(&input).arg(&output),
        tools::timeout_for(n as u64, 100_000),
    )?;
    if !out.status.success() {
        return Err(SimError::Run(format!(
            "the Verilator bus harness exited with {}: {}",
            out.status,
            first_error(&String::from_utf8_lossy(&out.stderr))
        )));
    }
    let words: Vec<u32> = std::fs::read(&output)?
        .chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect();
    let per: usize = dut.outputs.iter().map(Port::words).sum();
    if words.len() != n * per {
        return Err(SimError::Run(format!(
            "the Verilator bus harness wrote {} words for {n} vectors",
            words.len()
        )));
    }
    let mut results = Vec::with_capacity(n * dut.outputs.len());
    for v in words.chunks(per) {
        let mut k = 0;
        for p in &dut.outputs {
            let x = (0..p.words()).fold(0u128, |x, i| x | (v[k + i] as u128) << (32 * i));
            results.push(x & mask(p.width));
            k += p.words();
        }
    }
    Ok(results)
}

pub(super) fn mask(width: u32) -> u128 {
    if width >= 128 {
        u128::MAX
    } else {
        (1u128 << width) - 1
    }
}

/// Builds the Verilator harness `main` of `top` from `sources` into
/// `dir/obj/harness`, keeping the log beside `dir`.
fn build_verilator(sources: &Sources, top: &str, main: &str, dir: &Path) -> Result<(), SimError> {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir)?;
    std::fs::write(dir.join("main.cpp"), main)?;
    let files = sources.materialize(dir)?;
    let out = tools::output(
        "verilator",
        tools::command("verilator")
            .current_dir(dir)
            .args(FLAGS)
            .args(["--top-module", top, "-Mdir", "obj", "-o", "harness"])
            .args(["-CFLAGS", "-O2"])
            .args(sources.preprocessor_args())
            .args(sources.top_params())
            .args(&sources.verilator_args)
            .arg("main.cpp")
            .args(&files),
        tools::timeout(),
    )?;
    let log =
        String::from_utf8_lossy(&out.stderr).into_owned() + &String::from_utf8_lossy(&out.stdout);
    let log_path = dir.with_extension("log");
    std::fs::write(&log_path, &log)?;
    if !out.status.success() || !dir.join("obj").join("harness").exists() {
        return Err(SimError::Build {
            tool: "verilator",
            top: top.to_string(),
            first_line: super::build_error(&log, sources),
            log: log_path,
        });
    }
    Ok(())
}

/// The Icarus bench: reads `n` vectors of hex values from vectors.hex,
/// writes the outputs in hex to results.hex.
fn icarus_bench(dut: &BusDut, n: usize) -> String {
    let decl = |kind: &str, p: &Port| format!("    {kind} [{}:0] {};\n", p.width - 1, p.name);
    let mut s =
        String::from("// Generated by rf8 verify.\n`timescale 1ns/1ps\nmodule rf8_bus_tb;\n");
    for p in &dut.inputs {
        s += &decl("reg", p);
    }
    for p in &dut.outputs {
        s += &decl("wire", p);
    }
    let mut conns: Vec<String> = dut
        .inputs
        .iter()
        .chain(&dut.outputs)
        .map(|p| format!(".{0}({0})", p.name))
        .collect();
    // A pipelined design: the vector enters at a rising edge of clk.
    let tick = if dut.latency > 0 {
        s += "    reg clk;\n";
        conns.push(".clk(clk)".into());
        "clk = 1'b1;\n\x20           #1;\n\x20           clk = 1'b0;\n\x20           "
    } else {
        ""
    };
    let fmt_in = vec!["%h"; dut.inputs.len()].join(" ");
    let fmt_out = vec!["%h"; dut.outputs.len()].join(" ");
    let names = |ps: &[Port]| {
        ps.iter()
            .map(|p| p.name.clone())
            .collect::<Vec<_>>()
            .join(", ")
    };
    s += &format!(
        "    {instance} dut({conns});\n\
         \x20   integer fi, fo, r, k;\n\
         \x20   initial begin\n\
         \x20       fi = $fopen(\"vectors.hex\", \"r\");\n\
         \x20       fo = $fopen(\"results.hex\", \"w\");\n\
         \x20       for (k = 0; k < {n}; k = k + 1) begin\n\
         \x20           r = $fscanf(fi, \"{fmt_in}\\n\", {ins});\n\
         \x20           #1;\n\
         \x20           {tick}$fwrite(fo, \"{fmt_out}\\n\", {outs});\n\
         \x20       end\n\
         \x20       $fclose(fo);\n\
         \x20       $finish;\n\
         \x20   end\n\
         endmodule\n",
        instance = dut.sources.instance(&dut.top),
        conns = conns.join(", "),
        ins = names(&dut.inputs),
        outs = names(&dut.outputs),
    );
    s
}

/// Compiles the bench `tb.v` (module `bench`) with `sources` in `dir` and
/// runs it with vvp (deadline by `items`, the vectors or steps it reads);
/// on a build failure the directory is kept with `iverilog.log`. Shared
/// with the sequence harness.
pub(super) fn icarus_run(
    dir: tempfile::TempDir,
    sources: &Sources,
    top: &str,
    bench: &str,
    items: u64,
) -> Result<tempfile::TempDir, SimError> {
    super::require("iverilog", "iverilog")?;
    super::require("vvp", "iverilog")?;
    let d = dir.path();
    let files = sources.materialize(d)?;
    let generation = if sources.any_systemverilog() {
        "-g2012"
    } else {
        "-g2005"
    };
    let out = tools::output(
        "iverilog",
        tools::command("iverilog")
            .current_dir(d)
            .args([generation, "-s", bench, "-o", "sim.vvp"])
            .args(sources.preprocessor_args())
            .args(&sources.icarus_args)
            .arg("tb.v")
            .args(&files),
        tools::timeout(),
    )?;
    if !out.status.success() {
        let log = String::from_utf8_lossy(&out.stderr).into_owned();
        let keep = d.join("iverilog.log");
        std::fs::write(&keep, &log)?;
        let first_line = super::build_error(&log, sources);
        let _ = dir.keep();
        return Err(SimError::Build {
            tool: "iverilog",
            top: top.to_string(),
            first_line,
            log: keep,
        });
    }
    let out = tools::output(
        "vvp",
        tools::command("vvp").current_dir(d).args(["-n", "sim.vvp"]),
        tools::timeout_for(items, 2_000).max(Duration::from_secs(60)),
    )?;
    if !out.status.success() {
        return Err(SimError::Run(format!(
            "vvp failed: {}",
            first_error(&String::from_utf8_lossy(&out.stdout))
        )));
    }
    Ok(dir)
}

fn icarus(dut: &BusDut, vectors: &[u128], n: usize) -> Result<Vec<u128>, SimError> {
    let dir = tempfile::Builder::new()
        .prefix(&format!("rf8-icarus-{}-", dut.top))
        .tempdir()?;
    let _registered = cleanup::register(dir.path());
    let d = dir.path();
    std::fs::write(d.join("tb.v"), icarus_bench(dut, n))?;
    let mut text = String::with_capacity(vectors.len() * 16);
    for v in vectors.chunks(dut.inputs.len()) {
        let words: Vec<String> = v.iter().map(|x| format!("{x:x}")).collect();
        text += &words.join(" ");
        text.push('\n');
    }
    std::fs::write(d.join("vectors.hex"), text)?;
    let dir = icarus_run(dir, &dut.sources, &dut.top, "rf8_bus_tb", n as u64)?;
    let d = dir.path();
    let text = std::fs::read_to_string(d.join("results.hex"))?;
    let results: Vec<u128> = text
        .split_whitespace()
        .map(|w| u128::from_str_radix(w, 16).unwrap_or(X_VALUE))
        .collect();
    if results.len() != n * dut.outputs.len() {
        return Err(SimError::Run(format!(
            "icarus wrote {} values for {n} vectors",
            results.len()
        )));
    }
    Ok(results)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn adder() -> BusDut {
        let text = "module add(a, b, s, c);\n  input wire [99:0] a;\n  input wire [39:0] b;\n  output wire [99:0] s;\n  output wire c;\n  assign {c, s} = a + {60'b0, b};\nendmodule\n";
        BusDut {
            top: "add".into(),
            sources: Sources::text("add.v", text.into()),
            inputs: vec![Port::new("a", 100), Port::new("b", 40)],
            outputs: vec![Port::new("s", 100), Port::new("c", 1)],
            latency: 0,
        }
    }

    fn expect(v: &[u128]) -> Vec<u128> {
        v.chunks(2)
            .flat_map(|x| {
                let s = x[0] + x[1];
                [s & mask(100), s >> 100]
            })
            .collect()
    }

    #[test]
    fn wide_ports_round_trip_in_both_simulators() {
        let vectors: Vec<u128> = vec![
            (1 << 100) - 1,
            1,
            0x1234_5678_9abc_def0_1122_3344,
            (1 << 40) - 1,
            0,
            0,
        ];
        for sim in [Simulator::Verilator, Simulator::Icarus] {
            let tool = if sim == Simulator::Icarus {
                "iverilog"
            } else {
                "verilator"
            };
            if !tools::starts(tool) {
                eprintln!("skipped: {tool} not found");
                continue;
            }
            assert_eq!(
                eval(sim, &adder(), &vectors).unwrap(),
                expect(&vectors),
                "{sim:?}"
            );
        }
    }

    #[test]
    fn a_port_too_wide_is_an_error() {
        let mut dut = adder();
        dut.outputs[0].width = 128;
        assert!(eval(Simulator::Verilator, &dut, &[0, 0]).is_err());
    }
}
