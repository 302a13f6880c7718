//! Verilator backend: the design, a wrapper of copies and `sim/harness.cpp`
//! are compiled once (cached) into an executable that evaluates operand
//! pairs streamed through a pipe, or sweeps whole rows of the product
//! table by itself.
//!
//! The `verilated` crate does not build against Verilator 5 (Debian 12 has
//! 5.006), and `marlin` needs Verilator >= 5.025; a small C++ harness driven
//! over pipes works with any Verilator 5 and keeps the per-pair cost at a
//! few nanoseconds by evaluating 32 copies of the design per call.

use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use super::{cache, copies_wrapper, Dut, SimError};
use crate::tools::{self, Running};

/// The harness source, compiled into every build.
const HARNESS: &str = include_str!("../../sim/harness.cpp");

/// Copies of the design evaluated per call (measured best on this machine
/// kind: 16 and 64 copies are slower).
pub const COPIES: usize = 32;

/// Verilator's options for every build (part of the cache key). Every
/// warning is kept and shown: -Wno-fatal only lets the build go on, as a
/// user's design may have style warnings.
const FLAGS: &[&str] = &[
    "--cc",
    "--exe",
    "--build",
    "-j",
    "2",
    "-O3",
    // Verilator 5.006 mis-simulates Yosys-mapped netlists with their cell
    // models, with or without its DFG optimiser (which is why the area
    // netlist check evaluates AIGs instead); the generated RTL passes
    // either way, and DFG stays off as the more conservative setting.
    "-fno-dfg",
    "--x-assign",
    "fast",
    "--x-initial",
    "fast",
    "-Wno-fatal",
    "--top-module",
    "rf8_lanes",
];

/// Pairs per block sent to the harness.
const BLOCK: usize = 1 << 16;

/// A compiled harness for one design.
#[derive(Clone, Debug)]
pub struct VerilatorModel {
    exe: PathBuf,
    width: u32,
    /// Result width: the harness writes u32 results above 16 bits.
    out_width: u32,
    depth: usize,
    reset_cycles: usize,
    clocked: bool,
    /// Verilator's warnings about the design (not about `rf8`'s wrappers).
    pub warnings: Vec<String>,
    /// The build log.
    pub log: PathBuf,
}

fn verilator_version() -> Result<String, SimError> {
    tools::version("verilator").ok_or(SimError::MissingTool {
        tool: "verilator",
        package: "verilator",
    })
}

/// The harness's deadline for `pairs` pairs (it evaluates several million
/// a second; the slack is for a loaded machine).
fn deadline(pairs: u64) -> Duration {
    tools::timeout_for(pairs, 1_000_000)
}

impl VerilatorModel {
    /// Builds (or finds in the cache) the harness for `dut`.
    pub fn build(dut: &Dut) -> Result<VerilatorModel, SimError> {
        let version = verilator_version()?;
        let wrapper = copies_wrapper(dut);
        let cflags = format!(
            "-O3 -march=native -DWIDTH={} -DOUT_WIDTH={} -DLANES={} -DVL_USER_FATAL",
            dut.width,
            dut.out_width,
            dut.copies()
        );
        let sources = dut
            .sources
            .fingerprint()
            .map_err(|e| SimError::Io(std::io::Error::new(std::io::ErrorKind::NotFound, e)))?;
        let flags = FLAGS.join(" ");
        let mut parts = vec![
            HARNESS,
            &wrapper,
            &dut.wrapper,
            &dut.top,
            &cflags,
            &flags,
            &version,
        ];
        parts.extend(sources.iter().map(String::as_str));
        let key = cache::hash(&parts);
        let dir = cache::root()
            .join("verilator")
            .join(format!("{}-{key}", dut.top));
        let exe = dir.join("harness");
        let log = dir.with_extension("log");
        // One build at a time in this process: a second request for the
        // same design waits and then finds it in the cache.
        static BUILDING: std::sync::Mutex<()> = std::sync::Mutex::new(());
        let _guard = BUILDING.lock().unwrap_or_else(|e| e.into_inner());
        if exe.exists() && !inputs_unchanged(&dir) {
            // An included file changed since this build.
            let _ = std::fs::remove_dir_all(&dir);
        }
        if !exe.exists() {
            compile(dut, &wrapper, &cflags, &dir, &log)?;
        }
        let text = std::fs::read_to_string(&log).unwrap_or_default();
        Ok(VerilatorModel {
            exe,
            width: dut.width,
            out_width: dut.out_width,
            depth: dut.depth,
            reset_cycles: dut.reset_cycles,
            clocked: dut.clocked,
            warnings: warnings(&text),
            log,
        })
    }

