//! The docs that list things name every one of them (issue 29): each
//! subcommand in README's command table, each multiplier in README,
//! docs/format.md and rtl/README.md, each dot-product unit in
//! docs/architecture.md, each MAC unit in docs/architecture.md and
//! docs/verification.md, each storage format in README, each report step in
//! docs/report.md's table and each `rf8 eval` row in docs/model.md. A new
//! command, format or step that the docs forget fails here.

mod common;

fn read(rel: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn missing(text: &str, names: impl IntoIterator<Item = String>) -> Vec<String> {
    names
        .into_iter()
        .filter(|n| !text.contains(n.as_str()))
        .collect()
}

#[test]
fn every_subcommand_is_in_the_readme_table() {
    let out = common::rf8(&["--help"]);
    let help = String::from_utf8_lossy(&out.stdout);
    let commands: Vec<String> = help
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .map(|c| format!("| `rf8 {c}"))
        .collect();
    assert!(commands.len() >= 13, "{help}");
    let gone = missing(&read("README.md"), commands);
    assert!(gone.is_empty(), "README's command table lacks {gone:?}");
}

#[test]
fn every_format_and_unit_is_in_the_docs_that_list_them() {
    let muls: Vec<String> = rf8::DESIGNS
        .iter()
        .map(|d| format!("`{}`", d.name()))
        .collect();
    for doc in ["README.md", "docs/format.md", "rtl/README.md"] {
        let gone = missing(&read(doc), muls.clone());
        assert!(gone.is_empty(), "{doc} lacks {gone:?}");
    }
    let units = rf8::catalog::DOT_UNITS
        .iter()
        .map(|u| format!("`dot_{}`", u.reference.format));
    let gone = missing(&read("docs/architecture.md"), units);
    assert!(gone.is_empty(), "docs/architecture.md lacks {gone:?}");
    let macs: Vec<String> = rf8::catalog::MAC_UNITS
        .iter()
        .map(|u| format!("`mac_{}_n<N>`", u.stem()))
        .collect();
    for doc in ["docs/architecture.md", "docs/verification.md"] {
        let gone = missing(&read(doc), macs.clone());
        assert!(gone.is_empty(), "{doc} lacks {gone:?}");
    }
    let storage = rf8::catalog::STORAGE
        .iter()
        .map(|c| format!("`{}`", c.name()));
    let gone = missing(&read("README.md"), storage);
    assert!(gone.is_empty(), "README lacks {gone:?}");
    let rows = rf8::model::Backend::all()
        .into_iter()
        .map(|b| format!("`{}`", b.name()));
    let gone = missing(&read("docs/model.md"), rows);
    assert!(gone.is_empty(), "docs/model.md lacks {gone:?}");
}

#[test]
fn every_report_step_is_in_docs_report() {
    let src = read("src/report/mod.rs");
    let steps: Vec<String> = regex::Regex::new(r#"\("([a-z]+)", "[^"]+", [a-z]+::run\)"#)
        .unwrap()
        .captures_iter(&src)
        .map(|c| format!("| `{}` |", &c[1]))
        .collect();
    assert!(steps.len() >= 7, "the step list was not found");
    let gone = missing(&read("docs/report.md"), steps);
    assert!(
        gone.is_empty(),
        "docs/report.md's step table lacks {gone:?}"
    );
}
