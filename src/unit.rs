//! A unit: anything the tool generates, verifies and measures: a
//! multiplier (ports `a, b -> y`), a dot-product unit at a lane count
//! (buses `a[], b[], acc_in -> acc_out`) or a sequential MAC unit at a lane
//! count (spec section 9: a stream of groups in, one dot product out per
//! `in_last`). `rf8 gen`, `verify`, `area` and the report take the same
//! list, [`Unit::select`]: the units named, or with no name every unit at
//! its default lane counts.
//!
//! ```
//! use rf8::unit::{Interface, Unit};
//! let u = Unit::parse("dot_rf8_n8").unwrap();
//! assert_eq!(u.name(), "dot_rf8_n8");
//! assert!(matches!(u.interface(20), Interface::Bus { lanes: 8, acc_width: 56, .. }));
//! let m = Unit::parse("int8_mul").unwrap();
//! assert_eq!(m.interface(20), Interface::Pair { width: 8, out_width: 16 });
//! assert_eq!(Unit::select(&[]).unwrap().len(), Unit::all().len());
//! ```

use crate::catalog::{self, Design, DotInstance, MacInstance, Unknown, DESIGNS};
use crate::designs::GenError;
use crate::formats::dot::Accumulator;
use crate::generate;
use crate::sim::bus::Port;

/// Names that stand for several units in [`Unit::select`]: every
/// multiplier, every dot-product unit and every MAC unit at its default
/// lane counts.
pub const GROUPS: [&str; 3] = ["multipliers", "dot-units", "mac-units"];

/// A multiplier, a dot-product unit or a MAC unit at a lane count.
#[derive(Clone, Copy, Debug)]
pub enum Unit {
    Mul(&'static Design),
    Dot(DotInstance),
    Mac(MacInstance),
}

/// How a unit is driven: the shape of its ports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Interface {
    /// Two codes in, one result out, one pair per evaluation.
    Pair { width: u32, out_width: u32 },
    /// Packed buses of `lanes` codes and an accumulator in and out
    /// (`invalid` beside it for formats with NaN).
    Bus {
        lanes: usize,
        code_width: u32,
        acc_width: u32,
        invalid: bool,
    },
    /// Spec section 9: `clk`, `rst`, `in_valid`, `in_ready`, `in_last`,
    /// packed buses `a`, `b` of `lanes` codes, `out_valid`, `acc`
    /// (`invalid` beside it for formats with NaN).
    Sequence {
        lanes: usize,
        code_width: u32,
        acc_width: u32,
        invalid: bool,
    },
}

impl Unit {
    /// Every multiplier, then every dot-product unit and every MAC unit
    /// at its default lane counts, in report order.
    pub fn all() -> Vec<Unit> {
        let muls = DESIGNS.iter().map(Unit::Mul);
        muls.chain(catalog::dot_defaults().into_iter().map(Unit::Dot))
            .chain(catalog::mac_defaults().into_iter().map(Unit::Mac))
            .collect()
    }

    /// A unit by its name: a multiplier (`rf8_mul`) or `dot_<format>_n<N>`.
    pub fn parse(name: &str) -> Result<Unit, Unknown> {
        if name.starts_with("dot_") {
            return catalog::dot_by_name(name).map(Unit::Dot);
        }
        if name.starts_with("mac_") {
            return catalog::mac_by_name(name).map(Unit::Mac);
        }
        catalog::by_name(name).map(Unit::Mul).map_err(|mut e| {
            // The valid names: every multiplier and every unit's pattern.
            let dots = catalog::dot_by_name("").err().map(|d| d.valid);
            let macs = catalog::mac_by_name("").err().map(|d| d.valid);
            e.kind = "unit";
            e.valid = format!(
                "{}, {}, {}",
                e.valid,
                dots.unwrap_or_default(),
                macs.unwrap_or_default()
            );
            e
        })
    }

    /// The units named in `names`, in the order given, each once; a
    /// group name stands for its units ([`GROUPS`]); with no name,
    /// [`Unit::all`].
    pub fn select(names: &[String]) -> Result<Vec<Unit>, Unknown> {
        if names.is_empty() {
            return Ok(Unit::all());
        }
        let mut out: Vec<Unit> = Vec::new();
        for n in names {
            let found = match n.as_str() {
                "multipliers" => DESIGNS.iter().map(Unit::Mul).collect(),
                "dot-units" => catalog::dot_defaults().into_iter().map(Unit::Dot).collect(),
                "mac-units" => catalog::mac_defaults().into_iter().map(Unit::Mac).collect(),
                _ => vec![Unit::parse(n).map_err(|mut e| {
                    e.valid = format!("{}; or a group: {}", e.valid, GROUPS.join(", "));
                    e
                })?],
            };
            for u in found {
                if !out.iter().any(|o| o.name() == u.name()) {
                    out.push(u);
                }
            }
        }
        Ok(out)
    }

