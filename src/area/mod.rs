//! FPGA area and timing: Yosys synthesis for four device families, the
//! cell counts read from `stat -json`, the logic depth from `ltp`, and, on
//! request, place and route with nextpnr for Fmax.

pub mod aig;
pub mod cells;
pub mod chart;
pub mod netlist;
pub mod plan;
pub mod pnr;
pub mod range;
pub mod recipe;
pub mod table;

pub use crate::unit::Unit;

use std::path::{Path, PathBuf};

use crate::sim::{cache, first_error, require, SimError};
pub use recipe::{Recipe, RECIPES};

/// A device family and its Yosys flow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Device {
    /// Lattice iCE40 (`synth_ice40`; SB_LUT4, SB_CARRY, SB_MAC16).
    Ice40,
    /// Lattice ECP5 (`synth_ecp5`; LUT4, CCU2C, MULT18X18D).
    Ecp5,
    /// AMD/Xilinx 7-series (`synth_xilinx`; LUT1..LUT6, CARRY4, DSP48E1).
    Xilinx,
    /// Gowin (`synth_gowin`; LUT1..LUT4, ALU).
    Gowin,
}

impl Device {
    /// All four, in report order.
    pub const ALL: [Device; 4] = [Device::Ice40, Device::Ecp5, Device::Xilinx, Device::Gowin];

    /// The name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Device::Ice40 => "ice40",
            Device::Ecp5 => "ecp5",
            Device::Xilinx => "xilinx",
            Device::Gowin => "gowin",
        }
    }

    /// The Yosys synthesis command. DSP blocks are off unless `dsp`, so that
    /// the default comparison counts logic. (Yosys 0.23's `synth_gowin`
    /// infers no DSPs either way.)
    pub fn synth(self, top: &str, dsp: bool) -> String {
        match (self, dsp) {
            (Device::Ice40, false) => format!("synth_ice40 -top {top}"),
            (Device::Ice40, true) => format!("synth_ice40 -dsp -top {top}"),
            (Device::Ecp5, false) => format!("synth_ecp5 -nodsp -top {top}"),
            (Device::Ecp5, true) => format!("synth_ecp5 -top {top}"),
            (Device::Xilinx, false) => format!("synth_xilinx -nodsp -top {top}"),
            (Device::Xilinx, true) => format!("synth_xilinx -top {top}"),
            (Device::Gowin, _) => format!("synth_gowin -top {top}"),
        }
    }
}

/// One design synthesised for one device.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct AreaRow {
    pub design: String,
    pub module: String,
    pub device: String,
    /// The synthesis recipe (see [`recipe`]).
    #[serde(default)]
    pub recipe: String,
    pub dsp_enabled: bool,
    /// Look-up tables (all sizes).
    pub luts: u64,
    /// LUTs by input count, where the family has several sizes (Xilinx,
    /// Gowin): `[LUT1, LUT2, ...]`.
    pub luts_by_size: Vec<u64>,
    /// Carry cells (SB_CARRY, CCU2C, CARRY4, ALU).
    pub carries: u64,
    /// DSP / multiplier blocks.
    pub dsps: u64,
    /// Flip-flops.
    pub ffs: u64,
    /// Wide-function multiplexers (ECP5 PFUMX/L6MUX21, Xilinx MUXF7/F8).
    pub muxes: u64,
    /// Block RAM primitives (see [`cells::Kind::Bram`]).
    #[serde(default)]
    pub brams: u64,
    /// LUT-RAM cells (see [`cells::Kind::LutRam`]).
    #[serde(default)]
    pub lutrams: u64,
    /// Cells on the longest combinational path (Yosys `ltp -noff`).
    pub depth: u64,
    /// Fmax from nextpnr, when placed and routed.
    pub fmax_mhz: Option<f64>,
    /// Every cell type and count, as Yosys reports them.
    pub cells: std::collections::BTreeMap<String, u64>,
    /// The mapped netlist simulated against the reference (`None`: not
    /// checked).
    #[serde(default)]
    pub check: Option<netlist::Check>,
    /// The AIG of the mapped netlist flattened with the family's cell
    /// models (module `rf8_net_<key>`), where this run kept it: what the
    /// check evaluates ([`netlist::aig_path`] of it is itself).
    #[serde(skip)]
    pub flat: Option<PathBuf>,
}