    /// The same build read with another latency (the harness takes it at
    /// run time).
    pub fn with_depth(&self, depth: usize) -> VerilatorModel {
        VerilatorModel {
            depth,
            ..self.clone()
        }
    }

    /// Outputs for `pairs`, in order, using two harness processes.
    pub fn eval(&self, pairs: &[(u16, u16)]) -> Result<Vec<u32>, SimError> {
        if pairs.len() < 2 * BLOCK {
            return self.eval_one(pairs);
        }
        let (first, second) = pairs.split_at(pairs.len() / 2);
        let (a, b) = std::thread::scope(|s| {
            let h = s.spawn(|| self.eval_one(second));
            (self.eval_one(first), h.join())
        });
        let mut out = a?;
        out.extend(b.map_err(|_| SimError::Run("harness thread panicked".into()))??);
        Ok(out)
    }

    fn eval_one(&self, pairs: &[(u16, u16)]) -> Result<Vec<u32>, SimError> {
        let mut child = self.spawn(&["pairs"], deadline(pairs.len() as u64))?;
        let first = pairs;
        let mut stdin = BufWriter::new(child.run.child.stdin.take().expect("piped stdin"));
        let mut stdout = BufReader::new(child.run.child.stdout.take().expect("piped stdout"));
        let result = std::thread::scope(|s| {
            let writer = s.spawn(move || -> std::io::Result<()> {
                for block in pairs.chunks(BLOCK) {
                    stdin.write_all(&(block.len() as u32).to_le_bytes())?;
                    let mut bytes = Vec::with_capacity(block.len() * 4);
                    for &(a, b) in block {
                        bytes.extend_from_slice(&a.to_le_bytes());
                        bytes.extend_from_slice(&b.to_le_bytes());
                    }
                    stdin.write_all(&bytes)?;
                }
                stdin.flush()
            });
            let mut out = vec![0u32; pairs.len()];
            let read = if self.out_width > 16 {
                read_u32s(&mut stdout, &mut out)
            } else {
                let mut narrow = vec![0u16; pairs.len()];
                let r = read_u16s(&mut stdout, &mut narrow);
                out.iter_mut().zip(narrow).for_each(|(o, n)| *o = n as u32);
                r
            };
            let wrote = writer.join();
            read.and_then(|_| match wrote {
                Ok(r) => r,
                Err(_) => Err(std::io::Error::other("writer panicked")),
            })
            .map(|_| out)
        });
        finish(child, result).map_err(|e| unsettled_pairs(e, first))
    }

    /// Starts a sweep of rows `a0..a1` (each row: all `b`), each row `a`
    /// followed by row `a | sign` when `sign` is not 0; read the products
    /// from the child's stdout, `2^width` u16 values per row.
    pub fn sweep(&self, a0: u32, a1: u32, sign: u32) -> Result<Harness, SimError> {
        let pairs = (2 * a1.saturating_sub(a0) as u64) << self.width;
        self.spawn(
            &["sweep", &a0.to_string(), &a1.to_string(), &sign.to_string()],
            deadline(pairs),
        )
    }

    /// The latency the harness reads results with.
    pub fn depth(&self) -> usize {
        self.depth
    }

