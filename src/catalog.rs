//! The catalogue: every format the project knows, in one place. Each
//! multiplier entry names its bit-exact reference, its rust-hdl design, the
//! storage codec whose error goes with it, and its display name; the
//! storage list names every codec of the error statistics, and the unit
//! list every dot-product unit with hardware. `rf8 gen`, `verify`, `area`,
//! `error`, the report and the tests iterate these lists, and nothing else lists formats or units.
//!
//! Adding a multiplier: its reference under `src/formats/`, its design
//! under `src/designs/`, one line in [`DESIGNS`], `make rtl`, and its
//! catalogue rows in `tests/data/` (see `docs/architecture.md`).
//!
//! ```
//! let d = rf8::by_name("int8_mul").unwrap();
//! assert_eq!((d.width(), d.out_width()), (8, 16));
//! assert_eq!(d.storage.name(), "int8");
//! assert!(rf8::catalog::storage_by_name("mxfp4").is_ok());
//! ```

use crate::designs::dot as hw_dot;
use crate::designs::dot::DotHardware;
use crate::designs::fp6 as hw_fp6;
use crate::designs::mac::{self as hw_mac, MacHardware};
use crate::designs::{fp4_mul, int8_mul, lite_mul, minifloat_mul, rf8_mul, Hardware};
use crate::formats::codec::Codec;
use crate::formats::dot::{self, DotUnit};
use crate::formats::mac::MacRef;
use crate::formats::minifloat;
use crate::formats::minifloat::codec::{BF16, E4M3, E4M3_SCALED, E5M2, FP16, MXFP4, MXFP8};
use crate::formats::rf8::codec::{RF8_NEAREST, RF8_TRUNCATE};
use crate::formats::{baselines as b, fp4::FP4_E2M1_MUL, fp6, int8, rf8::Rf8Mul, Multiplier};

/// A multiplier: reference, hardware, storage, name. It dereferences to
/// its reference, so `d.name()`, `d.mul(a, b)` read as on the reference.
pub struct Design {
    /// The bit-exact software reference.
    pub reference: &'static dyn Multiplier,
    /// The rust-hdl design and its Verilog generator.
    pub hardware: Hardware,
    /// The storage format whose SQNR goes beside the multiplier in the
    /// report.
    pub storage: &'static dyn Codec,
    /// The codec its operands are stored in for the product study
    /// (`rf8 error --products`): the storage format, except where a shared
    /// scale would push products past the output format's range (E4M3's
    /// per-tensor scale maps both operands to 448; their product would
    /// overflow), which then stores unscaled.
    pub operands: &'static dyn Codec,
    /// The format's name for people.
    pub display: &'static str,
}

impl std::ops::Deref for Design {
    type Target = dyn Multiplier;
    fn deref(&self) -> &Self::Target {
        self.reference
    }
}

impl std::fmt::Debug for Design {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.reference.name())
    }
}

const fn design(
    reference: &'static dyn Multiplier,
    hardware: Hardware,
    (storage, operands): (&'static dyn Codec, &'static dyn Codec),
    display: &'static str,
) -> Design {
    Design {
        reference,
        hardware,
        storage,
        operands,
        display,
    }
}

/// Every multiplier, RF8 first, in the order reports list them.
pub static DESIGNS: &[Design] = &[
    design(
        &Rf8Mul,
        rf8_mul::HARDWARE,
        (&RF8_TRUNCATE, &RF8_TRUNCATE),
        "RF8",
    ),
    design(
        &b::FP16_MUL,
        minifloat_mul::FP16,
        (&FP16, &FP16),
        "FP16 (IEEE)",
    ),
    design(
        &b::FP16_MUL_LITE,
        lite_mul::FP16_LITE,
        (&FP16, &FP16),
        "FP16 lean",
    ),
    design(&b::BF16_MUL, minifloat_mul::BF16, (&BF16, &BF16), "BF16"),
    design(
        &b::FP8_E4M3_MUL,
        minifloat_mul::FP8_E4M3,
        (&E4M3_SCALED, &E4M3),
        "FP8 E4M3 (OCP)",
    ),
    design(
        &b::FP8_E5M2_MUL,
        minifloat_mul::FP8_E5M2,
        (&E5M2, &E5M2),
        "FP8 E5M2 (OCP)",
    ),
    design(
        &int8::INT8_MUL,
        int8_mul::HARDWARE,
        (&int8::INT8, &int8::INT8),
        "INT8",
    ),
    design(
        &FP4_E2M1_MUL,
        fp4_mul::HARDWARE,
        (&MXFP4, &MXFP4),
        "FP4 E2M1 (MX)",
    ),
    design(
        &fp6::FP6_E2M3_MUL,
        hw_fp6::mul::E2M3,
        (&fp6::MXFP6_E2M3, &fp6::MXFP6_E2M3),
        "FP6 E2M3 (MX)",
    ),
    design(
        &fp6::FP6_E3M2_MUL,
        hw_fp6::mul::E3M2,
        (&fp6::MXFP6_E3M2, &fp6::MXFP6_E3M2),
        "FP6 E3M2 (MX)",
    ),
    design(
        &b::FP8_E4M3_MUL_LITE,
        lite_mul::FP8_E4M3_LITE,
        (&E4M3_SCALED, &E4M3),
        "FP8 E4M3 lean",
    ),
];

