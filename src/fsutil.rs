//! Writing files so that a reader never sees half of one: everything the
//! project writes (generated Verilog, caches, charts, tensors) goes to a
//! temporary file beside the target and is renamed into place.

use std::path::{Path, PathBuf};

/// The temporary name beside `path` (`name.ext.tmp`).
fn temporary(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".tmp");
    path.with_file_name(name)
}

/// Lets `write` fill a temporary file, then renames it to `path`; on an
/// error the temporary file is removed and `path` is left untouched.
pub fn replace_with<E: From<std::io::Error>>(
    path: &Path,
    write: impl FnOnce(&Path) -> Result<(), E>,
) -> Result<(), E> {
    let tmp = temporary(path);
    match write(&tmp) {
        Ok(()) => Ok(std::fs::rename(&tmp, path)?),
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e)
        }
    }
}

/// Writes `bytes` to `path` atomically.
pub fn write_atomic(path: &Path, bytes: impl AsRef<[u8]>) -> std::io::Result<()> {
    replace_with(path, |tmp| std::fs::write(tmp, bytes.as_ref()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failed_writes_leave_nothing_behind() {
        let dir = std::env::temp_dir().join(format!("rf8-fsutil-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let target = dir.join("out.v");
        write_atomic(&target, "first").unwrap();
        let r: Result<(), std::io::Error> = replace_with(&target, |tmp| {
            std::fs::write(tmp, "half")?;
            Err(std::io::Error::other("failed"))
        });
        assert!(r.is_err());
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "first");
        assert!(!temporary(&target).exists());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
