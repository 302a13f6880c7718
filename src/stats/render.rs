//! The error statistics as aligned text tables, one per measure, for the
//! command line (`rf8 error`): the library renders, the CLI prints.

use super::error::ErrorStats;
use super::matvec::MatvecError;
use super::products::ProductStats;

/// One line per storage format: bits, RMSE, relative RMSE, SQNR, mean and
/// largest relative error, flushed and saturated shares.
pub fn error_table(formats: &[ErrorStats]) -> String {
    let mut out = format!(
        "{:<13} {:>5} {:>11} {:>9} {:>8} {:>9} {:>9} {:>9} {:>9}\n",
        "format",
        "bits",
        "RMSE",
        "rel.RMSE",
        "SQNR dB",
        "mean rel",
        "max rel",
        "flushed",
        "saturated"
    );
    for f in formats {
        out += &format!(
            "{:<13} {:>5.2} {:>11.4e} {:>9.4} {:>8.2} {:>9.4} {:>9.4} {:>9.2e} {:>9.2e}\n",
            f.format,
            f.bits_per_value,
            f.rmse,
            f.relative_rmse,
            f.sqnr_db,
            f.mean_rel_error,
            f.max_rel_error,
            f.flushed,
            f.saturated
        );
    }
    out
}

/// One line per format: the relative L2 error of `y = W x`.
pub fn matvec_table(formats: &[MatvecError]) -> String {
    let mut out = format!("{:<16} {:>12}\n", "format", "rel. L2");
    for f in formats {
        out += &format!("{:<16} {:>12.4e}\n", f.format, f.relative_l2);
    }
    out
}

/// One line per multiplier: its datapath's error against the exact product
/// of its operands, and its end-to-end error against the unquantised
/// product.
pub fn product_table(multipliers: &[ProductStats]) -> String {
    let mut out = format!(
        "{:<18} {:>13} {:>13} {:>13} {:>13} {:>13} {:>9}\n",
        "multiplier",
        "datapath rms",
        "datapath mean",
        "datapath max",
        "e2e rel.rms",
        "e2e mean",
        "SQNR dB"
    );
    for m in multipliers {
        out += &format!(
            "{:<18} {:>13.4} {:>13.4} {:>13.4} {:>13.4} {:>13.4} {:>9.2}\n",
            m.design,
            m.datapath_rel_rmse,
            m.datapath_mean_rel,
            m.datapath_max_rel,
            m.end_to_end_rel_rmse,
            m.end_to_end_mean_rel,
            m.end_to_end_sqnr_db
        );
    }
    out
}