/// Every storage format of the error statistics, in report order.
pub static STORAGE: &[&dyn Codec] = &[
    &RF8_TRUNCATE,
    &RF8_NEAREST,
    &E4M3,
    &E4M3_SCALED,
    &E5M2,
    &FP16,
    &BF16,
    &int8::INT8,
    &MXFP8,
    &fp6::MXFP6_E2M3,
    &fp6::MXFP6_E3M2,
    &MXFP4,
];

/// A dot-product unit (spec section 8): reference, hardware, the
/// multiplier design it is built around, name.
pub struct DotDesign {
    /// The bit-exact software reference (any lane count and headroom).
    pub reference: &'static DotUnit,
    /// The rust-hdl design and its Verilog generator.
    pub hardware: DotHardware,
    /// The catalogue multiplier whose operands and product the lanes use.
    pub multiplier: &'static str,
    /// The unit's name for people.
    pub display: &'static str,
    /// The behavioural Verilog written from the specification (module
    /// `spec_dot_<format>`, parameters `N` and `H`) that `rf8 prove` proves
    /// the generated unit equal to; kept in `spec/`, apart from the
    /// generator.
    pub spec_model: Option<&'static str>,
}

impl std::fmt::Debug for DotDesign {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "dot_{}", self.reference.format)
    }
}

/// Every dot-product unit with hardware, RF8 first, in report order.
pub static DOT_UNITS: &[DotDesign] = &[
    DotDesign {
        reference: &dot::DOT_RF8,
        hardware: hw_dot::RF8,
        multiplier: "rf8_mul",
        display: "RF8",
        spec_model: Some(include_str!("../spec/dot_rf8.v")),
    },
    DotDesign {
        reference: &dot::DOT_INT8,
        hardware: hw_dot::INT8,
        multiplier: "int8_mul",
        display: "INT8",
        spec_model: Some(include_str!("../spec/dot_int8.v")),
    },
    DotDesign {
        reference: &dot::DOT_FP8_E4M3,
        hardware: hw_dot::FP8_E4M3,
        multiplier: "fp8_e4m3_mul",
        display: "FP8 E4M3 (OCP)",
        spec_model: Some(include_str!("../spec/dot_fp8_e4m3.v")),
    },
    DotDesign {
        reference: &dot::DOT_FP4_E2M1,
        hardware: hw_dot::FP4_E2M1,
        multiplier: "fp4_e2m1_mul",
        display: "FP4 E2M1 (MX)",
        spec_model: None,
    },
    DotDesign {
        reference: &fp6::DOT_FP6_E2M3,
        hardware: hw_fp6::dot::E2M3,
        multiplier: "fp6_e2m3_mul",
        display: "FP6 E2M3 (MX)",
        spec_model: None,
    },
    DotDesign {
        reference: &fp6::DOT_FP6_E3M2,
        hardware: hw_fp6::dot::E3M2,
        multiplier: "fp6_e3m2_mul",
        display: "FP6 E3M2 (MX)",
        spec_model: None,
    },
    DotDesign {
        reference: &dot::DOT_FP16,
        hardware: hw_dot::FP16,
        multiplier: "fp16_mul",
        display: "FP16, FP32 accumulation",
        spec_model: None,
    },
    DotDesign {
        reference: &dot::DOT_BF16,
        hardware: hw_dot::BF16,
        multiplier: "bf16_mul",
        display: "BF16, FP32 accumulation",
        spec_model: None,
    },
];