    /// Its name: `rf8_mul`, `dot_rf8_n8`.
    pub fn name(&self) -> String {
        match self {
            Unit::Mul(m) => m.name().to_string(),
            Unit::Dot(u) => u.name(),
            Unit::Mac(u) => u.name(),
        }
    }

    /// What it is, for messages: `multiplier`, `dot-product unit` or
    /// `MAC unit`.
    pub fn kind(&self) -> &'static str {
        match self {
            Unit::Mul(_) => "multiplier",
            Unit::Dot(_) => "dot-product unit",
            Unit::Mac(_) => "MAC unit",
        }
    }

    /// Its format's name for people.
    pub fn display(&self) -> &'static str {
        match self {
            Unit::Mul(m) => m.display,
            Unit::Dot(u) => u.design.display,
            Unit::Mac(u) => u.design.display,
        }
    }

    /// Lanes: 1 for a multiplier.
    pub fn lanes(&self) -> usize {
        match self {
            Unit::Mul(_) => 1,
            Unit::Dot(u) => u.lanes,
            Unit::Mac(u) => u.lanes,
        }
    }

    /// The multiplier, when the unit is one.
    pub fn as_multiplier(&self) -> Option<&'static Design> {
        match self {
            Unit::Mul(m) => Some(m),
            _ => None,
        }
    }

    /// The dot-product unit, when the unit is one.
    pub fn as_dot(&self) -> Option<DotInstance> {
        match self {
            Unit::Dot(u) => Some(*u),
            _ => None,
        }
    }

    /// The MAC unit, when the unit is one.
    pub fn as_mac(&self) -> Option<MacInstance> {
        match self {
            Unit::Mac(u) => Some(*u),
            _ => None,
        }
    }

    /// True for a fixed-point dot-product unit or a MAC unit, whose
    /// accumulator width (and so module name) depends on the headroom.
    pub fn has_headroom(&self) -> bool {
        match self {
            Unit::Mul(_) => false,
            Unit::Dot(u) => matches!(u.design.reference.accumulator, Accumulator::Fixed { .. }),
            Unit::Mac(_) => true,
        }
    }

    /// Its interface at headroom `h` (which only fixed-point units read).
    pub fn interface(&self, h: u32) -> Interface {
        match self {
            Unit::Mul(m) => Interface::Pair {
                width: m.width(),
                out_width: m.out_width(),
            },
            Unit::Dot(u) => {
                let r = u.design.reference;
                Interface::Bus {
                    lanes: u.lanes,
                    code_width: r.operands.width(),
                    acc_width: r.acc_width(h),
                    invalid: r.has_invalid,
                }
            }
            Unit::Mac(u) => {
                let r = u.design.reference;
                Interface::Sequence {
                    lanes: u.lanes,
                    code_width: r.operands.width(),
                    acc_width: r.acc_width(h),
                    invalid: r.has_invalid,
                }
            }
        }
    }

    /// Input and output ports at headroom `h` (spec section 8, "Ports").
    pub fn ports(&self, h: u32) -> (Vec<Port>, Vec<Port>) {
        match self.interface(h) {
            Interface::Pair { width, out_width } => (
                vec![Port::new("a", width), Port::new("b", width)],
                vec![Port::new("y", out_width)],
            ),
            Interface::Bus {
                lanes,
                code_width,
                acc_width,
                invalid,
            } => {
                let bus = code_width * lanes as u32;
                let mut outputs = vec![Port::new("acc_out", acc_width)];
                if invalid {
                    outputs.push(Port::new("invalid", 1));
                }
                (
                    vec![
                        Port::new("a", bus),
                        Port::new("b", bus),
                        Port::new("acc_in", acc_width),
                    ],
                    outputs,
                )
            }
            Interface::Sequence {
                lanes,
                code_width,
                acc_width,
                invalid,
            } => {
                let bus = code_width * lanes as u32;
                let mut outputs = vec![
                    Port::new("in_ready", 1),
                    Port::new("out_valid", 1),
                    Port::new("acc", acc_width),
                ];
                if invalid {
                    outputs.push(Port::new("invalid", 1));
                }
                let inputs = vec![
                    Port::new("rst", 1),
                    Port::new("in_valid", 1),
                    Port::new("in_last", 1),
                    Port::new("a", bus),
                    Port::new("b", bus),
                ];
                (inputs, outputs)
            }
        }
    }

    /// True for a unit with a clock of its own (a MAC unit), as opposed
    /// to one that has `clk` only when pipelined.
    pub fn is_sequential(&self) -> bool {
        matches!(self, Unit::Mac(_))
    }

    /// The most pipeline registers the generator can insert.
    pub fn max_depth(&self) -> usize {
        match self {
            Unit::Mul(m) => m.hardware.stages.len(),
            Unit::Dot(u) => (u.design.hardware.cuts)(u.lanes).len(),
            // Already registered: its stages are its own.
            Unit::Mac(_) => 0,
        }
    }

    /// Fails unless the unit can be pipelined `depth` deep, with the
    /// one-line reason.
    pub fn check_depth(&self, depth: usize) -> Result<(), String> {
        let max = self.max_depth();
        if depth > 0 && self.is_sequential() {
            return Err(format!(
                "--pipeline {depth}: {} is a sequential MAC unit with its own registers; --pipeline applies to multipliers and dot-product units",
                self.name()
            ));
        }
        if depth > max {
            return Err(format!(
                "--pipeline {depth}: {} has at most {max} pipeline registers",
                self.name()
            ));
        }
        Ok(())
    }

    /// The generated module's name at headroom `h` and pipeline depth
    /// `depth`: `rf8_mul_p2`, `dot_rf8_n8_h12`.
    pub fn module_name(&self, h: u32, depth: usize) -> String {
        match self {
            Unit::Mul(m) => crate::designs::module_name(m.name(), depth),
            Unit::Dot(u) => generate::dot_module_name(u, h, depth),
            Unit::Mac(u) => generate::mac_module_name(u, h),
        }
    }

    /// Module name and Verilog at headroom `h` and pipeline depth `depth`.
    pub fn rtl(&self, h: u32, depth: usize) -> Result<(String, String), GenError> {
        match self {
            Unit::Mul(m) => generate::rtl(m, depth),
            Unit::Dot(u) => generate::dot_rtl(u, h, depth),
            Unit::Mac(u) => {
                self.check_depth(depth).map_err(|reason| GenError::Check {
                    module: u.name(),
                    reason,
                })?;
                generate::mac_rtl(u, h)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_unit_parses_back_from_its_name() {
        for u in Unit::all() {
            assert_eq!(Unit::parse(&u.name()).unwrap().name(), u.name());
        }
        assert!(Unit::parse("dot_rf8_n3").is_err());
        assert!(Unit::parse("mac_rf8_n3").is_err());
        assert!(
            Unit::parse("mac_fp16_n8").is_err(),
            "binary32 units have no MAC unit"
        );
        assert!(Unit::parse("rf9_mul").is_err());
    }

    #[test]
    fn groups_expand_and_names_count_once() {
        let names = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let muls = Unit::select(&names(&["multipliers"])).unwrap();
        assert_eq!(muls.len(), DESIGNS.len());
        let both = Unit::select(&names(&[
            "multipliers",
            "dot-units",
            "mac-units",
            "rf8_mul",
        ]))
        .unwrap();
        assert_eq!(both.len(), Unit::all().len());
        let e = Unit::select(&names(&["nope"])).unwrap_err().to_string();
        assert!(e.contains("dot-units"), "{e}");
    }

    #[test]
    fn ports_follow_the_spec() {
        let (i, o) = Unit::parse("dot_fp8_e4m3_n2").unwrap().ports(20);
        let names = |p: &[Port]| {
            p.iter()
                .map(|p| (p.name.clone(), p.width))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            names(&i),
            [("a".into(), 16), ("b".into(), 16), ("acc_in".into(), 57)]
        );
        assert_eq!(names(&o), [("acc_out".into(), 57), ("invalid".into(), 1)]);
        let (i, o) = Unit::parse("mac_fp8_e4m3_n2").unwrap().ports(20);
        assert_eq!(
            names(&i),
            [
                ("rst".into(), 1),
                ("in_valid".into(), 1),
                ("in_last".into(), 1),
                ("a".into(), 16),
                ("b".into(), 16)
            ]
        );
        assert_eq!(
            names(&o),
            [
                ("in_ready".into(), 1),
                ("out_valid".into(), 1),
                ("acc".into(), 57),
                ("invalid".into(), 1)
            ]
        );
        let (i, o) = Unit::parse("fp16_mul").unwrap().ports(20);
        assert_eq!(names(&i), [("a".into(), 16), ("b".into(), 16)]);
        assert_eq!(names(&o), [("y".into(), 16)]);
    }
}
