//! Issue 13: every command of its "Why" list gives a one-line error and
//! the documented exit code with no file changed; outputs never replace
//! devices, links or inputs; tools that hang or break are reported by
//! name; children die with `rf8`. Fake tools are shell scripts put first
//! on `PATH`.

mod common;

use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

fn rf8_in(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rf8"));
    cmd.current_dir(dir).args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run rf8")
}

/// Exit code `code`, one line on stderr starting `rf8: error:` and
/// containing `needle`, nothing on stdout.
fn assert_error(out: &Output, code: i32, needle: &str) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(code), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    assert!(stderr.starts_with("rf8: error: "), "{stderr}");
    assert!(stderr.contains(needle), "'{needle}' not in: {stderr}");
    assert!(
        out.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    stderr
}

/// An f32 `.npy` file by the library's writer; `fortran` turns its
/// header's `'fortran_order': False` into `True ` (same length).
fn npy(dir: &Path, name: &str, shape: &[usize], fortran: bool, values: &[f32]) -> PathBuf {
    let path = dir.join(name);
    let data = values.iter().flat_map(|v| v.to_le_bytes()).collect();
    rf8::tensors::write_npy(&path, "<f4", shape, data).unwrap();
    if fortran {
        let text = std::fs::read(&path).unwrap();
        let (from, to) = (b"'fortran_order': False", b"'fortran_order': True ");
        let at = text.windows(from.len()).position(|w| w == from).unwrap();
        let mut bytes = text.clone();
        bytes[at..at + from.len()].copy_from_slice(to);
        std::fs::write(&path, bytes).unwrap();
    }
    path
}

/// A directory with `w.npy` (16 x 16) and `x.npy` (16).
fn matvec_inputs(name: &str) -> PathBuf {
    let dir = common::temp_dir(name);
    let w: Vec<f32> = (0..256).map(|i| (i as f32 - 128.0) / 64.0).collect();
    npy(&dir, "w.npy", &[16, 16], false, &w);
    npy(&dir, "x.npy", &[16], false, &[0.5; 16]);
    dir
}

fn matvec(dir: &Path, weights: &str, output: &str) -> Output {
    rf8_in(
        dir,
        &[
            "matvec",
            "--weights",
            weights,
            "--input",
            "x.npy",
            "--mode",
            "w8a32",
            "--output",
            output,
        ],
        &[],
    )
}

fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| rf8::fsutil::is_temporary(n))
        .collect()
}

#[test]
fn sizes_beyond_memory_are_refused_before_allocating() {
    let dir = common::temp_dir("limits");
    for (args, needle) in [
        (
            &["bench", "--rows", "100000000"][..],
            "needs 6.0 TiB of memory",
        ),
        (&["bench", "--cols", "18446744073709551615"], "of memory"),
        (
            &["error", "--samples", "1e12"],
            "--samples 1000000000000 needs",
        ),
        (
            &["verify", "--vectors", "18446744073709551615"],
            "between 0 and 4294967296",
        ),
        (
            &["verify", "--vectors", "4294967296", "--design", "fp16_mul"],
            "of memory",
        ),
        (&["bench", "--probe-mib", "0"], "--probe-mib 0: at least"),
        (
            &["bench", "--probe-mib", "18446744073709551615"],
            "--probe-mib",
        ),
        (
            &["bench", "--threads", "100000"],
            "--threads 100000: between 1 and",
        ),
        (&["bench", "--threads", "0"], "--threads 0"),
        (
            &["bench", "--reps", "1000000000000"],
            "--reps 1000000000000: between 1 and 1000",
        ),
        (
            &["error", "--gamma", "1e-300", "--beta", "1"],
            "--gamma in [0.1, 100]",
        ),
        (
            &["verify", "--pipeline", "9"],
            "at most 3 pipeline registers",
        ),
        (&["area", "--pipeline", "9"], "at most 3 pipeline registers"),
    ] {
        let start = Instant::now();
        let out = rf8_in(&dir, args, &[]);
        // `verify --vectors 2^32` on this machine may fit in memory: then
        // it must not have been run here (it would take minutes).
        if out.status.code() == Some(0) {
            panic!("{args:?} was accepted");
        }
        assert_error(&out, 2, needle);
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "{args:?} is slow"
        );
    }
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        0,
        "no file written"
    );
}