/// The lane counts whose units `rf8 gen`, `verify`, `area` and the report
/// cover by default (the spec's N = 1 and N = 8).
pub const DOT_DEFAULT_LANES: [usize; 2] = [1, 8];

/// A dot-product unit at a lane count, as named `dot_<format>_n<N>`.
#[derive(Clone, Copy, Debug)]
pub struct DotInstance {
    pub design: &'static DotDesign,
    pub lanes: usize,
}

impl DotInstance {
    /// Its module name, `dot_rf8_n8`.
    pub fn name(&self) -> String {
        self.design.reference.name(self.lanes)
    }
}

/// Every unit at the default lane counts, in report order.
pub fn dot_defaults() -> Vec<DotInstance> {
    DOT_UNITS
        .iter()
        .flat_map(|design| {
            DOT_DEFAULT_LANES
                .iter()
                .map(move |&lanes| DotInstance { design, lanes })
        })
        .collect()
}

/// A dot-product unit by its module name, `dot_<format>_n<N>` with N one
/// of the generators' lane counts.
pub fn dot_by_name(name: &str) -> Result<DotInstance, Unknown> {
    let found = dot::split_name(name).and_then(|(format, lanes)| {
        let design = DOT_UNITS.iter().find(|d| d.reference.format == format)?;
        hw_dot::LANES
            .contains(&lanes)
            .then_some(DotInstance { design, lanes })
    });
    found.ok_or_else(|| Unknown {
        kind: "dot-product unit",
        name: name.to_string(),
        valid: format!(
            "{} with N in {:?}",
            DOT_UNITS
                .iter()
                .map(|d| format!("dot_{}_n<N>", d.reference.format))
                .collect::<Vec<_>>()
                .join(", "),
            hw_dot::LANES
        ),
    })
}

/// A sequential MAC unit of spec section 9: the format's dot-product
/// reference (the MAC's reference is [`MacRef`] over it), a variant name
/// (`None` for the register accumulator, `eia` for exponent-indexed
/// bins) and its hardware.
pub struct MacDesign {
    /// The section-8 unit the MAC chains (its reference).
    pub reference: &'static DotUnit,
    /// The variant in the module name: `mac_<format>[_<variant>]_n<N>`.
    pub variant: Option<&'static str>,
    /// The rust-hdl design.
    pub hardware: MacHardware,
    /// Name for people.
    pub display: &'static str,
}

impl MacDesign {
    /// The name without lanes: `rf8`, `rf8_eia`.
    pub fn stem(&self) -> String {
        match self.variant {
            Some(v) => format!("{}_{v}", self.reference.format),
            None => self.reference.format.to_string(),
        }
    }
}

impl std::fmt::Debug for MacDesign {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "mac_{}", self.stem())
    }
}

/// Every MAC unit with hardware, in report order.
pub static MAC_UNITS: &[MacDesign] = &[
    MacDesign {
        reference: &dot::DOT_RF8,
        variant: None,
        hardware: hw_mac::RF8,
        display: "RF8",
    },
    MacDesign {
        reference: &dot::DOT_RF8,
        variant: Some("eia"),
        hardware: hw_mac::RF8_EIA,
        display: "RF8, exponent-indexed",
    },
    MacDesign {
        reference: &dot::DOT_INT8,
        variant: None,
        hardware: hw_mac::INT8,
        display: "INT8",
    },
    MacDesign {
        reference: &dot::DOT_FP8_E4M3,
        variant: None,
        hardware: hw_mac::FP8_E4M3,
        display: "FP8 E4M3 (OCP)",
    },
    MacDesign {
        reference: &dot::DOT_FP8_E4M3,
        variant: Some("eia"),
        hardware: hw_mac::FP8_E4M3_EIA,
        display: "FP8 E4M3 (OCP), exponent-indexed",
    },
];

/// Lane counts of the MAC units in `rf8 gen`, `verify` and `area` when
/// none is named (the report's datapath step takes N = 8; `make area-mac`
/// adds 2, 4 and 16).
pub const MAC_DEFAULT_LANES: [usize; 2] = [1, 8];

/// One MAC unit at one lane count.
#[derive(Clone, Copy, Debug)]
pub struct MacInstance {
    pub design: &'static MacDesign,
    pub lanes: usize,
}

impl MacInstance {
    /// Its module name at the default headroom: `mac_rf8_n8`.
    pub fn name(&self) -> String {
        format!("mac_{}_n{}", self.design.stem(), self.lanes)
    }

