//! What CPU a benchmark ran on: every figure names it (the kernels'
//! speeds differ between an AVX2-only Zen 3 and an AVX-512 Zen 4).

/// The model name from `/proc/cpuinfo`, or `unknown CPU`.
pub fn model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim().to_string())
        })
        .filter(|m| !m.is_empty())
        .unwrap_or_else(|| "unknown CPU".to_string())
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
