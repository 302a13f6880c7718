//! The dot-product units in rust-hdl (spec section 8), beside their
//! references in `crate::formats::dot`. Each format has a lane block (its
//! multiplier as a sub-block, the product turned into the accumulator's
//! fixed point, added to the running sum of the lanes before it: rust-hdl
//! cannot accumulate in a loop, as a kernel never reads `.next`), and
//! [`dot_unit!`] chains N lanes from `acc_in` to `acc_out`. The sum is
//! exact, so its order does not change the result.

pub mod exact;
pub mod float;
pub mod fp32_add;
pub mod fp8;
pub mod rf8;
pub mod widen;

pub use exact::{DotFp4E2m1, DotInt8};
pub use float::{DotBf16, DotFp16};
pub use fp8::DotFp8E4m3;
pub use rf8::DotRf8;

use super::verilog::generate;
use super::GenError;

/// Lane counts the generators are built for (rust-hdl sizes every port
/// at compile time, so each count is its own Rust type).
pub const LANES: [usize; 6] = [1, 2, 4, 8, 16, 32];

/// Headrooms H the fixed-point generators are built for (`W = P + 1 + H`;
/// 20 is the spec's default).
pub const HEADROOMS: [u32; 3] = [12, 20, 28];

/// The spec's default headroom.
pub const DEFAULT_HEADROOM: u32 = 20;

/// The hardware of a dot-product unit: its Verilog at any lane count of
/// [`LANES`] and headroom of [`HEADROOMS`] (ignored by the binary32
/// units).
#[derive(Clone, Copy, Debug)]
pub struct DotHardware {
    /// Verilog of the unit with `lanes` lanes and headroom `h`, as module
    /// `module`.
    pub verilog: fn(lanes: usize, h: u32, module: &str) -> Result<String, GenError>,
    /// The Rust source file of the design.
    pub source: &'static str,
    /// The places a pipelined unit of `lanes` lanes may put its registers,
    /// in dataflow order: each a cut, the signals (of the inlined module)
    /// whose readers run one stage later (see `pipeline_cuts.rs`).
    pub cuts: fn(lanes: usize) -> Vec<Vec<String>>,
}

/// Signal `signal` of every lane: `lanes__<i>__<signal>`.
fn every_lane(lanes: usize, signal: &str) -> Vec<String> {
    (0..lanes)
        .map(|i| format!("lanes__{i}__{signal}"))
        .collect()
}

/// The middle of a fixed-point unit's accumulation chain: the running sum
/// after lane N/2 - 1 (none for one lane).
fn mid_chain(lanes: usize) -> Vec<Vec<String>> {
    if lanes >= 2 {
        vec![vec![format!("lanes__{}__sum_out", lanes / 2 - 1)]]
    } else {
        Vec::new()
    }
}

/// rf8: the product code, the product in the accumulator's fixed point,
/// the middle of the chain.
fn rf8_cuts(lanes: usize) -> Vec<Vec<String>> {
    let mut v = vec![every_lane(lanes, "y"), every_lane(lanes, "p")];
    v.extend(mid_chain(lanes));
    v
}

/// int8, fp4, fp6: the product (already fixed point), the middle of the
/// chain.
pub(crate) fn product_cuts(lanes: usize) -> Vec<Vec<String>> {
    let mut v = vec![every_lane(lanes, "y")];
    v.extend(mid_chain(lanes));
    v
}

/// fp8: the significand product, the aligned signed product, the middle of
/// the chain.
fn fp8_cuts(lanes: usize) -> Vec<Vec<String>> {
    let mut v = vec![every_lane(lanes, "prod"), every_lane(lanes, "p")];
    v.extend(mid_chain(lanes));
    v
}

/// fp16, bf16: the products, each level of the adder tree (nodes numbered
/// in order, as in `float.rs`), the accumulator adder's raw sum.
fn float_cuts(lanes: usize) -> Vec<Vec<String>> {
    let mut v = vec![every_lane(lanes, "y")];
    let mut span = 2;
    while span <= lanes {
        let nodes = (0..lanes / span).map(|m| format!("adders__{}__y", span * m + span / 2 - 1));
        v.push(nodes.collect());
        span *= 2;
    }
    v.push(vec![format!("adders__{}__sum", lanes - 1)]);
    v
}

/// A lane count or headroom the generators are not built for.
pub(crate) fn unsupported(lanes: usize, h: u32) -> GenError {
    GenError::Check {
        module: format!("n{lanes} h{h}"),
        reason: format!(
            "dot-product units are built for {LANES:?} lanes and headroom {HEADROOMS:?}"
        ),
    }
}

/// `match (lanes, h)` over [`LANES`] x [`HEADROOMS`], generating
/// `$unit<N, $cw N, $p + 1 + H>`.
macro_rules! fixed_point_generator {
    ($unit:ident, $cw:literal, $p:literal, $lanes:expr, $h:expr, $module:expr) => {
        fixed_point_generator!(@n $unit, $cw, $p, $lanes, $h, $module, [12, 20, 28], [1, 2, 4, 8, 16, 32])
    };
    (@n $unit:ident, $cw:literal, $p:literal, $lanes:expr, $h:expr, $module:expr, $hs:tt, [$($n:literal),*]) => {
        match $lanes {
            $($n => fixed_point_generator!(@h $unit, $cw, $p, $n, $h, $module, $hs),)*
            _ => Err($crate::designs::dot::unsupported($lanes, $h)),
        }
    };
    (@h $unit:ident, $cw:literal, $p:literal, $n:literal, $h:expr, $module:expr, [$($hh:literal),*]) => {
        match $h {
            $($hh => $crate::designs::verilog::generate::<$unit<$n, { $cw * $n }, { $p + 1 + $hh }>>($module),)*
            _ => Err($crate::designs::dot::unsupported($n, $h)),
        }
    };
}