/// Synthesises `j.m` for `j.device` under `j.recipe` (with the flat
/// netlist for the check when `j.check`) and, when `j.place`, places and
/// routes it for Fmax (both cached).
pub fn measure(j: &Job) -> Result<AreaRow, AreaError> {
    let (m, device, dsp, pipeline) = (&j.m, j.device, j.dsp, j.pipeline);
    // A MAC unit is sequential: the combinational netlist check does not
    // apply (its RTL is verified in the sequence harness).
    let check = j.check && !m.is_sequential();
    let mut row = synthesize(m, device, j.recipe, dsp, pipeline, check)?;
    if j.place {
        row.fmax_mhz = Some(pnr::fmax(m, device, dsp, pipeline)?);
    }
    Ok(row)
}

/// Every row as CSV, one line per design, device, recipe and DSP setting.
pub fn csv(rows: &[AreaRow]) -> String {
    let mut out = String::from(
        "design,module,device,recipe,dsp_enabled,luts,carries,dsps,ffs,muxes,depth,fmax_mhz,\
         check_pairs,check_mismatches,check,brams,lutrams\n",
    );
    for r in rows {
        let (pairs, mismatches, verdict) = match &r.check {
            Some(c) => (c.pairs.to_string(), c.mismatches.to_string(), c.verdict()),
            None => (String::new(), String::new(), "not checked".to_string()),
        };
        out += &format!(
            "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n",
            r.design,
            r.module,
            r.device,
            r.recipe,
            r.dsp_enabled,
            r.luts,
            r.carries,
            r.dsps,
            r.ffs,
            r.muxes,
            r.depth,
            r.fmax_mhz.map_or(String::new(), |f| format!("{f}")),
            pairs,
            mismatches,
            verdict.replace(',', ";"),
            r.brams,
            r.lutrams
        );
    }
    out
}

/// Why an area run failed.
#[derive(Debug, thiserror::Error)]
pub enum AreaError {
    #[error(transparent)]
    Tool(#[from] SimError),
    #[error("{0}")]
    Input(String),
}

fn tool_version(tool: &str) -> String {
    crate::tools::version(tool).unwrap_or_default()
}

/// The Yosys commands after synthesis and statistics: the mapped netlist
/// flattened with the family's own cell models (read from the same Yosys,
/// `-defer` so that only the cells used are elaborated, `-nooverwrite`
/// because Yosys 0.70's ECP5 models include `cells_ff.vh` twice) and
/// reduced to the AIG the check evaluates. (Until 2026-12-06 the nets were
/// split to bits and the flat netlist written as Verilog first: the same
/// AIG, byte for byte, on five designs x four families and `dot_rf8_n8`
/// on ECP5, which now flattens in 14.5 s instead of 23.)
/// A cell without a model stops the flattening (`hierarchy -check`), so
/// that the row is measured but its check is "not run".
fn flatten(device: Device, top: &str, flat_top: &str) -> String {
    let family = device.name();
    let extra: String = models(device)
        .iter()
        .map(|(name, _)| format!(" {name}"))
        .collect();
    format!(
        "write_verilog -noattr netlist.v; design -reset; \
         read_verilog -defer -nooverwrite netlist.v +/{family}/cells_sim.v{extra}; \
         hierarchy -check -top {top}; proc; flatten; hierarchy -top {top}; opt_clean -purge; \
         rename {top} {flat_top}; {AIG}"
    )
}

/// The flat netlist reduced to AND gates and inverters for the netlist
/// check (see [`aig`]): undriven bits and `x` constants read as 0 (as
/// Verilator's `--x-assign fast` would), registers that no output reads
/// removed.
pub const AIG: &str = "setundef -undriven -zero; techmap; opt -fast -purge; aigmap; \
     opt_clean -purge; write_aiger -ascii -symbols flat.aag";

/// Cell models the family's Yosys does not ship (file name, text): ECP5's
/// DSP block, which Yosys has only as a black box.
fn models(device: Device) -> &'static [(&'static str, &'static str)] {
    match device {
        Device::Ecp5 => &[(
            "ecp5_mult18x18d.v",
            include_str!("models/ecp5_mult18x18d.v"),
        )],
        _ => &[],
    }
}

