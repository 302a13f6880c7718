//! Writing outputs so that a reader never sees half of one, and nothing is
//! replaced that the user did not mean to replace.
//!
//! * A regular file (or a path that does not exist yet) is written to a
//!   uniquely named temporary file beside it (`tempfile`), which is renamed
//!   over the target only when the whole content is written; on any error,
//!   and on SIGINT/SIGTERM, the temporary file is removed. Two concurrent
//!   runs writing the same file never share a temporary name.
//! * A character device or a FIFO (`/dev/null`, `/dev/stdout`, a named
//!   pipe) is what the user asked to stream into: it is written in place,
//!   never replaced by a regular file.
//! * Anything else that exists (a directory, a block device, a socket, a
//!   symbolic link to a regular file) is refused with a one-line error.
//! * [`refuse_same`] refuses an output that is one of the inputs.
//! * [`StagedDir`] builds a whole directory (a report) beside its target
//!   and swaps it in at the end, so that a killed run leaves the previous
//!   directory whole.

use std::io;
use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::path::{Path, PathBuf};

use crate::tools::cleanup;

/// How an output path is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// A regular file or a new path: through a temporary file and a rename.
    File,
    /// A character device or FIFO: written in place.
    Stream,
}

fn refused(path: &Path, what: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("refusing to replace {}: it is {what}", path.display()),
    )
}

/// Suffixes of the writer's temporaries (`.NAME.XXXXXX.tmp`) and staging
/// directories (`.NAME.XXXXXX.staging`).
const TEMPORARY: [&str; 2] = [".tmp", ".staging"];

/// True for the name of a temporary file or staging directory this module
/// makes (what a run that was killed outright may leave behind).
pub fn is_temporary(name: &str) -> bool {
    name.starts_with('.') && TEMPORARY.iter().any(|t| name.ends_with(t))
}

/// Classifies `path` as an output, or refuses it.
pub fn target(path: &Path) -> io::Result<Target> {
    if path.file_name().is_none() {
        return Err(refused(path, "a directory"));
    }
    let meta = match std::fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Target::File),
        Err(e) => return Err(e),
    };
    let kind = meta.file_type();
    if kind.is_file() {
        return Ok(Target::File);
    }
    if kind.is_symlink() {
        // `/dev/stdout` and `/dev/fd/N` are links to whatever the shell
        // opened; any other link to a stream is followed too. A link to a
        // regular file is refused: replacing it would cut the link.
        let followed = std::fs::metadata(path);
        let streams = followed
            .as_ref()
            .map(|m| m.file_type().is_char_device() || m.file_type().is_fifo())
            .unwrap_or(false);
        let dev = path.starts_with("/dev") || path.starts_with("/proc/self/fd");
        if streams || (dev && followed.is_ok()) {
            return Ok(Target::Stream);
        }
        return Err(refused(
            path,
            "a symbolic link (name the file it points to instead)",
        ));
    }
    if kind.is_char_device() || kind.is_fifo() {
        return Ok(Target::Stream);
    }
    let what = if kind.is_dir() {
        "a directory"
    } else if kind.is_block_device() {
        "a block device"
    } else {
        "a socket"
    };
    Err(refused(path, what))
}

/// Lets `write` fill a temporary file, then renames it to `path`; on an
/// error the temporary file is removed and `path` is left untouched. A
/// stream target (see [`target`]) is handed to `write` directly.
pub fn replace_with<E: From<io::Error>>(
    path: &Path,
    write: impl FnOnce(&Path) -> Result<(), E>,
) -> Result<(), E> {
    if target(path)? == Target::Stream {
        return write(path);
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(TEMPORARY[0])
        .permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666))
        .tempfile_in(dir)?;
    let registered = cleanup::register(tmp.path());
    let result = write(tmp.path());
    let result = result.and_then(|()| {
        tmp.persist(path).map_err(|e| E::from(e.error))?;
        Ok(())
    });
    drop(registered);
    result
}

