//! The MAC units of spec section 9 in the datapath step: their synthesis
//! jobs, the per-lane table with the derived figures (LUTs per lane,
//! sustained rate and MAC/s per LUT at K = 4096, the reconstruction's share
//! of a dot product) and the verdict on RF8 against INT8's and E4M3's
//! cheapest designs, computed from the rows, never written by hand.

use crate::area::range::best;
use crate::area::{plan, pnr, AreaRow, Device, Job, Unit};
use crate::catalog::{mac_defaults, MacInstance, MAC_DEFAULT_LANES};
use crate::table::Table;

/// The dot-product length of the derived figures.
pub const K: u64 = 4096;

/// The lane count of the report's MAC table.
pub const LANES: usize = 8;

/// Every MAC unit at N = 8 on the four families under the default recipe,
/// logic only, and INT8's with DSP blocks allowed on ECP5 and Xilinx (a
/// user's INT8 MAC would use them; Gowin's Yosys 0.23 flow maps none);
/// Fmax on iCE40. N = 1 adds about 1.5 minutes to a cold report, which has
/// none to spare: `make area-mac` runs N = 1, 2, 4, 8, 16 under every
/// recipe. The quick report: iCE40, no Fmax.
pub fn jobs(quick: bool) -> Vec<Job> {
    let devices: &[Device] = if quick {
        &[Device::Ice40]
    } else {
        &Device::ALL
    };
    let mut v = Vec::new();
    for &device in devices {
        let Some(recipe) = plan::recipe_for(device, false) else {
            continue;
        };
        for u in mac_defaults() {
            if u.lanes != LANES {
                continue;
            }
            let place = !quick && device == Device::Ice40 && pnr::places(device, recipe, false);
            let job = |dsp| Job {
                m: Unit::Mac(u),
                device,
                recipe,
                dsp,
                pipeline: 0,
                place: place && !dsp,
                check: false,
            };
            v.push(job(false));
            let dsp_family = matches!(device, Device::Ecp5 | Device::Xilinx);
            if u.design.reference.format == "int8" && dsp_family && !quick {
                v.push(job(true));
            }
        }
    }
    v
}

/// Groups per clock over a dot product of `k` products (`k / N` groups,
/// then the unit's stall).
pub fn rate(u: &MacInstance, k: u64) -> f64 {
    let groups = (k / u.lanes as u64).max(1) as f64;
    let stall = (u.design.hardware.stall)(u.lanes) as f64;
    groups / (groups + stall)
}

/// One unit's figures on one family (logic only or with DSPs).
#[derive(Clone, Debug, serde::Serialize)]
pub struct Figures {
    pub family: &'static str,
    pub unit: String,
    pub lanes: usize,
    pub dsp: bool,
    pub luts: u64,
    pub luts_per_lane: f64,
    pub brams: u64,
    pub dsps: u64,
    pub ffs: u64,
    pub fmax_mhz: Option<f64>,
    /// Groups per clock at K = 4096.
    pub rate: f64,
    /// Stall cycles over the K = 4096 dot product's groups.
    pub recon_fraction: f64,
    /// lanes x rate x Fmax / LUTs, where Fmax was measured.
    pub macs_per_second_per_lut: Option<f64>,
}

/// The figures of every unit that has a row.
pub fn figures(rows: &[AreaRow]) -> Vec<Figures> {
    let mut out = Vec::new();
    for d in Device::ALL {
        for u in mac_defaults() {
            for dsp in [false, true] {
                let Some(b) = best(rows, &u.name(), d.name(), dsp) else {
                    continue;
                };
                let r = rate(&u, K);
                let groups = (K / u.lanes as u64) as f64;
                let fmax = rows
                    .iter()
                    .find(|x| x.design == u.name() && x.device == d.name() && x.dsp_enabled == dsp)
                    .and_then(|x| x.fmax_mhz);
                out.push(Figures {
                    family: d.name(),
                    unit: u.name(),
                    lanes: u.lanes,
                    dsp,
                    luts: b.luts,
                    luts_per_lane: b.luts as f64 / u.lanes as f64,
                    brams: b.brams,
                    dsps: b.dsps,
                    ffs: b.ffs,
                    fmax_mhz: fmax,
                    rate: r,
                    recon_fraction: (u.design.hardware.stall)(u.lanes) as f64 / groups,
                    macs_per_second_per_lut: fmax
                        .map(|f| u.lanes as f64 * r * f * 1e6 / b.luts.max(1) as f64),
                });
            }
        }
    }
    out
}

/// The table of [`figures`].
pub fn table(figs: &[Figures]) -> Table {
    let mut t = Table::new(&[
        "family",
        "unit",
        "DSPs allowed",
        "LUTs",
        "per lane",
        "BRAM",
        "DSPs",
        "FFs",
        "Fmax MHz",
        "groups/clock at K=4096",
        "stall share",
        "kMAC/s per LUT",
    ]);
    for f in figs {
        t.push(vec![
            f.family.into(),
            format!("`{}`", f.unit),
            if f.dsp { "yes" } else { "no" }.into(),
            f.luts.to_string(),
            format!("{:.0}", f.luts_per_lane),
            f.brams.to_string(),
            f.dsps.to_string(),
            f.ffs.to_string(),
            f.fmax_mhz.map_or("-".into(), |x| format!("{x:.1}")),
            format!("{:.3}", f.rate),
            format!("{:.1}%", 100.0 * f.recon_fraction),
            f.macs_per_second_per_lut
                .map_or("-".into(), |x| format!("{:.0}", x / 1e3)),
        ]);
    }
    t
}