#[test]
fn wrongly_accepted_inputs_are_clear_errors() {
    let dir = matvec_inputs("accepted");
    let out = matvec(&dir, "w.npy:no_such_tensor", "y.npy");
    assert_error(&out, 2, "':no_such_tensor' names one");
    let f: Vec<f32> = (0..256).map(|i| i as f32).collect();
    npy(&dir, "f.npy", &[16, 16], true, &f);
    assert_error(&matvec(&dir, "f.npy", "y.npy"), 2, "Fortran order");
    npy(&dir, "nan.npy", &[4, 4], false, &[f32::NAN; 16]);
    let out = rf8_in(&dir, &["error", "--tensor", "nan.npy"], &[]);
    assert_error(&out, 2, "no finite values");
    let out = rf8_in(&dir, &["fit", "--tensor", "nan.npy"], &[]);
    assert_error(&out, 2, "no finite values");
    assert!(!dir.join("y.npy").exists());
}

#[test]
fn an_output_equal_to_an_input_is_refused_and_the_input_kept() {
    let dir = matvec_inputs("same");
    let before = std::fs::read(dir.join("w.npy")).unwrap();
    for output in ["w.npy", "./w.npy", "x.npy"] {
        assert_error(&matvec(&dir, "w.npy", output), 2, "is also an input");
    }
    assert_eq!(std::fs::read(dir.join("w.npy")).unwrap(), before);
}

#[test]
fn devices_links_and_directories_are_not_replaced() {
    let dir = matvec_inputs("targets");
    // /dev/null is written in place and stays a device.
    let out = matvec(&dir, "w.npy", "/dev/null");
    assert_eq!(out.status.code(), Some(0));
    assert!(std::fs::metadata("/dev/null")
        .unwrap()
        .file_type()
        .is_char_device());
    // A link to a file is refused, the link and its file kept.
    std::fs::write(dir.join("real.npy"), "keep").unwrap();
    std::os::unix::fs::symlink("real.npy", dir.join("link.npy")).unwrap();
    assert_error(&matvec(&dir, "w.npy", "link.npy"), 2, "symbolic link");
    assert_eq!(std::fs::read(dir.join("real.npy")).unwrap(), b"keep");
    // A directory, and "/", are refused, with no temporary left beside.
    std::fs::create_dir(dir.join("sub")).unwrap();
    assert_error(&matvec(&dir, "w.npy", "sub"), 2, "it is a directory");
    assert_error(&matvec(&dir, "w.npy", "/"), 2, "it is a directory");
    assert!(!Path::new("/.tmp").exists());
    // A FIFO is streamed into: a reader gets the whole file.
    let fifo = dir.join("pipe.npy");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let reader = std::thread::spawn({
        let fifo = fifo.clone();
        move || std::fs::read(fifo).unwrap()
    });
    let out = matvec(&dir, "w.npy", "pipe.npy");
    assert_eq!(out.status.code(), Some(0));
    let bytes = reader.join().unwrap();
    assert!(bytes.starts_with(b"\x93NUMPY"), "{} bytes", bytes.len());
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
    assert!(leftovers(&dir).is_empty(), "{:?}", leftovers(&dir));
}

#[test]
fn an_unwritable_output_is_exit_2_and_leaves_nothing() {
    let dir = matvec_inputs("unwritable");
    let out = matvec(&dir, "w.npy", "no/such/dir/y.npy");
    assert_error(&out, 2, "no/such/dir");
    assert!(leftovers(&dir).is_empty());
}