fn rf8_verilog(lanes: usize, h: u32, module: &str) -> Result<String, GenError> {
    fixed_point_generator!(DotRf8, 8, 35, lanes, h, module)
}

fn int8_verilog(lanes: usize, h: u32, module: &str) -> Result<String, GenError> {
    fixed_point_generator!(DotInt8, 8, 15, lanes, h, module)
}

fn fp8_e4m3_verilog(lanes: usize, h: u32, module: &str) -> Result<String, GenError> {
    fixed_point_generator!(DotFp8E4m3, 8, 36, lanes, h, module)
}

fn fp4_e2m1_verilog(lanes: usize, h: u32, module: &str) -> Result<String, GenError> {
    fixed_point_generator!(DotFp4E2m1, 4, 8, lanes, h, module)
}

pub(crate) use fixed_point_generator;

/// `match lanes` over [`LANES`], generating `$unit<N, 16 N>` (the
/// binary32 units have no headroom).
macro_rules! float_generator {
    ($unit:ident, $lanes:expr, $h:expr, $module:expr) => {
        float_generator!(@n $unit, $lanes, $h, $module, [1, 2, 4, 8, 16, 32])
    };
    (@n $unit:ident, $lanes:expr, $h:expr, $module:expr, [$($n:literal),*]) => {
        match $lanes {
            $($n => generate::<$unit<$n, { 16 * $n }>>($module),)*
            _ => Err(unsupported($lanes, $h)),
        }
    };
}

fn fp16_verilog(lanes: usize, h: u32, module: &str) -> Result<String, GenError> {
    float_generator!(DotFp16, lanes, h, module)
}

fn bf16_verilog(lanes: usize, h: u32, module: &str) -> Result<String, GenError> {
    float_generator!(DotBf16, lanes, h, module)
}

/// `dot_rf8`.
pub const RF8: DotHardware = DotHardware {
    verilog: rf8_verilog,
    source: "src/designs/dot/rf8.rs",
    cuts: rf8_cuts,
};

/// `dot_int8`.
pub const INT8: DotHardware = DotHardware {
    verilog: int8_verilog,
    source: "src/designs/dot/exact.rs",
    cuts: product_cuts,
};

/// `dot_fp8_e4m3`.
pub const FP8_E4M3: DotHardware = DotHardware {
    verilog: fp8_e4m3_verilog,
    source: "src/designs/dot/fp8.rs",
    cuts: fp8_cuts,
};

/// `dot_fp4_e2m1`.
pub const FP4_E2M1: DotHardware = DotHardware {
    verilog: fp4_e2m1_verilog,
    source: "src/designs/dot/exact.rs",
    cuts: product_cuts,
};

/// `dot_fp16`.
pub const FP16: DotHardware = DotHardware {
    verilog: fp16_verilog,
    source: "src/designs/dot/float.rs",
    cuts: float_cuts,
};

/// `dot_bf16`.
pub const BF16: DotHardware = DotHardware {
    verilog: bf16_verilog,
    source: "src/designs/dot/float.rs",
    cuts: float_cuts,
};

/// A unit of N lanes of `$lane<W>` on `$w`-bit codes: `a`, `b` packed
/// buses (`AW = $w N` bits, lane i in bits `[$w i +: $w]`), `acc_in`,
/// `acc_out` W bits. Every lane block has ports `a`, `b`, `sum_in`,
/// `sum_out`.
macro_rules! dot_unit {
    ($name:ident, $lane:ident, $w:tt, $doc:expr) => {
        #[doc = $doc]
        #[derive(LogicBlock)]
        pub struct $name<const N: usize, const AW: usize, const W: usize> {
            /// Lane i's first operand, in bits `[w i +: w]`.
            pub a: Signal<In, Bits<AW>>,
            /// Lane i's second operand, in bits `[w i +: w]`.
            pub b: Signal<In, Bits<AW>>,
            /// The accumulator before.
            pub acc_in: Signal<In, Bits<W>>,
            /// The accumulator after.
            pub acc_out: Signal<Out, Bits<W>>,
            lanes: [$lane<W>; N],
        }

        impl<const N: usize, const AW: usize, const W: usize> Default for $name<N, AW, W> {
            fn default() -> Self {
                assert_eq!(AW, $w * N, "AW is the code width times the lanes");
                $name {
                    a: Default::default(),
                    b: Default::default(),
                    acc_in: Default::default(),
                    acc_out: Default::default(),
                    lanes: std::array::from_fn(|_| Default::default()),
                }
            }
        }

        impl<const N: usize, const AW: usize, const W: usize> Logic for $name<N, AW, W> {
            #[hdl_gen]
            fn update(&mut self) {
                self.lanes[0].sum_in.next = self.acc_in.val();
                for i in 0..N {
                    self.lanes[i].a.next = self.a.val().get_bits::<$w>(i * $w);
                    self.lanes[i].b.next = self.b.val().get_bits::<$w>(i * $w);
                }
                for i in 1..N {
                    self.lanes[i].sum_in.next = self.lanes[i - 1].sum_out.val();
                }
                // The last lane (a loop of one: rust-hdl resolves an index
                // only from loop variables).
                for i in (N - 1)..N {
                    self.acc_out.next = self.lanes[i].sum_out.val();
                }
            }
        }
    };
}
pub(crate) use dot_unit;