/// The cheapest design (fewest LUTs) of `format` at `lanes` on `family`,
/// synthesised with DSP blocks allowed or not (`dsp`).
fn cheapest<'a>(
    figs: &'a [Figures],
    family: &str,
    format: &str,
    lanes: usize,
    dsp: bool,
) -> Option<&'a Figures> {
    figs.iter()
        .filter(|f| f.family == family && f.lanes == lanes && f.dsp == dsp)
        .filter(|f| {
            let stem = f.unit.trim_start_matches("mac_");
            stem.strip_prefix(format)
                .is_some_and(|rest| rest.starts_with("_n") || rest.starts_with("_eia_n"))
        })
        .min_by_key(|f| f.luts)
}

/// `mac_rf8_eia_n8` (1631 LUTs, 16 BRAM, 46.0 MHz).
fn describe(f: &Figures) -> String {
    let mut extra = Vec::new();
    if f.brams > 0 {
        extra.push(format!("{} BRAM", f.brams));
    }
    if f.dsps > 0 {
        extra.push(format!("{} DSP", f.dsps));
    }
    if let Some(x) = f.fmax_mhz {
        extra.push(format!("{x:.1} MHz"));
    }
    let extra = if extra.is_empty() {
        String::new()
    } else {
        format!(", {}", extra.join(", "))
    };
    format!("`{}` ({} LUTs{extra})", f.unit, f.luts)
}

/// The verdict, one line per family and lane count: the cheapest RF8
/// design and its LUT ratio to the cheapest logic-only INT8 and E4M3
/// designs, with their block RAM, and INT8 with DSP blocks beside where
/// the family has them.
pub fn verdict(figs: &[Figures]) -> String {
    let mut out = String::new();
    for d in Device::ALL {
        for &n in MAC_DEFAULT_LANES.iter() {
            let (Some(r), Some(i)) = (
                cheapest(figs, d.name(), "rf8", n, false),
                cheapest(figs, d.name(), "int8", n, false),
            ) else {
                continue;
            };
            let e = cheapest(figs, d.name(), "fp8_e4m3", n, false);
            let ratio = r.luts as f64 / i.luts.max(1) as f64;
            let word = if ratio < 1.0 { "cheaper" } else { "dearer" };
            out += &format!(
                "* {} N = {n}: RF8's cheapest is {}, {ratio:.2}x the LUTs of INT8's cheapest in logic {} ({word})",
                d.name(),
                describe(r),
                describe(i),
            );
            if let Some(e) = e {
                out += &format!(
                    "; {:.2}x E4M3's cheapest {}",
                    r.luts as f64 / e.luts.max(1) as f64,
                    describe(e)
                );
            }
            if let Some(x) = cheapest(figs, d.name(), "int8", n, true) {
                out += &format!(
                    "; INT8 with DSP blocks needs {} (RF8 {:.1}x its LUTs)",
                    describe(x),
                    r.luts as f64 / x.luts.max(1) as f64
                );
            }
            out += ".\n";
        }
    }
    out
}

/// Rows for the chart: per family, each unit's LUTs per lane at N = 8
/// (logic only), named by its stem.
pub fn chart_rows(rows: &[AreaRow]) -> Vec<AreaRow> {
    let mut all = Vec::new();
    for d in Device::ALL {
        for u in mac_defaults().iter().filter(|u| u.lanes == 8) {
            if let Some(b) = best(rows, &u.name(), d.name(), false) {
                let mut lane = b.clone();
                lane.design = format!("mac_{}", u.design.stem());
                lane.luts = (b.luts as f64 / 8.0).round() as u64;
                all.push(lane);
            }
        }
    }
    all
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::mac_by_name;

    fn fig(unit: &str, luts: u64, dsp: bool) -> Figures {
        Figures {
            family: "ecp5",
            unit: unit.into(),
            lanes: 8,
            dsp,
            luts,
            luts_per_lane: luts as f64 / 8.0,
            brams: u64::from(unit.contains("eia")) * 8,
            dsps: u64::from(dsp) * 8,
            ffs: 0,
            fmax_mhz: None,
            rate: 1.0,
            recon_fraction: 0.0,
            macs_per_second_per_lut: None,
        }
    }

    #[test]
    fn the_verdict_compares_logic_with_logic_and_names_the_dsp_design() {
        let figs = [
            fig("mac_rf8_n8", 3000, false),
            fig("mac_rf8_eia_n8", 1800, false),
            fig("mac_int8_n8", 2400, false),
            fig("mac_int8_n8", 300, true),
            fig("mac_fp8_e4m3_eia_n8", 2000, false),
        ];
        let v = verdict(&figs);
        assert!(
            v.contains("`mac_rf8_eia_n8` (1800 LUTs, 8 BRAM), 0.75x"),
            "{v}"
        );
        assert!(v.contains("(cheaper); 0.90x E4M3's"), "{v}");
        assert!(v.contains("(300 LUTs, 8 DSP) (RF8 6.0x its LUTs)"), "{v}");
        assert_eq!(v.lines().count(), 1);
    }

    #[test]
    fn rates_follow_the_stalls() {
        let reg = mac_by_name("mac_rf8_n8").unwrap();
        assert_eq!(rate(&reg, K), 1.0);
        let eia = mac_by_name("mac_rf8_eia_n8").unwrap();
        // 512 groups, then 35 stall cycles.
        assert!((rate(&eia, K) - 512.0 / 547.0).abs() < 1e-12);
        assert!((rate(&eia, 8) - 1.0 / 36.0).abs() < 1e-12);
    }
}