#[test]
fn concurrent_gen_runs_into_one_directory_all_succeed() {
    let dir = common::temp_dir("gen-concurrent");
    let out = dir.join("rtl");
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let out = out.clone();
            std::thread::spawn(move || {
                Command::new(env!("CARGO_BIN_EXE_rf8"))
                    .args(["gen", "--out", out.to_str().unwrap()])
                    .output()
                    .unwrap()
            })
        })
        .collect();
    for h in handles {
        let o = h.join().unwrap();
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    assert!(leftovers(&out).is_empty(), "{:?}", leftovers(&out));
    assert_eq!(
        std::fs::read_to_string(out.join("rf8_mul.v")).unwrap(),
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("rtl/rf8_mul.v"))
            .unwrap()
    );
}

#[test]
fn errors_are_one_line_with_control_characters_escaped() {
    let dir = common::temp_dir("one-line");
    // Two tensors, one with a newline and an escape in its name.
    let data: Vec<u8> = [1f32; 4].iter().flat_map(|v| v.to_le_bytes()).collect();
    let view = || safetensors::tensor::TensorView::new(safetensors::Dtype::F32, vec![2, 2], &data);
    let tensors = vec![
        ("bad\nname\x1b[31m", view().unwrap()),
        ("b", view().unwrap()),
    ];
    std::fs::write(
        dir.join("m.safetensors"),
        safetensors::tensor::serialize(tensors, &None).unwrap(),
    )
    .unwrap();
    npy(&dir, "x.npy", &[2], false, &[1.0, 2.0]);
    let out = matvec(&dir, "m.safetensors", "y.npy");
    let line = assert_error(&out, 2, "bad\\nname\\u{1b}[31m");
    assert!(!line.contains('\x1b'));
    // `rf8` alone: one line on stderr naming the commands, exit 2.
    let out = rf8_in(&dir, &[], &[]);
    assert_error(&out, 2, "no command given; one of: encode");
    // A bad timeout in the environment is refused, not ignored.
    let out = rf8_in(&dir, &["decode", "0"], &[("RF8_TOOL_TIMEOUT", "10min")]);
    assert_error(&out, 2, "RF8_TOOL_TIMEOUT: '10min' is not a timeout");
    // A usage error comes before any progress line.
    let out = rf8_in(&dir, &["verify", "--vectors", "1e20"], &[]);
    assert_error(&out, 2, "too large");
}

/// A directory of fake tools: `name` answers `--version`, then runs
/// `body` for anything else.
fn fake_tools(dir: &Path, tools: &[(&str, &str)]) -> String {
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    for (name, body) in tools {
        let path = bin.join(name);
        std::fs::write(
            &path,
            format!(
                "#!/bin/sh\nif [ \"$1\" = \"--version\" ]; then echo \"{name} 0.0 (fake)\"; exit 0; fi\n{body}\n"
            ),
        )
        .unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    )
}

/// A fake Yosys that starts a child (`sleep 300`), writes its pid into
/// the returned file and waits for it: `PATH` and the pid file.
fn hanging_yosys(dir: &Path) -> (String, PathBuf) {
    let pidfile = dir.join("sleep.pid");
    let body = format!("sleep 300 & echo $! > {}; wait", pidfile.display());
    (fake_tools(dir, &[("yosys", &body)]), pidfile)
}

/// The pid the fake tool wrote.
fn read_pid(pidfile: &Path) -> u32 {
    std::fs::read_to_string(pidfile)
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

/// True while `pid` is a live (not zombie) process.
fn alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .map(|s| {
            let state = s.rsplit(')').next().unwrap_or("").trim_start();
            !state.starts_with('Z')
        })
        .unwrap_or(false)
}