    /// Its reference at headroom `h`.
    pub fn reference(&self, h: u32) -> MacRef {
        MacRef::new(self.design.reference, self.lanes, h)
            .expect("MAC units are fixed-point (section 9)")
    }
}

/// Every MAC unit at [`MAC_DEFAULT_LANES`].
pub fn mac_defaults() -> Vec<MacInstance> {
    MAC_UNITS
        .iter()
        .flat_map(|design| {
            MAC_DEFAULT_LANES
                .iter()
                .map(move |&lanes| MacInstance { design, lanes })
        })
        .collect()
}

/// A MAC unit by its module name (`mac_rf8_eia_n8`).
pub fn mac_by_name(name: &str) -> Result<MacInstance, Unknown> {
    let found = name
        .strip_prefix("mac_")
        .and_then(|r| r.rsplit_once("_n"))
        .and_then(|(stem, n)| {
            let lanes: usize = n.parse().ok()?;
            let design = MAC_UNITS.iter().find(|d| d.stem() == stem)?;
            hw_mac::LANES
                .contains(&lanes)
                .then_some(MacInstance { design, lanes })
        });
    found.ok_or_else(|| Unknown {
        kind: "MAC unit",
        name: name.to_string(),
        valid: format!(
            "{} with N in {:?}",
            MAC_UNITS
                .iter()
                .map(|d| format!("mac_{}_n<N>", d.stem()))
                .collect::<Vec<_>>()
                .join(", "),
            hw_mac::LANES
        ),
    })
}

/// A name that is not in the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {kind} '{name}' (valid: {valid})")]
pub struct Unknown {
    /// What was looked up: `design` or `format`.
    pub kind: &'static str,
    /// The name asked for.
    pub name: String,
    /// Comma-separated valid names.
    pub valid: String,
}

/// `d` with its reference rounding in `rounding` (one of the IEEE modes),
/// for checking a design built for another mode (`rf8 verify --rtl
/// --rounding rtz`); the hardware stays the generated round-to-nearest
/// one. An error for a multiplier without IEEE rounding (RF8, INT8, MX,
/// the lite formats). Each variant is made once and kept.
pub fn with_rounding(
    d: &'static Design,
    rounding: minifloat::Rounding,
) -> Result<&'static Design, String> {
    use std::sync::Mutex;
    #[allow(clippy::type_complexity)]
    static MADE: Mutex<Vec<(&'static str, minifloat::Rounding, &'static Design)>> =
        Mutex::new(Vec::new());
    let ieee: Vec<&str> = DESIGNS
        .iter()
        .filter(|d| {
            d.minifloat()
                .is_some_and(|f| f.rounding == minifloat::Rounding::NearestEven)
        })
        .map(|d| d.name())
        .collect();
    let f = d
        .minifloat()
        .filter(|f| f.rounding.keeps_subnormals())
        .ok_or_else(|| {
            format!(
                "{} has no IEEE rounding modes (--rounding applies to {})",
                d.name(),
                ieee.join(", ")
            )
        })?;
    if f.rounding == rounding {
        return Ok(d);
    }
    let mut made = MADE.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(&(_, _, v)) = made
        .iter()
        .find(|(n, r, _)| *n == d.name() && *r == rounding)
    {
        return Ok(v);
    }
    let reference: &'static minifloat::MiniFloat = Box::leak(Box::new(f.with_rounding(rounding)));
    let variant: &'static Design = Box::leak(Box::new(Design {
        reference,
        hardware: d.hardware,
        storage: d.storage,
        operands: d.operands,
        display: d.display,
    }));
    made.push((d.name(), rounding, variant));
    Ok(variant)
}

/// A multiplier by its design name.
pub fn by_name(name: &str) -> Result<&'static Design, Unknown> {
    DESIGNS
        .iter()
        .find(|d| d.name() == name)
        .ok_or_else(|| Unknown {
            kind: "design",
            name: name.to_string(),
            valid: DESIGNS
                .iter()
                .map(|d| d.name())
                .collect::<Vec<_>>()
                .join(", "),
        })
}

/// A storage format by its name.
pub fn storage_by_name(name: &str) -> Result<&'static dyn Codec, Unknown> {
    STORAGE
        .iter()
        .copied()
        .find(|c| c.name() == name)
        .ok_or_else(|| Unknown {
            kind: "format",
            name: name.to_string(),
            valid: STORAGE
                .iter()
                .map(|c| c.name())
                .collect::<Vec<_>>()
                .join(", "),
        })
}
