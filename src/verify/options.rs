//! What a verification run is asked to do: the vector set, simulators,
//! pipeline depth, the user's design and its timing, and the checks that
//! refuse impossible requests before anything runs.

use super::cause::FlagPort;
use super::*;

/// Counterexamples kept per cause.
pub const EXAMPLES_PER_CAUSE: usize = 3;

/// Clock cycles the reset is held by default.
pub const RESET_CYCLES: usize = 4;

/// The largest latency `--latency auto` tries.
pub const MAX_LATENCY: usize = 16;

/// How the design's results are timed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Latency {
    /// Results appear this many rising clock edges after the operands.
    Fixed(usize),
    /// Found by trying 0..=[`MAX_LATENCY`] on directed vectors.
    Auto,
}

impl std::str::FromStr for Latency {
    type Err = String;

    /// `auto`, or a number of clock cycles.
    fn from_str(text: &str) -> Result<Latency, String> {
        match text {
            "auto" => Ok(Latency::Auto),
            t => t
                .parse()
                .map(Latency::Fixed)
                .map_err(|_| format!("--latency {t}: a number of clock cycles, or auto")),
        }
    }
}

/// A user's design: its sources and how to connect it.
#[derive(Clone, Debug, Default)]
pub struct UserRtl {
    pub sources: Sources,
    pub request: interface::Request,
}

/// What to verify and how.
#[derive(Clone, Debug)]
pub struct Options {
    /// Every pair of a design with more than 2^20 (the 16-bit ones: 2^32);
    /// smaller designs are always simulated on every pair.
    pub exhaustive: bool,
    /// Seeded random pairs added to a large design's directed catalogue.
    pub vectors: u64,
    /// Seed of the random pairs.
    pub seed: u64,
    /// Simulators, in order (two: their outputs are also compared).
    pub simulators: Vec<Simulator>,
    /// Pipeline depth of the generated design (0: combinational); with a
    /// user's design, the default latency and top `<design>_p<N>`.
    pub pipeline: usize,
    /// A user's design instead of the generated one.
    pub user: Option<UserRtl>,
    /// The latency of a user's design (default: `pipeline`).
    pub latency: Option<Latency>,
    /// Clock cycles of the reset sequence (a user's design with a reset).
    pub reset_cycles: usize,
    /// Which NaN codes are right where the reference gives NaN.
    pub nan: NanPolicy,
    /// Mismatches kept for `--mismatches` (all are counted).
    pub max_mismatches: usize,
    /// Pairs from a file instead of the default set.
    pub vectors_file: Option<PathBuf>,
    /// Exactly these pairs (`--replay`).
    pub pairs: Option<Vec<(u16, u16)>>,
    /// Show a progress bar on stderr.
    pub progress: bool,
    /// Copies of a multiplier per Verilator evaluation (see
    /// [`Dut::copies`]); not a dot-product unit's lanes.
    pub copies: usize,
    /// Headroom H of the fixed-point dot-product units (spec section 8).
    pub headroom: u32,
    /// How the flag output of `--flags` holds the flags, most significant
    /// first (default [`FlagPort::DEFAULT_ORDER`]).
    pub flag_order: Option<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            exhaustive: false,
            vectors: 1_000_000,
            seed: 1,
            simulators: vec![Simulator::Verilator],
            pipeline: 0,
            user: None,
            latency: None,
            reset_cycles: RESET_CYCLES,
            nan: NanPolicy::Canonical,
            max_mismatches: 1_000_000,
            vectors_file: None,
            pairs: None,
            progress: false,
            copies: crate::sim::verilator::COPIES,
            headroom: crate::designs::dot::DEFAULT_HEADROOM,
            flag_order: None,
        }
    }
}

/// Most random pairs: 2^32 is every pair of a 16-bit design
/// (`--exhaustive` simulates them all without holding them in memory).
pub const MAX_VECTORS: u64 = 1 << 32;

/// Bytes held per pair while it is simulated and compared: the pair, the
/// simulator's output twice over and the index of a mismatch.
pub(super) const BYTES_PER_PAIR: u128 = 24;

