//! Bounds on sizes, counts and threads, checked before anything is
//! allocated or started, so that a mistyped argument is a one-line error
//! naming the limit and the reason instead of an abort ("memory allocation
//! failed"), a panic ("capacity overflow") or a hang.

use std::fmt;

/// A size, count or thread argument out of bounds: the message names the
/// argument, the limit and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LimitError(pub String);

impl fmt::Display for LimitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for LimitError {}

/// Bytes of memory available to new allocations (`MemAvailable` of
/// `/proc/meminfo`, else the total, else 1 TiB when neither is readable).
pub fn available_memory() -> u64 {
    let text = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let field = |key: &str| -> Option<u64> {
        let line = text.lines().find(|l| l.starts_with(key))?;
        let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
        kib.checked_mul(1024)
    };
    field("MemAvailable:")
        .or_else(|| field("MemTotal:"))
        .unwrap_or(1 << 40)
}

/// Bytes as "3.1 GiB".
pub fn human_bytes(bytes: u128) -> String {
    const UNITS: [&str; 7] = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
    let mut v = bytes as f64;
    let mut unit = 0;
    while v >= 1024.0 && unit + 1 < UNITS.len() {
        v /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{v:.1} {}", UNITS[unit])
    }
}

/// Fails unless `bytes` (`None`: more than 2^128, an overflow) fit in the
/// memory available now; `what` names the arguments that asked for it.
pub fn check_memory(what: &str, bytes: Option<u128>) -> Result<(), LimitError> {
    let available = available_memory() as u128;
    match bytes {
        Some(b) if b <= available => Ok(()),
        Some(b) => Err(LimitError(format!(
            "{what} needs {} of memory; this machine has {} available",
            human_bytes(b),
            human_bytes(available)
        ))),
        None => Err(LimitError(format!(
            "{what} needs more memory than any machine has; this one has {} available",
            human_bytes(available)
        ))),
    }
}

/// `n * bytes_each (+ extra)` in u128, `None` on overflow.
pub fn bytes_for(n: u128, bytes_each: u128, extra: u128) -> Option<u128> {
    n.checked_mul(bytes_each)?.checked_add(extra)
}

/// Cores `rf8` may use.
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Fails unless `threads` lies in 1..=4 x cores: more threads than that
/// only compete for the same cores (and 10^5 of them take minutes to
/// start).
pub fn check_threads(flag: &str, threads: usize) -> Result<(), LimitError> {
    let max = 4 * cores();
    if (1..=max).contains(&threads) {
        return Ok(());
    }
    Err(LimitError(format!(
        "{flag} {threads}: between 1 and {max} (4 x the {} cores this machine gives rf8; \
         more threads only compete for them)",
        cores()
    )))
}

/// Fails unless `value` lies in `lo..=hi`; `why` says where the bound
/// comes from.
pub fn check_range(
    flag: &str,
    value: u128,
    lo: u128,
    hi: u128,
    why: &str,
) -> Result<(), LimitError> {
    if (lo..=hi).contains(&value) {
        return Ok(());
    }
    Err(LimitError(format!(
        "{flag} {value}: between {lo} and {hi} ({why})"
    )))
}

/// Bytes of the largest cache of cpu0 (`/sys/devices/system/cpu/cpu0/
/// cache/index*/size`), if the kernel says.
pub fn last_level_cache() -> Option<u64> {
    let dir = std::fs::read_dir("/sys/devices/system/cpu/cpu0/cache").ok()?;
    dir.filter_map(|e| e.ok())
        .filter_map(|e| std::fs::read_to_string(e.path().join("size")).ok())
        .filter_map(|s| {
            let s = s.trim();
            let (num, mult) = match s.strip_suffix('K') {
                Some(n) => (n, 1u64 << 10),
                None => match s.strip_suffix('M') {
                    Some(n) => (n, 1 << 20),
                    None => (s, 1),
                },
            };
            num.parse::<u64>().ok().map(|n| n * mult)
        })
        .max()
}

/// Parses a count: digits (`1000000`, `1_000_000`) or an integral number
/// in scientific notation (`1e6`, `2.5e5`). Bounds are checked by the
/// caller, which knows why they exist.
pub fn parse_count(text: &str) -> Result<u64, String> {
    let t = text.trim().replace('_', "");
    let bad = || format!("'{}' is not a count (digits, or 1e6 style)", text.trim());
    if t.is_empty() || t.starts_with('-') || t.starts_with('+') {
        return Err(bad());
    }
    if t.bytes().all(|b| b.is_ascii_digit()) {
        return t
            .parse::<u64>()
            .map_err(|_| format!("'{}' is too large (at most {})", text.trim(), u64::MAX));
    }
    let v: f64 = t.parse().map_err(|_| bad())?;
    if !(v.is_finite() && v >= 0.0 && v.fract() == 0.0) {
        return Err(bad());
    }
    if v >= 18_446_744_073_709_551_616.0 {
        return Err(format!(
            "'{}' is too large (at most {})",
            text.trim(),
            u64::MAX
        ));
    }
    Ok(v as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_parse_digits_and_scientific_notation() {
        assert_eq!(parse_count("1000000"), Ok(1_000_000));
        assert_eq!(parse_count("1_000"), Ok(1000));
        assert_eq!(parse_count("1e6"), Ok(1_000_000));
        assert_eq!(parse_count("2.5e3"), Ok(2500));
        assert_eq!(parse_count(" 7"), Ok(7));
        assert_eq!(parse_count("18446744073709551615"), Ok(u64::MAX));
        for bad in [
            "",
            "-1",
            "1.5",
            "nan",
            "inf",
            "1e20",
            "18446744073709551616",
            "0x10",
            "1e",
        ] {
            assert!(parse_count(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn memory_limits_name_both_sides() {
        let e = check_memory("--rows 100000000 x --cols 8192", Some(1 << 60)).unwrap_err();
        assert!(e.0.contains("needs 1.0 EiB"), "{e}");
        assert!(e.0.contains("available"), "{e}");
        assert!(check_memory("x", None).is_err());
        assert!(check_memory("x", Some(1024)).is_ok());
    }

    #[test]
    fn thread_limits_follow_the_cores() {
        assert!(check_threads("--threads", 1).is_ok());
        assert!(check_threads("--threads", 4 * cores()).is_ok());
        assert!(check_threads("--threads", 0).is_err());
        let e = check_threads("--threads", 100_000).unwrap_err();
        assert!(e.0.contains("--threads 100000: between 1 and"), "{e}");
    }

    #[test]
    fn human_sizes() {
        assert_eq!(human_bytes(512), "512 B");
        assert_eq!(human_bytes(3 << 30), "3.0 GiB");
    }
}
