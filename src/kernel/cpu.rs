//! What CPU a benchmark ran on: every figure names it (the kernels'
//! speeds differ between an AVX2-only Zen 3, an AVX-512 Zen 4 and a Zen 5).

/// The model name from `/proc/cpuinfo` with its family and model numbers
/// (a VM may call every generation just "AMD EPYC": family 25 is Zen 3 or
/// Zen 4, 26 Zen 5), or `unknown CPU`.
pub fn model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .map(|t| describe(&t))
        .unwrap_or_else(|_| "unknown CPU".to_string())
}

/// [`model`] from the text of `/proc/cpuinfo` (its first processor).
fn describe(cpuinfo: &str) -> String {
    let field = |key: &str| {
        cpuinfo
            .lines()
            .filter_map(|l| l.split_once(':'))
            .find(|(k, _)| k.trim() == key)
            .map(|(_, v)| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let name = field("model name").unwrap_or_else(|| "unknown CPU".to_string());
    match (field("cpu family"), field("model")) {
        (Some(family), Some(model)) => format!("{name}, family {family} model {model}"),
        _ => name,
    }
}

/// The SIMD extensions the kernels choose between, as this CPU reports
/// them (detected at run time).
pub fn simd_flags() -> Vec<&'static str> {
    #[cfg(target_arch = "x86_64")]
    {
        let mut flags = Vec::new();
        macro_rules! probe {
            ($($f:tt),*) => {$(
                if is_x86_feature_detected!($f) {
                    flags.push($f);
                }
            )*};
        }
        probe!(
            "avx2",
            "fma",
            "avx512f",
            "avx512bw",
            "avx512vl",
            "avx512vbmi",
            "avx512vnni",
            "avx512bf16"
        );
        flags
    }
    #[cfg(not(target_arch = "x86_64"))]
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::describe;

    #[test]
    fn names_family_and_model() {
        let info = "processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu family\t: 26\n\
                    model\t\t: 2\nmodel name\t: AMD EPYC\n\nprocessor\t: 1\nmodel\t\t: 9\n";
        assert_eq!(describe(info), "AMD EPYC, family 26 model 2");
        assert_eq!(describe("model name\t: Some CPU\n"), "Some CPU");
        assert_eq!(describe(""), "unknown CPU");
    }
}
