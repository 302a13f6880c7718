//! Build cache: simulator builds are keyed by a hash of everything that
//! goes into them (Verilog, harness, flags, tool version), so a design is
//! compiled once and reused until it changes.

use std::path::PathBuf;

/// 64-bit FNV-1a over the parts, in order, with separators. Stable across
/// runs and Rust versions (unlike `DefaultHasher`).
pub fn hash(parts: &[&str]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for &byte in part.as_bytes().iter().chain([0xffu8].iter()) {
            h ^= byte as u64;
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

/// The cache root: `$RF8_CACHE_DIR`, else `$XDG_CACHE_HOME/rf8`, else
/// `~/.cache/rf8`, else a directory under the system's temporary directory.
pub fn root() -> PathBuf {
    if let Some(dir) = std::env::var_os("RF8_CACHE_DIR") {
        return PathBuf::from(dir);
    }
    if let Some(dir) = std::env::var_os("XDG_CACHE_HOME") {
        return PathBuf::from(dir).join("rf8");
    }
    if let Some(home) = std::env::var_os("HOME") {
        return PathBuf::from(home).join(".cache").join("rf8");
    }
    std::env::temp_dir().join("rf8-cache")
}

#[cfg(test)]
mod tests {
    #[test]
    fn hash_is_stable_and_separates_parts() {
        assert_eq!(super::hash(&["a", "b"]), super::hash(&["a", "b"]));
        assert_ne!(super::hash(&["ab", ""]), super::hash(&["a", "b"]));
    }
}
