//! Reading Yosys' `stat -json` and `ltp` output into an [`AreaRow`].

use std::collections::BTreeMap;

use super::{AreaRow, Device};

/// The kind of a cell type for a device family.
#[derive(Debug, PartialEq, Eq)]
pub enum Kind {
    /// A LUT with this many inputs.
    Lut(usize),
    Carry,
    Dsp,
    Ff,
    Mux,
    /// A block RAM primitive (iCE40 SB_RAM40_4K, ECP5 DP16KD, Xilinx
    /// RAMB18/36, Gowin SDPB/SDPX9/DPB/SP).
    Bram,
    /// A LUT-RAM cell (it occupies LUT sites not counted as LUTs).
    LutRam,
    Other,
}

/// Classifies a cell type of the given family.
pub fn kind(device: Device, cell: &str) -> Kind {
    match device {
        Device::Ice40 => match cell {
            "SB_LUT4" => Kind::Lut(4),
            "SB_CARRY" => Kind::Carry,
            "SB_MAC16" => Kind::Dsp,
            c if c.starts_with("SB_RAM40") => Kind::Bram,
            c if c.starts_with("SB_DFF") => Kind::Ff,
            _ => Kind::Other,
        },
        Device::Ecp5 => match cell {
            "LUT4" => Kind::Lut(4),
            "CCU2C" => Kind::Carry,
            "MULT18X18D" | "ALU54B" => Kind::Dsp,
            "TRELLIS_FF" => Kind::Ff,
            "PFUMX" | "L6MUX21" => Kind::Mux,
            "DP16KD" | "PDPW16KD" => Kind::Bram,
            "TRELLIS_DPR16X4" | "DPR16X4" => Kind::LutRam,
            _ => Kind::Other,
        },
        Device::Xilinx | Device::Gowin => match cell {
            c if c.starts_with("LUT") && c.len() == 4 => Kind::Lut(c[3..].parse().unwrap_or(0)),
            "CARRY4" | "CARRY8" | "ALU" => Kind::Carry,
            c if c.starts_with("DSP48") || c.starts_with("MULT") => Kind::Dsp,
            c if c.starts_with("FD") || c.starts_with("DFF") => Kind::Ff,
            "MUXF7" | "MUXF8" | "MUX2_LUT5" | "MUX2_LUT6" | "MUX2_LUT7" | "MUX2_LUT8" => Kind::Mux,
            c if c.starts_with("RAMB") => Kind::Bram,
            "SDPB" | "SDPX9B" | "SDPX9" | "DPB" | "DPX9B" | "SP" | "SPX9" => Kind::Bram,
            c if c.starts_with("RAM") => Kind::LutRam,
            _ => Kind::Other,
        },
    }
}

/// Builds the row from `stat -json` text and `ltp` text.
pub fn row(
    design: &str,
    top: &str,
    device: Device,
    dsp: bool,
    stat: &str,
    ltp: &str,
) -> Result<AreaRow, String> {
    let json: serde_json::Value =
        serde_json::from_str(stat).map_err(|e| format!("cannot read Yosys stat output: {e}"))?;
    let module = json["modules"]
        .as_object()
        .and_then(|m| m.values().next())
        .ok_or("Yosys stat output has no module")?;
    let mut cells = BTreeMap::new();
    if let Some(by_type) = module["num_cells_by_type"].as_object() {
        for (name, n) in by_type {
            cells.insert(name.clone(), n.as_u64().unwrap_or(0));
        }
    }
    let mut r = AreaRow {
        design: design.to_string(),
        module: top.to_string(),
        device: device.name().to_string(),
        recipe: String::new(),
        dsp_enabled: dsp,
        luts: 0,
        luts_by_size: Vec::new(),
        carries: 0,
        dsps: 0,
        ffs: 0,
        muxes: 0,
        brams: 0,
        lutrams: 0,
        depth: depth(ltp),
        fmax_mhz: None,
        cells: BTreeMap::new(),
        check: None,
        flat: None,
    };
    for (name, &n) in &cells {
        match kind(device, name) {
            Kind::Lut(size) => {
                r.luts += n;
                if matches!(device, Device::Xilinx | Device::Gowin) && size > 0 {
                    if r.luts_by_size.len() < size {
                        r.luts_by_size.resize(size, 0);
                    }
                    r.luts_by_size[size - 1] += n;
                }
            }
            Kind::Carry => r.carries += n,
            Kind::Dsp => r.dsps += n,
            Kind::Ff => r.ffs += n,
            Kind::Mux => r.muxes += n,
            Kind::Bram => r.brams += n,
            Kind::LutRam => r.lutrams += n,
            Kind::Other => {}
        }
    }
    r.cells = cells;
    Ok(r)
}

/// `Longest topological path in top (length=N):` -> N.
fn depth(ltp: &str) -> u64 {
    ltp.lines()
        .filter_map(|l| l.split("(length=").nth(1))
        .filter_map(|rest| rest.split(')').next())
        .filter_map(|n| n.trim().parse().ok())
        .max()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_stat_and_ltp() {
        let stat =
            r#"{"modules": {"\\rf8_mul": {"num_cells_by_type": {"SB_CARRY": 22, "SB_LUT4": 59}}}}"#;
        let r = row(
            "rf8_mul",
            "rf8_mul",
            Device::Ice40,
            false,
            stat,
            "Longest topological path in rf8_mul (length=9):",
        )
        .unwrap();
        assert_eq!((r.luts, r.carries, r.depth), (59, 22, 9));
        assert_eq!(kind(Device::Xilinx, "LUT6"), Kind::Lut(6));
        assert_eq!(kind(Device::Gowin, "ALU"), Kind::Carry);
        assert_eq!(kind(Device::Xilinx, "RAMB18E1"), Kind::Bram);
        assert_eq!(kind(Device::Xilinx, "RAM64M"), Kind::LutRam);
        assert_eq!(kind(Device::Gowin, "SDPX9"), Kind::Bram);
        assert_eq!(kind(Device::Gowin, "RAM16SDP4"), Kind::LutRam);
        assert_eq!(kind(Device::Ice40, "SB_RAM40_4K"), Kind::Bram);
        assert_eq!(kind(Device::Ecp5, "DP16KD"), Kind::Bram);
    }
}