/// Writes `bytes` to `path` atomically (or in place for a stream).
pub fn write_atomic(path: &Path, bytes: impl AsRef<[u8]>) -> io::Result<()> {
    replace_with(path, |tmp| std::fs::write(tmp, bytes.as_ref()))
}

/// Refuses `output` when it is the same file as one of `inputs` (compared
/// by device and inode, so that `./w.npy` and `w.npy` or a hard link are
/// caught too). Streams (`/dev/stdout`) are never an input's twin.
pub fn refuse_same(output: &Path, inputs: &[&Path]) -> io::Result<()> {
    let Ok(out) = std::fs::metadata(output) else {
        return Ok(());
    };
    if !out.file_type().is_file() {
        return Ok(());
    }
    for input in inputs {
        if let Ok(m) = std::fs::metadata(input) {
            if m.dev() == out.dev() && m.ino() == out.ino() {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!(
                        "{} is also an input ({}); writing it would destroy the input",
                        output.display(),
                        input.display()
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// A directory built beside `target` and swapped in by [`StagedDir::commit`].
/// Dropped without a commit (an error, a panic), it is removed and `target`
/// is left as it was.
pub struct StagedDir {
    target: PathBuf,
    dir: Option<tempfile::TempDir>,
    _registered: cleanup::Registered,
}

impl StagedDir {
    /// Starts a directory that will replace `target`. `target` must not
    /// exist, or be a directory that `replaceable` accepts (a report
    /// replaces only an earlier report, never a directory of the user's).
    pub fn new(target: &Path, replaceable: impl Fn(&Path) -> bool) -> io::Result<StagedDir> {
        match std::fs::symlink_metadata(target) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
            Ok(m) if !m.file_type().is_dir() => {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!("{} exists and is not a directory", target.display()),
                ))
            }
            Ok(_) if !replaceable(target) => {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!(
                        "{} exists and does not hold an rf8 report (no summary.json by rf8); \
                         choose another directory or remove it",
                        target.display()
                    ),
                ))
            }
            Ok(_) => {}
        }
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent)?;
        let name = target.file_name().unwrap_or_default().to_string_lossy();
        let dir = tempfile::Builder::new()
            .prefix(&format!(".{name}."))
            .suffix(TEMPORARY[1])
            .tempdir_in(&parent)?;
        let registered = cleanup::register(dir.path());
        Ok(StagedDir {
            target: target.to_path_buf(),
            dir: Some(dir),
            _registered: registered,
        })
    }

    /// Where to build the directory.
    pub fn path(&self) -> &Path {
        self.dir.as_ref().expect("not committed").path()
    }

    /// Puts the staged directory in place of the target: one atomic
    /// exchange where the file system supports it, else two renames (a
    /// kill between them leaves the old directory as `.NAME.*.old`).
    pub fn commit(mut self) -> io::Result<()> {
        let staged = self.dir.take().expect("committed once").keep();
        if !self.target.exists() {
            return std::fs::rename(&staged, &self.target);
        }
        if exchange(&staged, &self.target).is_ok() {
            // `staged` now holds the previous directory.
            return std::fs::remove_dir_all(&staged);
        }
        let old = staged.with_extension("old");
        std::fs::rename(&self.target, &old)?;
        std::fs::rename(&staged, &self.target)?;
        std::fs::remove_dir_all(&old)
    }
}