    /// Width of the design's ports.
    pub fn width(&self) -> u32 {
        self.width
    }

    fn spawn(&self, args: &[&str], limit: Duration) -> Result<Harness, SimError> {
        // stderr (the harness's messages and the design's $display output)
        // goes to an unlinked file: a pipe could fill and stall the run.
        let log = tempfile::tempfile()?;
        let mut cmd = tools::command(&self.exe);
        let (mode, rest) = args.split_first().expect("a mode");
        cmd.arg(mode)
            .arg(self.depth.to_string())
            .arg(self.reset_cycles.to_string())
            .arg(if self.clocked { "1" } else { "0" })
            .args(rest)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::from(log.try_clone()?));
        let run = tools::spawn("the Verilator harness", &mut cmd, limit)?;
        Ok(Harness { run, log })
    }
}

/// Fills `out` from little-endian u16s on `r`, through `bytes` (kept by
/// the caller: a fresh 128 KiB buffer per row would cost an mmap and page
/// faults each time).
pub fn read_u16s_into(
    r: &mut impl Read,
    bytes: &mut Vec<u8>,
    out: &mut [u16],
) -> std::io::Result<()> {
    bytes.resize(out.len() * 2, 0);
    r.read_exact(bytes)?;
    for (o, c) in out.iter_mut().zip(bytes.chunks_exact(2)) {
        *o = u16::from_le_bytes([c[0], c[1]]);
    }
    Ok(())
}

/// Fills `out` from little-endian u32s on `r` (the harness's results when
/// they are wider than 16 bits).
pub fn read_u32s(r: &mut impl Read, out: &mut [u32]) -> std::io::Result<()> {
    let mut bytes = vec![0u8; out.len() * 4];
    r.read_exact(&mut bytes)?;
    for (o, c) in out.iter_mut().zip(bytes.chunks_exact(4)) {
        *o = u32::from_le_bytes([c[0], c[1], c[2], c[3]]);
    }
    Ok(())
}

/// Fills `out` from little-endian u16s on `r`.
pub fn read_u16s(r: &mut impl Read, out: &mut [u16]) -> std::io::Result<()> {
    read_u16s_into(r, &mut Vec::new(), out)
}

/// A running harness: the process, and the file that collects its stderr.
pub struct Harness {
    pub run: Running,
    log: std::fs::File,
}

impl Harness {
    /// What the harness and the design printed, at most 2 KiB of it.
    fn messages(&mut self) -> String {
        tools::read_start(&mut self.log, 2048)
    }
}

/// Waits for the harness and reports its failure, if any (a harness
/// killed at its deadline is a timeout, whatever its pipes said).
pub fn finish<T>(mut child: Harness, result: std::io::Result<T>) -> Result<T, SimError> {
    // The results pipe is closed first, so that a harness still writing
    // gets EPIPE instead of waiting for a reader.
    drop(child.run.child.stdout.take());
    let status = child.run.wait()?;
    let err = child.messages();
    if let Some(line) = err
        .lines()
        .find(|l| l.starts_with("rf8-harness: did not settle"))
    {
        return Err(SimError::Unsettled {
            pairs: Vec::new(),
            message: line.trim_start_matches("rf8-harness: ").to_string(),
        });
    }
    match result {
        Ok(v) if status.success() => Ok(v),
        Ok(_) => Err(SimError::Run(format!(
            "harness exited with {status}: {}",
            err.trim()
        ))),
        Err(e) => Err(SimError::Run(format!(
            "harness pipe failed ({e}); {status}: {}",
            err.trim()
        ))),
    }
}