/// Synthesises `m` (at `pipeline` depth) for `device` under `recipe`;
/// results are cached by the hash of the Verilog, the flow and the Yosys
/// version. With `flat`, the mapped netlist is also flattened into the AIG
/// the netlist check evaluates (for a large unit that costs as much as the
/// synthesis); without, a cached run that has it is still used.
pub fn synthesize(
    m: &Unit,
    device: Device,
    recipe: &Recipe,
    dsp: bool,
    pipeline: usize,
    flat: bool,
) -> Result<AreaRow, AreaError> {
    let tool = recipe.tool.command();
    require(tool, recipe.tool.package())?;
    let (top, verilog) = m
        .rtl(crate::designs::dot::DEFAULT_HEADROOM, pipeline)
        .map_err(|e| AreaError::Input(e.to_string()))?;
    let synth = recipe.synth(device, &top, dsp);
    let version = tool_version(tool);
    let stats = "tee -q -o stat.json stat -json; tee -q -o ltp.txt ltp -noff";
    let key = cache::hash(&[
        &verilog,
        &synth,
        stats,
        &flatten(device, &top, "NAME"),
        &models(device).iter().map(|(_, t)| *t).collect::<String>(),
        &version,
        "area-v5",
    ]);
    let flat_top = format!("rf8_net_{key}");
    let script = format!(
        "read_verilog design.v; {synth}; {stats}; {}",
        flatten(device, &top, &flat_top)
    );
    let dir = cache::root().join("area");
    let stem = format!("{top}-{}-{}-{key}", device.name(), recipe.name);
    let cached = dir.join(format!("{stem}.json"));
    // The check's AIG (the flattened Verilog is not kept: 20 MB for an
    // 8-lane unit, and writing it took a sixth of the flattening).
    let flat_v = dir.join(format!("{stem}.flat.aag"));
    if let Ok(text) = std::fs::read_to_string(&cached) {
        if let Ok(mut row) = serde_json::from_str::<AreaRow>(&text) {
            // Flows that ignore the DSP switch (Gowin) share one cache
            // entry; the row says what was asked for.
            row.dsp_enabled = dsp;
            row.flat = flat_v.exists().then_some(flat_v);
            return Ok(row);
        }
    }
    let synthesis = format!("read_verilog design.v; {synth}; {stats}");
    // Without the flat netlist: its own cache entry.
    let cached_synth = dir.join(format!("{stem}.synth.json"));
    if !flat {
        if let Some(mut row) = std::fs::read_to_string(&cached_synth)
            .ok()
            .and_then(|t| serde_json::from_str::<AreaRow>(&t).ok())
        {
            row.dsp_enabled = dsp;
            return Ok(row);
        }
    }
    let work = work_dir(&format!("{top}-{}-{}", device.name(), recipe.name))?;
    std::fs::write(work.join("design.v"), &verilog).map_err(SimError::from)?;
    for (name, text) in models(device) {
        std::fs::write(work.join(name), text).map_err(SimError::from)?;
    }
    if !flat {
        yosys(tool, &work, &synthesis, &top)?;
        let stat = std::fs::read_to_string(work.join("stat.json")).map_err(SimError::from)?;
        let ltp = std::fs::read_to_string(work.join("ltp.txt")).unwrap_or_default();
        let mut row =
            cells::row(&m.name(), &top, device, dsp, &stat, &ltp).map_err(AreaError::Input)?;
        row.module = top.clone();
        row.recipe = recipe.name.to_string();
        std::fs::create_dir_all(&dir).map_err(SimError::from)?;
        crate::fsutil::write_atomic(
            &cached_synth,
            serde_json::to_string(&row).unwrap_or_default(),
        )
        .map_err(SimError::from)?;
        let _ = std::fs::remove_dir_all(&work);
        return Ok(row);
    }
    let mut flatten_error = None;
    if let Err(e) = yosys(tool, &work, &script, &top) {
        // The synthesis may have worked and the flattening not: measure
        // without it, and say why the netlist is not checked.
        if yosys(tool, &work, &synthesis, &top).is_err() {
            return Err(e);
        }
        flatten_error = Some(format!("the netlist could not be flattened: {e}"));
    }
    let stat = std::fs::read_to_string(work.join("stat.json")).map_err(SimError::from)?;
    let ltp = std::fs::read_to_string(work.join("ltp.txt")).unwrap_or_default();
    let mut row =
        cells::row(&m.name(), &top, device, dsp, &stat, &ltp).map_err(AreaError::Input)?;
    row.module = top.clone();
    row.recipe = recipe.name.to_string();
    std::fs::create_dir_all(&dir).map_err(SimError::from)?;
    match flatten_error {
        None => {
            let aig = std::fs::read(work.join("flat.aag")).map_err(SimError::from)?;
            crate::fsutil::write_atomic(&netlist::aig_path(&flat_v), aig)
                .map_err(SimError::from)?;
        }
        Some(e) => row.check = Some(netlist::Check::failed_to_run(e)),
    }
    crate::fsutil::write_atomic(&cached, serde_json::to_string(&row).unwrap_or_default())
        .map_err(SimError::from)?;
    row.flat = flat_v.exists().then_some(flat_v);
    let _ = std::fs::remove_dir_all(&work);
    Ok(row)
}