impl Options {
    /// The options given that only a multiplier takes, by their command
    /// line names (a dot-product unit has no NaN policy, latency search or
    /// vectors file).
    pub fn multiplier_only(&self) -> Vec<&'static str> {
        let r = self.user.as_ref().map(|u| &u.request);
        let given = [
            ("--port", r.is_some_and(|r| !r.ports.is_empty())),
            ("--tie", r.is_some_and(|r| !r.ties.is_empty())),
            ("--clock", r.is_some_and(|r| r.clock.is_some())),
            ("--reset", r.is_some_and(|r| r.reset.is_some())),
            ("--flags", r.is_some_and(|r| r.flags.is_some())),
            ("--flag-order", self.flag_order.is_some()),
            ("--latency", self.latency.is_some()),
            ("--vectors-file", self.vectors_file.is_some()),
            ("--replay", self.pairs.is_some()),
            ("--exhaustive", self.exhaustive),
        ];
        given.iter().filter(|g| g.1).map(|g| g.0).collect()
    }

    /// The flag output's layout, with `--flags` (a user's design only).
    pub fn flag_port(&self) -> Result<Option<FlagPort>, VerifyError> {
        let port = self.user.as_ref().and_then(|u| u.request.flags.as_ref());
        match (port, &self.flag_order) {
            (None, Some(o)) => Err(VerifyError::Input(format!(
                "--flag-order {o}: give the flag output with --flags PORT"
            ))),
            (None, None) => Ok(None),
            (Some(_), order) => {
                FlagPort::parse(order.as_deref().unwrap_or(FlagPort::DEFAULT_ORDER))
                    .map(Some)
                    .map_err(VerifyError::Input)
            }
        }
    }

    /// The judge of a multiplier's outputs under these options.
    pub fn judge<'a>(&self, m: &'a dyn Multiplier) -> Result<Judge<'a>, VerifyError> {
        let judge = Judge::new(m, self.nan);
        match self.flag_port()? {
            Some(port) => judge.with_flags(port).map_err(VerifyError::Input),
            None => Ok(judge),
        }
    }

    /// Checks the sizes, the headroom and the pipeline depth against every
    /// unit to be verified, before anything runs (one-line reasons).
    pub fn check(&self, units: &[Unit]) -> Result<(), VerifyError> {
        use crate::limits::{bytes_for, check_memory, check_range};
        let input = |e: crate::limits::LimitError| VerifyError::Input(e.to_string());
        check_range(
            "--vectors",
            self.vectors as u128,
            0,
            MAX_VECTORS as u128,
            "2^32 is every pair of a 16-bit design; --exhaustive simulates all of them",
        )
        .map_err(input)?;
        let per_vector = if units.iter().any(|u| u.as_dot().is_some()) {
            dot::BYTES_PER_VECTOR
        } else {
            BYTES_PER_PAIR
        };
        check_memory(
            &format!("--vectors {}", self.vectors),
            bytes_for(self.vectors as u128, per_vector, 0),
        )
        .map_err(input)?;
        if units.iter().any(Unit::has_headroom) {
            crate::generate::check_headroom(self.headroom).map_err(VerifyError::Input)?;
        }
        check_range(
            "--max-mismatches",
            self.max_mismatches as u128,
            0,
            1 << 28,
            "each kept mismatch is a CSV line; all of them are counted",
        )
        .map_err(input)?;
        check_range(
            "--copies",
            self.copies as u128,
            1,
            64,
            "copies of the design per evaluation",
        )
        .map_err(input)?;
        check_range(
            "--reset-cycles",
            self.reset_cycles as u128,
            1,
            1 << 20,
            "a reset sequence of up to 2^20 clock cycles",
        )
        .map_err(input)?;
        if let Some(Latency::Fixed(l)) = self.latency {
            check_range(
                "--latency",
                l as u128,
                0,
                1024,
                "a multiplier's result within 1024 clock cycles",
            )
            .map_err(input)?;
        }
        if self.user.is_none() {
            for u in units {
                u.check_depth(self.pipeline).map_err(VerifyError::Input)?;
            }
        }
        if self.exhaustive && self.simulators.contains(&Simulator::Icarus) {
            return Err(VerifyError::Input(
                "an exhaustive 16-bit sweep needs --simulator verilator (Icarus would take weeks)"
                    .into(),
            ));
        }
        Ok(())
    }
}