/// Fills in the pairs of an [`SimError::Unsettled`] from the harness's
/// message (`pair N (32 pairs)` of the `pairs` stream, or `row 0xA from
/// b 0xB` of a sweep).
pub fn unsettled_pairs(e: SimError, pairs: &[(u16, u16)]) -> SimError {
    let SimError::Unsettled { message, .. } = e else {
        return e;
    };
    let number = |text: &str, key: &str| -> Option<u64> {
        let rest = text.split(key).nth(1)?.trim_start();
        let word = rest.split(|c: char| !c.is_ascii_alphanumeric()).next()?;
        match word.strip_prefix("0x") {
            Some(h) => u64::from_str_radix(h, 16).ok(),
            None => word.parse().ok(),
        }
    };
    // The harness names its lane count: `(32 pairs)`.
    let lanes = number(&message, " (").map_or(COPIES, |n| n as usize);
    let group =
        if let (Some(row), Some(b)) = (number(&message, "row "), number(&message, "from b ")) {
            (b..b + lanes as u64)
                .map(|b| (row as u16, b as u16))
                .collect()
        } else if let Some(first) = number(&message, "pair ") {
            let first = first as usize;
            pairs
                .get(first..(first + lanes).min(pairs.len()))
                .unwrap_or(&[])
                .to_vec()
        } else {
            Vec::new()
        };
    let message = message
        .split(": ")
        .last()
        .unwrap_or(&message)
        .trim()
        .to_string();
    SimError::Unsettled {
        pairs: group,
        message,
    }
}

/// Verilator's warnings in a build log, without those about `rf8`'s own
/// wrappers: the first line of each.
pub fn warnings(log: &str) -> Vec<String> {
    // The design is instantiated once per lane, and Verilator may warn
    // about each instance: those copies are one warning.
    let mut distinct: Vec<(String, usize)> = Vec::new();
    for line in log
        .lines()
        .filter(|l| l.starts_with("%Warning"))
        .filter(|l| {
            !["lanes.v:", "dut.v:", "dut.sv:"]
                .iter()
                .any(|w| l.contains(&format!(": {w}")))
        })
    {
        let key = any_lane(line);
        match distinct.iter_mut().find(|d| d.0 == key) {
            Some(d) => d.1 += 1,
            None => distinct.push((key, 1)),
        }
    }
    distinct
        .into_iter()
        .map(|(line, n)| {
            if n > 1 {
                format!("{line} (x{n}: once per copy of the design)")
            } else {
                line
            }
        })
        .collect()
}

/// `line` with every lane index (`lane[12]`) written `lane[*]`.
fn any_lane(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(at) = rest.find("lane[") {
        out += &rest[..at + 5];
        rest = &rest[at + 5..];
        let digits = rest.chars().take_while(char::is_ascii_digit).count();
        if digits > 0 && rest[digits..].starts_with(']') {
            out.push('*');
            rest = &rest[digits..];
        }
    }
    out + rest
}