/// Runs `script` with Yosys `tool` in `work` (log `yosys.log`).
fn yosys(tool: &'static str, work: &Path, script: &str, top: &str) -> Result<(), AreaError> {
    let log_path = work.join("yosys.log");
    let out = crate::tools::output(
        tool,
        crate::tools::command(tool)
            .current_dir(work)
            .args(["-q", "-l", "yosys.log", "-p", script]),
        crate::tools::timeout(),
    )
    .map_err(|e| timed_out(e, &log_path))?;
    if out.status.success() {
        return Ok(());
    }
    let log = std::fs::read_to_string(&log_path).unwrap_or_default()
        + &String::from_utf8_lossy(&out.stderr);
    Err(SimError::Build {
        tool,
        top: top.to_string(),
        first_line: first_error(&log),
        log: log_path,
    }
    .into())
}

/// A tool error, with the log to look at when the tool hung.
pub fn timed_out(e: crate::tools::ToolError, log: &std::path::Path) -> AreaError {
    match e {
        crate::tools::ToolError::Timeout { .. } => {
            AreaError::Input(format!("{e} (log so far: {})", log.display()))
        }
        other => AreaError::Tool(other.into()),
    }
}

/// A fresh working directory under the cache root (kept on failure, so
/// that the log path in the error stays valid).
pub fn work_dir(name: &str) -> Result<PathBuf, SimError> {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let dir = cache::root().join("work").join(format!(
        "{name}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

/// One synthesis run.
#[derive(Clone, Copy, Debug)]
pub struct Job {
    pub m: Unit,
    pub device: Device,
    pub recipe: &'static Recipe,
    pub dsp: bool,
    pub pipeline: usize,
    /// Place and route for Fmax too.
    pub place: bool,
    /// Flatten the netlist for the check (see [`synthesize`]).
    pub check: bool,
}

/// Runs `jobs` in parallel, then (when `check`) simulates the netlists of
/// each design in one Verilator build. `done(job, finished, total)` follows
/// the synthesis runs. Rows come back in job order; a run that failed is
/// returned with its job instead. The runs start largest design first
/// (by the length of its Verilog), so that the workers finish together
/// instead of one of them running the largest synthesis alone at the end.
pub fn run_all(
    jobs: &[Job],
    check: bool,
    done: &(dyn Fn(&Job, usize, usize) + Sync),
) -> (Vec<AreaRow>, Vec<(Job, AreaError)>) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let size = |j: &Job| {
        j.m.rtl(crate::designs::dot::DEFAULT_HEADROOM, j.pipeline)
            .map_or(0, |(_, text)| text.len())
    };
    let mut order: Vec<(usize, usize)> = jobs.iter().map(size).enumerate().collect();
    order.sort_by_key(|&(i, len)| (std::cmp::Reverse(len), i));
    // A queue in that order: each worker takes the next job when it is
    // free (rayon's splitting would not keep the order).
    let (next, finished) = (AtomicUsize::new(0), AtomicUsize::new(0));
    let workers = rayon::current_num_threads().clamp(1, jobs.len().max(1));
    let mut outcomes: Vec<(usize, Result<AreaRow, AreaError>)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                s.spawn(|| {
                    let mut mine = Vec::new();
                    while let Some(&(i, _)) = order.get(next.fetch_add(1, Ordering::Relaxed)) {
                        let row = measure(&jobs[i]);
                        let n = finished.fetch_add(1, Ordering::Relaxed) + 1;
                        done(&jobs[i], n, jobs.len());
                        mine.push((i, row));
                    }
                    mine
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    outcomes.sort_by_key(|o| o.0);
    let outcomes = outcomes.into_iter().map(|o| o.1);
    let mut rows = Vec::new();
    let mut failed = Vec::new();
    for (j, o) in jobs.iter().zip(outcomes) {
        match o {
            Ok(r) => rows.push(r),
            Err(e) => failed.push((*j, e)),
        }
    }
    if check {
        let mut designs: Vec<Unit> = Vec::new();
        for j in jobs {
            if !designs.iter().any(|d| d.name() == j.m.name()) {
                designs.push(j.m);
            }
        }
        for m in designs {
            let mut mine: Vec<&mut AreaRow> =
                rows.iter_mut().filter(|r| r.design == m.name()).collect();
            if let Err(e) = netlist::check_design(&m, &mut mine) {
                for r in mine {
                    r.check
                        .get_or_insert(netlist::Check::failed_to_run(e.to_string()));
                }
            }
        }
    }
    (rows, failed)
}