#[test]
fn a_hanging_yosys_is_killed_at_the_deadline_and_named() {
    let dir = common::temp_dir("hang-yosys");
    let (path, pidfile) = hanging_yosys(&dir);
    let cache = dir.join("cache");
    let start = Instant::now();
    let out = rf8_in(
        &dir,
        &[
            "area",
            "--design",
            "rf8_mul",
            "--device",
            "ice40",
            "--tool-timeout",
            "2",
        ],
        &[("PATH", &path), ("RF8_CACHE_DIR", cache.to_str().unwrap())],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    let last = stderr.lines().last().unwrap();
    assert!(
        last.contains("yosys did not finish within 2 s") && last.contains("yosys.log"),
        "{stderr}"
    );
    assert!(start.elapsed() < Duration::from_secs(30));
    let pid = read_pid(&pidfile);
    std::thread::sleep(Duration::from_millis(200));
    assert!(!alive(pid), "the tool's child survived");
}

#[test]
fn broken_tools_exit_2_in_area_and_verify() {
    let dir = common::temp_dir("broken-tools");
    let path = fake_tools(
        &dir,
        &[
            ("yosys", "echo 'ERROR: broken' >&2; exit 1"),
            ("verilator", "echo '%Error: broken' >&2; exit 1"),
        ],
    );
    let cache = dir.join("cache");
    let env = [
        ("PATH", path.as_str()),
        ("RF8_CACHE_DIR", cache.to_str().unwrap()),
    ];
    let out = rf8_in(
        &dir,
        &["area", "--design", "rf8_mul", "--device", "ice40"],
        &env,
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.lines().last().unwrap().contains("yosys"), "{stderr}");
    let out = rf8_in(&dir, &["verify", "--design", "rf8_mul"], &env);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr
            .lines()
            .last()
            .unwrap()
            .contains("verilator could not build"),
        "{stderr}"
    );
}

#[test]
fn sigterm_kills_the_tools_and_exits_143() {
    let dir = common::temp_dir("sigterm");
    let (path, pidfile) = hanging_yosys(&dir);
    let cache = dir.join("cache");
    let mut child = Command::new(env!("CARGO_BIN_EXE_rf8"))
        .current_dir(&dir)
        .args(["area", "--design", "rf8_mul", "--device", "ice40"])
        .env("PATH", &path)
        .env("RF8_CACHE_DIR", &cache)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while !pidfile.exists() && start.elapsed() < Duration::from_secs(20) {
        std::thread::sleep(Duration::from_millis(20));
    }
    let pid = read_pid(&pidfile);
    assert!(alive(pid));
    // SAFETY: kill(2) on our own child.
    unsafe {
        libc::kill(child.id() as i32, libc::SIGTERM);
    }
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(143));
    std::thread::sleep(Duration::from_millis(200));
    assert!(!alive(pid), "the tool's child survived SIGTERM");
}

#[test]
fn a_killed_report_leaves_the_previous_report_whole() {
    let dir = common::temp_dir("report-kill");
    let out = dir.join("report");
    std::fs::create_dir(&out).unwrap();
    let summary = "{\n  \"generated_by\": \"rf8 0.0.0\"\n}\n";
    std::fs::write(out.join("summary.json"), summary).unwrap();
    std::fs::write(out.join("index.md"), "# previous\n").unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_rf8"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["report", "--quick", "--out", out.to_str().unwrap()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Let it write into its staging directory, then kill it outright.
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(20) {
        let staging = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| e.ok())
            .find(|e| e.file_name().to_string_lossy().contains(".staging"));
        if staging.is_some_and(|s| s.path().join("rtl").exists()) {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["index.md", "summary.json"]);
    assert_eq!(
        std::fs::read_to_string(out.join("summary.json")).unwrap(),
        summary
    );
    // A directory that is not a report is never replaced.
    let home = dir.join("home");
    std::fs::create_dir(&home).unwrap();
    std::fs::write(home.join("notes.txt"), "mine").unwrap();
    let o = rf8_in(
        &dir,
        &["report", "--quick", "--out", home.to_str().unwrap()],
        &[],
    );
    assert_error(&o, 2, "does not hold an rf8 report");
    assert_eq!(
        std::fs::read_to_string(home.join("notes.txt")).unwrap(),
        "mine"
    );
}