/// The files a build read besides its own work directory (the design's
/// sources and the files they include), with a hash of each, from the
/// dependency file Verilator writes.
fn inputs(obj: &Path) -> Vec<(String, String)> {
    let Ok(entries) = std::fs::read_dir(obj) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if !name.ends_with("__ver.d") {
            continue;
        }
        let text = std::fs::read_to_string(e.path()).unwrap_or_default();
        let deps = text.split_once(" : ").map(|d| d.1).unwrap_or("");
        for dep in deps.split_whitespace() {
            if dep.starts_with('/') && !dep.contains("verilator") {
                out.push((dep.to_string(), file_hash(Path::new(dep))));
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

fn file_hash(path: &Path) -> String {
    match std::fs::read(path) {
        Ok(bytes) => cache::hash(&[&String::from_utf8_lossy(&bytes)]),
        Err(_) => "missing".into(),
    }
}

/// True when every file recorded with the build still has its content.
fn inputs_unchanged(dir: &Path) -> bool {
    let Ok(text) = std::fs::read_to_string(dir.join("inputs")) else {
        return true;
    };
    text.lines().all(|l| match l.split_once('\t') {
        Some((hash, path)) => file_hash(Path::new(path)) == hash,
        None => true,
    })
}

/// Compiles the harness into `dir` (through a temporary directory and a
/// rename, so that a concurrent run never sees half a build).
fn compile(
    dut: &Dut,
    wrapper: &str,
    cflags: &str,
    dir: &Path,
    log_path: &Path,
) -> Result<(), SimError> {
    let parent = dir.parent().expect("cache dir has a parent");
    std::fs::create_dir_all(parent)?;
    // Unique per process and attempt: other processes may build the same
    // design at the same time.
    static ATTEMPT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let attempt = ATTEMPT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let tmp = parent.join(format!(
        "{}.tmp-{}-{attempt}",
        dir.file_name().unwrap().to_string_lossy(),
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&tmp)?;
    let _registered = tools::cleanup::register(&tmp);
    // The connection module may cast to a package's type (`pkg::t'(..)`):
    // SystemVerilog, read as such when the design is.
    let dut_file = if dut.sources.any_systemverilog() {
        "dut.sv"
    } else {
        "dut.v"
    };
    std::fs::write(tmp.join(dut_file), &dut.wrapper)?;
    std::fs::write(tmp.join("lanes.v"), wrapper)?;
    std::fs::write(tmp.join("harness.cpp"), HARNESS)?;
    let files = dut.sources.materialize(&tmp)?;
    let out = tools::output(
        "verilator",
        tools::command("verilator")
            .current_dir(&tmp)
            .args(FLAGS)
            .args(["+1364-2005ext+v", "+1800-2017ext+sv", "+1800-2017ext+svh"])
            .args(dut.sources.preprocessor_args())
            .args(&dut.sources.verilator_args)
            .args(["-CFLAGS", cflags, "-Mdir", "obj", "-o", "harness"])
            .args(&files)
            .args([dut_file, "lanes.v", "harness.cpp"]),
        tools::timeout(),
    );
    let out = match out {
        Ok(out) => out,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&tmp);
            return Err(e.into());
        }
    };
    let log =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    std::fs::write(log_path, &log)?;
    if !out.status.success() || !tmp.join("obj/harness").exists() {
        let _ = std::fs::remove_dir_all(&tmp);
        return Err(SimError::Build {
            tool: "verilator",
            top: dut.top.clone(),
            first_line: super::build_error(&log, &dut.sources),
            log: log_path.to_path_buf(),
        });
    }
    let recorded: String = inputs(&tmp.join("obj"))
        .into_iter()
        .map(|(path, hash)| format!("{hash}\t{path}\n"))
        .collect();
    std::fs::write(tmp.join("inputs"), recorded)?;
    std::fs::rename(tmp.join("obj/harness"), tmp.join("harness"))?;
    let _ = std::fs::remove_dir_all(tmp.join("obj"));
    if std::fs::rename(&tmp, dir).is_err() {
        // Another run finished the same build first: keep its copy.
        let _ = std::fs::remove_dir_all(&tmp);
    }
    Ok(())
}

#[cfg(test)]
mod warning_tests {
    #[test]
    fn copies_of_a_warning_are_one() {
        let log = "%Warning-UNOPTFLAT: d.v:3:9: Signal unoptimizable: rf8_lanes.lane[0].u.dut.x\n\
                   %Warning-UNOPTFLAT: d.v:3:9: Signal unoptimizable: rf8_lanes.lane[17].u.dut.x\n\
                   %Warning-WIDTH: d.v:5:1: Operator ASSIGN expects 8 bits\n\
                   %Warning-WIDTH: lanes.v:5:1: ours\n";
        let w = super::warnings(log);
        assert_eq!(w.len(), 2, "{w:?}");
        assert!(
            w[0].ends_with("rf8_lanes.lane[*].u.dut.x (x2: once per copy of the design)"),
            "{}",
            w[0]
        );
        assert!(w[1].ends_with("expects 8 bits"));
    }
}
