//! One side of a miter: Verilog (generated, a user's, or a specification
//! model) reduced by Yosys to an And-Inverter Graph, the same reduction the
//! netlist check applies to a mapped netlist ([`crate::area::AIG`]), so
//! that both sides of a netlist-against-RTL proof are read the same way.
//! Registers become AIGER latches (their clock is implicit: one frame per
//! rising edge). Cached by the sources' text, the script and the Yosys.

use std::path::PathBuf;

use crate::area::aig::Aig;
use crate::designs::dot::DEFAULT_HEADROOM as H;
use crate::sim::cache;
use crate::sim::source::Sources;
use crate::unit::Unit;

/// The Yosys the sides are reduced with (Debian's: the one `make deps`
/// installs for every proof).
pub const YOSYS: &str = "yosys";

/// How much Yosys may rewrite a side on the way to gates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reduction {
    /// With Yosys's cleaning and `opt -fast` before mapping: smaller
    /// graphs, for sides of unrelated structure (a netlist, a model, a
    /// user's design).
    Optimised,
    /// Every statement mapped as written, no pass that renames or merges
    /// before mapping. For two texts that differ only by registers (a
    /// pipelined unit and its combinational one): `opt_clean` alone,
    /// run before `techmap`, makes an otherwise identical binary32 adder
    /// map to gates in another order once the texts differ by one
    /// process, which leaves SAT sweeping to find 60,000 equivalences
    /// (it did not, in 600 s); mapped literally the two unroll to the
    /// same graph and the miter folds under structural hashing.
    Literal,
}

/// The reduction after reading: elaborate `top`, lower processes to
/// flip-flops, flatten, and map to AND gates and inverters. Undriven bits
/// read as 0 (as in the netlist check); flip-flops that Yosys finds a
/// reset or enable in are unmapped to plain ones with their logic in front
/// (`dffunmap`); the miters read every latch's first state from a free
/// input, so no initial value is assumed.
fn script(files: &str, sv: bool, pre: &str, top: &str, how: Reduction) -> String {
    let sv = if sv { " -sv" } else { "" };
    let (clean, opt) = match how {
        Reduction::Optimised => (" opt_clean;", " opt -fast -purge;"),
        Reduction::Literal => ("", ""),
    };
    format!(
        "read_verilog{sv}{pre} {files}; hierarchy -check -top {top}; proc; flatten;{clean} \
         async2sync; setundef -undriven -zero; techmap;{opt} dffunmap; \
         techmap; aigmap; opt_clean -purge; write_aiger -ascii -symbols side.aag"
    )
}

/// The AIG of module `top` of `sources` (cached). The error is Yosys's
/// first error line, with the log kept.
pub fn aig(sources: &Sources, top: &str, how: Reduction) -> Result<Aig, String> {
    let text = std::fs::read_to_string(path(sources, top, how)?)
        .map_err(|e| format!("cannot read the AIG of {top}: {e}"))?;
    Aig::parse(&text)
}

fn path(sources: &Sources, top: &str, how: Reduction) -> Result<PathBuf, String> {
    crate::sim::require(YOSYS, "yosys").map_err(|e| e.to_string())?;
    let pre: String = sources
        .preprocessor_args()
        .iter()
        .map(|a| format!(" {a}"))
        .collect();
    let sv = sources.any_systemverilog();
    let mut parts = sources.fingerprint()?;
    let version = crate::tools::version(YOSYS).unwrap_or_default();
    parts.extend([
        script("", sv, &pre, top, how),
        version,
        "prove-side-v1".into(),
    ]);
    let refs: Vec<&str> = parts.iter().map(String::as_str).collect();
    let dir = cache::root().join("prove");
    let out = dir.join(format!("{top}-{}.aag", cache::hash(&refs)));
    if out.exists() {
        return Ok(out);
    }
    let work = crate::area::work_dir(&format!("prove-{top}")).map_err(|e| e.to_string())?;
    let files = sources
        .materialize(&work)
        .map_err(|e| format!("cannot write the sources: {e}"))?;
    let script = script(&files.join(" "), sv, &pre, top, how);
    let run = crate::tools::output(
        YOSYS,
        crate::tools::command(YOSYS).current_dir(&work).args([
            "-q",
            "-l",
            "yosys.log",
            "-p",
            &script,
        ]),
        crate::tools::timeout(),
    )
    .map_err(|e| e.to_string())?;
    if !run.status.success() {
        let log = std::fs::read_to_string(work.join("yosys.log")).unwrap_or_default();
        return Err(format!(
            "Yosys could not reduce {top} to an AIG: {} (log: {})",
            crate::sim::first_error(&log),
            work.join("yosys.log").display()
        ));
    }
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let aag = std::fs::read(work.join("side.aag")).map_err(|e| e.to_string())?;
    crate::fsutil::write_atomic(&out, aag).map_err(|e| e.to_string())?;
    let _ = std::fs::remove_dir_all(&work);
    Ok(out)
}

/// Input bits of a combinational unit (all its inputs together).
pub fn input_bits(u: &Unit) -> u32 {
    u.ports(H).0.iter().map(|p| p.width).sum()
}

/// The AIG of the generated unit at pipeline `depth`.
pub fn rtl_aig(u: &Unit, depth: usize, how: Reduction) -> Result<Aig, String> {
    let (top, text) = u.rtl(H, depth).map_err(|e| e.to_string())?;
    aig(&Sources::text(&format!("{top}.v"), text), &top, how)
}
