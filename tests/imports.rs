//! The import graph of `src/` has no circles between files (issue 29):
//! every `crate::...` and `super::...` path outside test modules is an
//! arrow from its file to the file of the module it names. A module's use
//! of its own submodules (declaring them, re-exporting from them) is
//! structure, not an arrow; arrows from a submodule to its parent, between
//! siblings and across the tree are what may not form a circle.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Module path (`kernel::w8a32`, `` for the crate root) of a file under
/// `src/`.
fn module_of(rel: &str) -> String {
    let rel = rel.trim_end_matches(".rs");
    let rel = rel.trim_end_matches("/mod");
    if rel == "lib" || rel == "main" {
        return String::new();
    }
    rel.replace('/', "::")
}

fn files(dir: &Path, root: &Path, out: &mut Vec<(String, String)>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            files(&p, root, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            let rel = p.strip_prefix(root).unwrap().to_str().unwrap().to_string();
            if rel == "main.rs" || rel.starts_with("cli/") {
                continue; // the binary: it sits above the library
            }
            out.push((rel, std::fs::read_to_string(&p).unwrap()));
        }
    }
}

/// The code of a file without its `#[cfg(test)]` modules and comments.
fn code(text: &str) -> String {
    let mut out = String::new();
    let mut skip_depth: Option<i32> = None;
    let mut depth = 0i32;
    let mut pending_test = false;
    for line in text.lines() {
        let t = line.trim_start();
        if t.starts_with("//") {
            continue;
        }
        if t.starts_with("#[cfg(test)]") {
            pending_test = true;
            continue;
        }
        let opens = line.matches('{').count() as i32;
        let closes = line.matches('}').count() as i32;
        if pending_test
            && skip_depth.is_none()
            && (t.starts_with("mod ") || t.starts_with("pub mod "))
        {
            skip_depth = Some(depth);
        }
        pending_test = false;
        depth += opens - closes;
        if let Some(d) = skip_depth {
            if depth <= d {
                skip_depth = None;
            }
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// Every module path a piece of code names with `crate::` or `super::`
/// (braces expanded one level), resolved from module `m` (`is_dir_mod`:
/// the file is a `mod.rs`, whose `super` is its folder's parent).
fn references(code: &str, m: &str) -> Vec<String> {
    let ident = regex::Regex::new(r"\b(crate|super)((?:::super)*)::(\{[^}]*\}|[A-Za-z_][A-Za-z0-9_]*(?:::[A-Za-z_][A-Za-z0-9_]*)*)").unwrap();
    let parts: Vec<&str> = if m.is_empty() {
        vec![]
    } else {
        m.split("::").collect()
    };
    let mut out = Vec::new();
    for c in ident.captures_iter(code) {
        let base: Vec<&str> = if &c[1] == "crate" {
            vec![]
        } else {
            let ups = 1 + c[2].matches("super").count();
            parts[..parts.len().saturating_sub(ups)].to_vec()
        };
        let tail = &c[3];
        let tails: Vec<String> = if tail.starts_with('{') {
            tail.trim_matches(|ch| ch == '{' || ch == '}')
                .split(',')
                .map(|s| s.trim().split(" as ").next().unwrap().to_string())
                .filter(|s| !s.is_empty() && s != "self")
                .collect()
        } else {
            vec![tail.to_string()]
        };
        for t in tails {
            let mut p: Vec<String> = base.iter().map(|s| s.to_string()).collect();
            p.extend(t.split("::").map(str::to_string));
            out.push(p.join("::"));
        }
    }
    out
}

/// The longest module of `modules` that `path` starts with.
fn resolve<'a>(path: &str, modules: &'a BTreeSet<String>) -> Option<&'a String> {
    let segs: Vec<&str> = path.split("::").collect();
    (1..=segs.len())
        .rev()
        .map(|n| segs[..n].join("::"))
        .find_map(|p| modules.get(&p))
}

fn is_within(child: &str, parent: &str) -> bool {
    parent.is_empty() || child == parent || child.starts_with(&format!("{parent}::"))
}

#[test]
fn src_has_no_import_circles() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut all = Vec::new();
    files(&root, &root, &mut all);
    let modules: BTreeSet<String> = all.iter().map(|(rel, _)| module_of(rel)).collect();
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (rel, text) in &all {
        let m = module_of(rel);
        for r in references(&code(text), &m) {
            if let Some(target) = resolve(&r, &modules) {
                // A module's own submodules are its structure, not arrows.
                if target != &m && !is_within(target, &m) {
                    edges.entry(m.clone()).or_default().insert(target.clone());
                }
            }
        }
    }
    // Circles: strongly connected components of more than one module.
    let reach = |from: &String| -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from.clone()];
        while let Some(n) = stack.pop() {
            for t in edges.get(&n).into_iter().flatten() {
                if seen.insert(t.clone()) {
                    stack.push(t.clone());
                }
            }
        }
        seen
    };
    let mut circles = Vec::new();
    for m in &modules {
        for t in edges.get(m).into_iter().flatten() {
            if reach(t).contains(m) {
                circles.push(format!("{m} -> {t} -> ... -> {m}"));
            }
        }
    }
    assert!(
        circles.is_empty(),
        "import circles in src/:\n{}",
        circles.join("\n")
    );
    // The check sees real arrows (a broken parser would pass vacuously).
    assert!(edges["generate"].contains("catalog") && edges["generate"].contains("designs"));
    assert!(edges["kernel::w8a32"].contains("kernel"));
    assert!(edges["verify::dot_float"].contains("verify::bus_vector"));
}

#[test]
fn references_resolve_super_and_braces() {
    let code = "use super::{check_shape, Options as O};\nuse crate::formats::codec::Codec;\nlet x = super::super::dot::expected();";
    let r = references(code, "verify::dot_float");
    assert_eq!(
        r,
        [
            "verify::check_shape",
            "verify::Options",
            "formats::codec::Codec",
            "dot::expected"
        ]
    );
}

/// The commands under `src/cli/` import only what `cli/mod.rs` shares and
/// the library, never each other (issue 29: `verify` reached into `gen`,
/// `error` into `fit`); what two commands share belongs in the library.
#[test]
fn commands_do_not_import_each_other() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/cli");
    let sibling = regex::Regex::new(r"\bsuper::([a-z_]+)::").unwrap();
    let mut found = Vec::new();
    for e in std::fs::read_dir(&dir).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_none_or(|x| x != "rs") || p.ends_with("mod.rs") {
            continue;
        }
        let text = code(&std::fs::read_to_string(&p).unwrap());
        for c in sibling.captures_iter(&text) {
            found.push(format!("{}: super::{}::", p.display(), &c[1]));
        }
    }
    assert!(
        found.is_empty(),
        "commands importing each other:\n{}",
        found.join("\n")
    );
}