/// Swaps two paths atomically (Linux `renameat2(RENAME_EXCHANGE)`).
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let a = CString::new(a.as_os_str().as_bytes()).map_err(io::Error::other)?;
    let b = CString::new(b.as_os_str().as_bytes()).map_err(io::Error::other)?;
    // SAFETY: both are valid NUL-terminated paths relative to the current
    // directory; the call reads them only.
    let r = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if r == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leftovers(dir: &Path) -> Vec<String> {
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| is_temporary(n))
            .collect()
    }

    #[test]
    fn failed_writes_leave_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.v");
        write_atomic(&target, "first").unwrap();
        let r: Result<(), io::Error> = replace_with(&target, |tmp| {
            std::fs::write(tmp, "half")?;
            Err(io::Error::other("failed"))
        });
        assert!(r.is_err());
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "first");
        assert!(leftovers(dir.path()).is_empty());
    }

    #[test]
    fn new_files_get_the_usual_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.v");
        write_atomic(&target, "x").unwrap();
        let mode = std::fs::metadata(&target).unwrap().permissions().mode();
        assert_eq!(
            mode & 0o444,
            0o444,
            "readable by all (umask permitting): {mode:o}"
        );
    }

    #[test]
    fn concurrent_writers_do_not_share_a_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("same.v");
        std::thread::scope(|s| {
            for i in 0..8 {
                let t = &target;
                s.spawn(move || {
                    for _ in 0..50 {
                        write_atomic(t, format!("writer {i}\n")).unwrap();
                    }
                });
            }
        });
        assert!(std::fs::read_to_string(&target)
            .unwrap()
            .starts_with("writer "));
        assert!(leftovers(dir.path()).is_empty());
    }

    #[test]
    fn devices_fifos_and_links_are_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        // /dev/null is written in place and stays a device.
        write_atomic(Path::new("/dev/null"), "x").unwrap();
        assert!(std::fs::metadata("/dev/null")
            .unwrap()
            .file_type()
            .is_char_device());
        // A directory (and "/") is refused.
        let e = write_atomic(dir.path(), "x").unwrap_err();
        assert!(e.to_string().contains("it is a directory"), "{e}");
        assert!(write_atomic(Path::new("/"), "x").is_err());
        // A link to a regular file is refused and left as a link.
        let file = dir.path().join("real.txt");
        std::fs::write(&file, "keep").unwrap();
        let link = dir.path().join("link.txt");
        std::os::unix::fs::symlink(&file, &link).unwrap();
        let e = write_atomic(&link, "x").unwrap_err();
        assert!(e.to_string().contains("symbolic link"), "{e}");
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "keep");
        assert!(leftovers(dir.path()).is_empty());
    }

    #[test]
    fn an_output_that_is_an_input_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("w.npy");
        std::fs::write(&a, "w").unwrap();
        let via_dot = dir.path().join(".").join("w.npy");
        assert!(refuse_same(&via_dot, &[&a]).is_err());
        let hard = dir.path().join("hard.npy");
        std::fs::hard_link(&a, &hard).unwrap();
        assert!(refuse_same(&hard, &[&a]).is_err());
        assert!(refuse_same(&dir.path().join("y.npy"), &[&a]).is_ok());
        assert!(refuse_same(Path::new("/dev/null"), &[Path::new("/dev/null")]).is_ok());
    }

    #[test]
    fn a_staged_directory_replaces_only_at_commit() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("report");
        std::fs::create_dir(&target).unwrap();
        std::fs::write(target.join("summary.json"), "old").unwrap();
        let ok = |p: &Path| p.join("summary.json").exists();
        // Dropped without commit: the old directory is whole.
        {
            let s = StagedDir::new(&target, ok).unwrap();
            std::fs::write(s.path().join("summary.json"), "new").unwrap();
        }
        assert_eq!(
            std::fs::read_to_string(target.join("summary.json")).unwrap(),
            "old"
        );
        let s = StagedDir::new(&target, ok).unwrap();
        std::fs::write(s.path().join("summary.json"), "new").unwrap();
        s.commit().unwrap();
        assert_eq!(
            std::fs::read_to_string(target.join("summary.json")).unwrap(),
            "new"
        );
        assert!(leftovers(dir.path()).is_empty());
        // A directory that is not a report is refused.
        let home = dir.path().join("home");
        std::fs::create_dir(&home).unwrap();
        assert!(StagedDir::new(&home, ok).is_err());
    }
}
