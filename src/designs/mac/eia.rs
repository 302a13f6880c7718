//! Exponent-indexed MAC units (spec section 9; Liguori, "Procrastination
//! Is All You Need", arXiv 2406.05866): `mac_rf8_eia_n<N>` and
//! `mac_fp8_e4m3_eia_n<N>`, beside their reference
//! `crate::formats::mac::MacRef`. No product is aligned: lane i adds the
//! small integer `m` of each product into bin `k` of its own bank
//! (`bin_decode.rs`: the product is `m * 2^k`), and after the last group
//! the bins are read back from the top, `acc = 2 acc + sum_i bin_i[k]`,
//! for k = B-1 down to 0 (Horner: the shifts cost nothing).
//!
//! Per lane, a bank of 64 words of BW bits (B of them used) with one
//! synchronous read port and one write port, written by `registers.rs` as
//! a Verilog memory that synthesis maps to block RAM, LUT RAM or
//! flip-flops as the family allows. Cycles:
//!
//! 1. stage A (the cycle a group is taken): `k`, `m` decoded; the bank
//!    reads bin `k` (`raddr`) at the edge; `k_q`, `m_q` registered (`m` is
//!    0 when no group is taken);
//! 2. stage B: `old` is the bin's value: the read data, or, when the
//!    previous cycle wrote the same bin (`bin_hit`: `wk_q == k_q`), the
//!    value written (`wdata_q`): the read at that edge could not see it.
//!    `new = old + m_q` is written back. Every cycle writes (a cycle
//!    without a group writes `old + 0`), so the forward covers every case;
//! 3. after the last group (`pend_q`, one cycle for its stage B), the
//!    reconstruction (`recon_q`) reads bin `j` = B-1 .. 0 of every lane,
//!    one per cycle, and clears each bin the cycle after reading it; the
//!    lanes' read data are summed (`sum`, a chain at `SW = BW + log2 N`
//!    bits) and shifted into the W-bit accumulator. `in_ready` is low from
//!    the last group's stage B to the last read: B + 1 cycles per dot
//!    product.
//!
//! After reset the same pass runs once with no result (`clearing_q`), so
//! the bins start at zero. `BW = |m| bits + H - log2 N` holds the largest
//! bin of the longest dot product (2^H / N products per lane, all in one
//! bin).

use rust_hdl::prelude::*;

use super::bin_decode::{Fp8E4m3Bin, Rf8Bin};

/// Cycles from taking the last group to `out_valid`, for B bins.
pub const fn latency(bins: usize) -> usize {
    bins + 3
}

/// Cycles `in_ready` is low after each dot product, for B bins.
pub const fn stall(bins: usize) -> usize {
    bins + 1
}

/// Bins of the RF8 unit (k in 0..33).
pub const RF8_BINS: usize = 34;

/// Bins of the E4M3 unit (k in 0..28).
pub const FP8_E4M3_BINS: usize = 29;

/// A lane `$lane<BW, SW>` around decoder `$dec` (`m` of `$mw` bits): its
/// stage-B registers and its bank are its own ports, `x_q`/`x_d` pairs and
/// `bins_*`, which the parent ties (`x_q = x_d`, `bins_rdata =
/// bins_wdata`) and `registers.rs` turns into registers and a memory.
macro_rules! eia_lane {
    ($lane:ident, $dec:ident, $mw:literal $(, nan: ($nan_in:ident, $nan_out:ident))?) => {
        /// One lane of an exponent-indexed unit (see the module docs).
        #[derive(LogicBlock)]
        pub struct $lane<const BW: usize, const SW: usize> {
            pub a: Signal<In, Bits<8>>,
            pub b: Signal<In, Bits<8>>,
            /// The group is taken this cycle.
            pub take: Signal<In, Bit>,
            /// Reconstruction: read bin `j`.
            pub recon: Signal<In, Bit>,
            pub j: Signal<In, Bits<6>>,
            /// Clear bin `ja` (read in the previous cycle's reconstruction).
            pub clear: Signal<In, Bit>,
            pub ja: Signal<In, Bits<6>>,
            /// The reconstruction's sum over the lanes before.
            pub sum_in: Signal<In, Bits<SW>>,
            pub sum_out: Signal<Out, Bits<SW>>,
            $(
                /// A NaN operand, in this lane or one before.
                pub $nan_in: Signal<In, Bit>,
                pub $nan_out: Signal<Out, Bit>,
            )?
            // Registers: stage B's bin and integer, the last write.
            pub k_q: Signal<In, Bits<6>>,
            pub k_d: Signal<Out, Bits<6>>,
            pub m_q: Signal<In, Bits<$mw>>,
            pub m_d: Signal<Out, Bits<$mw>>,
            pub wk_q: Signal<In, Bits<6>>,
            pub wk_d: Signal<Out, Bits<6>>,
            pub wdata_q: Signal<In, Bits<BW>>,
            pub wdata_d: Signal<Out, Bits<BW>>,
            // The bank: read data (of the address at the last edge), read
            // address, write address and data (written every cycle).
            pub bins_rdata: Signal<In, Bits<BW>>,
            pub bins_raddr: Signal<Out, Bits<6>>,
            pub bins_waddr: Signal<Out, Bits<6>>,
            pub bins_wdata: Signal<Out, Bits<BW>>,
            dec: $dec,
            bin_hit: Signal<Local, Bit>,
            old: Signal<Local, Bits<BW>>,
            m_wide: Signal<Local, Bits<BW>>,
            new: Signal<Local, Bits<BW>>,
            rdata_wide: Signal<Local, Bits<SW>>,
            m_sign: Constant<Bits<$mw>>,
            m_zero: Constant<Bits<$mw>>,
            m_high: Constant<Bits<BW>>,
            rd_sign: Constant<Bits<BW>>,
            rd_zero: Constant<Bits<BW>>,
            rd_high: Constant<Bits<SW>>,
        }

        impl<const BW: usize, const SW: usize> Default for $lane<BW, SW> {
            fn default() -> Self {
                // Bits from..w set: a sign extension.
                let high = |w: usize, from: usize| {
                    let all = if w >= 64 { u64::MAX } else { (1u64 << w) - 1 };
                    all & !((1u64 << from) - 1)
                };
                $lane {
                    a: Default::default(),
                    b: Default::default(),
                    take: Default::default(),
                    recon: Default::default(),
                    j: Default::default(),
                    clear: Default::default(),
                    ja: Default::default(),
                    sum_in: Default::default(),
                    sum_out: Default::default(),
                    $(
                        $nan_in: Default::default(),
                        $nan_out: Default::default(),
                    )?
                    k_q: Default::default(),
                    k_d: Default::default(),
                    m_q: Default::default(),
                    m_d: Default::default(),
                    wk_q: Default::default(),
                    wk_d: Default::default(),
                    wdata_q: Default::default(),
                    wdata_d: Default::default(),
                    bins_rdata: Default::default(),
                    bins_raddr: Default::default(),
                    bins_waddr: Default::default(),
                    bins_wdata: Default::default(),
                    dec: Default::default(),
                    bin_hit: Default::default(),
                    old: Default::default(),
                    m_wide: Default::default(),
                    new: Default::default(),
                    rdata_wide: Default::default(),
                    m_sign: Constant::new((1u64 << ($mw - 1)).into()),
                    m_zero: Constant::new(0.into()),
                    m_high: Constant::new(high(BW, $mw).into()),
                    rd_sign: Constant::new((1u64 << (BW - 1)).into()),
                    rd_zero: Constant::new(0.into()),
                    rd_high: Constant::new(high(SW, BW).into()),
                }
            }
        }

        impl<const BW: usize, const SW: usize> Logic for $lane<BW, SW> {
            #[hdl_gen]
            fn update(&mut self) {
                self.dec.a.next = self.a.val();
                self.dec.b.next = self.b.val();
                // Stage A: the bin to read, and the integer for stage B.
                if self.recon.val() {
                    self.bins_raddr.next = self.j.val();
                    self.k_d.next = self.j.val();
                } else {
                    self.bins_raddr.next = self.dec.k.val();
                    self.k_d.next = self.dec.k.val();
                }
                if self.take.val() {
                    self.m_d.next = self.dec.m.val();
                } else {
                    self.m_d.next = self.m_zero.val();
                }
                // Stage B: the bin's value (forwarded on a hit), plus m.
                self.bin_hit.next = self.wk_q.val() == self.k_q.val();
                if self.bin_hit.val() {
                    self.old.next = self.wdata_q.val();
                } else {
                    self.old.next = self.bins_rdata.val();
                }
                if (self.m_q.val() & self.m_sign.val()) != self.m_zero.val() {
                    self.m_wide.next = self.m_high.val() | bit_cast::<BW, $mw>(self.m_q.val());
                } else {
                    self.m_wide.next = bit_cast::<BW, $mw>(self.m_q.val());
                }
                self.new.next = self.old.val() + self.m_wide.val();
                if self.clear.val() {
                    self.bins_waddr.next = self.ja.val();
                    self.wk_d.next = self.ja.val();
                    self.bins_wdata.next = self.rd_zero.val();
                    self.wdata_d.next = self.rd_zero.val();
                } else {
                    self.bins_waddr.next = self.k_q.val();
                    self.wk_d.next = self.k_q.val();
                    self.bins_wdata.next = self.new.val();
                    self.wdata_d.next = self.new.val();
                }
                // The reconstruction's sum of the lanes' read data.
                if (self.bins_rdata.val() & self.rd_sign.val()) != self.rd_zero.val() {
                    self.rdata_wide.next =
                        self.rd_high.val() | bit_cast::<SW, BW>(self.bins_rdata.val());
                } else {
                    self.rdata_wide.next = bit_cast::<SW, BW>(self.bins_rdata.val());
                }
                self.sum_out.next = self.sum_in.val() + self.rdata_wide.val();
                $(self.$nan_out.next = self.$nan_in.val() | self.dec.nan.val();)?
            }
        }
    };
}

eia_lane!(Rf8EiaLane, Rf8Bin, 6);
eia_lane!(Fp8E4m3EiaLane, Fp8E4m3Bin, 9, nan: (nan_in, nan_out));

/// An exponent-indexed MAC unit `$name<N, AW, BW, SW, W>` of `$lane`s with
/// `$bins` bins (`AW = 8 N`); for E4M3 the `invalid` signals.
macro_rules! eia_mac {
    (
        $name:ident, $lane:ident, $bins:expr, $doc:expr
        $(, invalid: ($invalid:ident, $inv_q:ident, $inv_d:ident, $res_q:ident, $res_d:ident, $out_q:ident, $out_d:ident, $nan:ident, $nan_in:ident, $nan_out:ident))?
    ) => {
        #[doc = $doc]
        #[derive(LogicBlock)]
        pub struct $name<
            const N: usize,
            const AW: usize,
            const BW: usize,
            const SW: usize,
            const W: usize,
        > {
            /// Synchronous reset, active high.
            pub rst: Signal<In, Bit>,
            /// `a`, `b`, `in_last` hold a group.
            pub in_valid: Signal<In, Bit>,
            /// The group is taken this cycle.
            pub in_ready: Signal<Out, Bit>,
            /// The group ends the dot product.
            pub in_last: Signal<In, Bit>,
            /// Lane i's first operand, in bits `[8 i +: 8]`.
            pub a: Signal<In, Bits<AW>>,
            /// Lane i's second operand, in bits `[8 i +: 8]`.
            pub b: Signal<In, Bits<AW>>,
            /// `acc` holds a finished dot product.
            pub out_valid: Signal<Out, Bit>,
            /// The dot product, W-bit two's complement.
            pub acc: Signal<Out, Bits<W>>,
            $(
                /// A NaN operand occurred in the dot product.
                pub $invalid: Signal<Out, Bit>,
            )?
            // Registers (`x_q`, `x_d`; see `registers.rs`). Control: the last group's stage B, the reconstruction (bin
            // j), the read data of bin ja (first, last), the pass after
            // reset.
            pub pend_q: Signal<In, Bit>,
            pub pend_d: Signal<Out, Bit>,
            pub recon_q: Signal<In, Bit>,
            pub recon_d: Signal<Out, Bit>,
            pub j_q: Signal<In, Bits<6>>,
            pub j_d: Signal<Out, Bits<6>>,
            pub sv_q: Signal<In, Bit>,
            pub sv_d: Signal<Out, Bit>,
            pub sfirst_q: Signal<In, Bit>,
            pub sfirst_d: Signal<Out, Bit>,
            pub slast_q: Signal<In, Bit>,
            pub slast_d: Signal<Out, Bit>,
            pub ja_q: Signal<In, Bits<6>>,
            pub ja_d: Signal<Out, Bits<6>>,
            pub clearing_q: Signal<In, Bit>,
            pub clearing_d: Signal<Out, Bit>,
            pub acc_q: Signal<In, Bits<W>>,
            pub acc_d: Signal<Out, Bits<W>>,
            pub done_q: Signal<In, Bit>,
            pub done_d: Signal<Out, Bit>,
            $(
                pub $inv_q: Signal<In, Bit>,
                pub $inv_d: Signal<Out, Bit>,
                pub $res_q: Signal<In, Bit>,
                pub $res_d: Signal<Out, Bit>,
                pub $out_q: Signal<In, Bit>,
                pub $out_d: Signal<Out, Bit>,
            )?
            lanes: [$lane<BW, SW>; N],
            ready: Signal<Local, Bit>,
            take: Signal<Local, Bit>,
            $($nan: Signal<Local, Bit>,)?
            sum: Signal<Local, Bits<SW>>,
            sum_wide: Signal<Local, Bits<W>>,
            doubled: Signal<Local, Bits<W>>,
            top_bin: Constant<Bits<6>>,
            j_zero: Constant<Bits<6>>,
            j_one: Constant<Bits<6>>,
            sw_zero: Constant<Bits<SW>>,
            sw_sign: Constant<Bits<SW>>,
            w_high: Constant<Bits<W>>,
            w_one: Constant<Bits<8>>,
        }

        impl<
                const N: usize,
                const AW: usize,
                const BW: usize,
                const SW: usize,
                const W: usize,
            > Default for $name<N, AW, BW, SW, W>
        {
            fn default() -> Self {
                assert!(AW == 8 * N && BW <= SW && SW < W, "widths follow the lanes");
                $name {
                    rst: Default::default(),
                    in_valid: Default::default(),
                    in_ready: Default::default(),
                    in_last: Default::default(),
                    a: Default::default(),
                    b: Default::default(),
                    out_valid: Default::default(),
                    acc: Default::default(),
                    $($invalid: Default::default(),)?
                    pend_q: Default::default(),
                    pend_d: Default::default(),
                    recon_q: Default::default(),
                    recon_d: Default::default(),
                    j_q: Default::default(),
                    j_d: Default::default(),
                    sv_q: Default::default(),
                    sv_d: Default::default(),
                    sfirst_q: Default::default(),
                    sfirst_d: Default::default(),
                    slast_q: Default::default(),
                    slast_d: Default::default(),
                    ja_q: Default::default(),
                    ja_d: Default::default(),
                    clearing_q: Default::default(),
                    clearing_d: Default::default(),
                    acc_q: Default::default(),
                    acc_d: Default::default(),
                    done_q: Default::default(),
                    done_d: Default::default(),
                    $(
                        $inv_q: Default::default(),
                        $inv_d: Default::default(),
                        $res_q: Default::default(),
                        $res_d: Default::default(),
                        $out_q: Default::default(),
                        $out_d: Default::default(),
                    )?
                    lanes: std::array::from_fn(|_| Default::default()),
                    ready: Default::default(),
                    take: Default::default(),
                    $($nan: Default::default(),)?
                    sum: Default::default(),
                    sum_wide: Default::default(),
                    doubled: Default::default(),
                    top_bin: Constant::new((($bins - 1) as u64).into()),
                    j_zero: Constant::new(0.into()),
                    j_one: Constant::new(1.into()),
                    sw_zero: Constant::new(0.into()),
                    sw_sign: Constant::new((1u64 << (SW - 1)).into()),
                    w_high: Constant::new(
                        Bits::<W>::mask() - bit_cast::<W, SW>(Bits::<SW>::mask()),
                    ),
                    w_one: Constant::new(1.into()),
                }
            }
        }

        impl<
                const N: usize,
                const AW: usize,
                const BW: usize,
                const SW: usize,
                const W: usize,
            > Logic for $name<N, AW, BW, SW, W>
        {
            #[hdl_gen]
            fn update(&mut self) {
                // Groups are taken unless a reconstruction is due or runs.
                self.ready.next = !self.rst.val() & !self.pend_q.val() & !self.recon_q.val();
                self.in_ready.next = self.ready.val();
                self.take.next = self.in_valid.val() & self.ready.val();
                for i in 0..N {
                    self.lanes[i].a.next = self.a.val().get_bits::<8>(i * 8);
                    self.lanes[i].b.next = self.b.val().get_bits::<8>(i * 8);
                    self.lanes[i].take.next = self.take.val();
                    self.lanes[i].recon.next = self.recon_q.val();
                    self.lanes[i].j.next = self.j_q.val();
                    self.lanes[i].clear.next = self.sv_q.val();
                    self.lanes[i].ja.next = self.ja_q.val();
                    // Ties that `registers.rs` makes registers and banks.
                    self.lanes[i].k_q.next = self.lanes[i].k_d.val();
                    self.lanes[i].m_q.next = self.lanes[i].m_d.val();
                    self.lanes[i].wk_q.next = self.lanes[i].wk_d.val();
                    self.lanes[i].wdata_q.next = self.lanes[i].wdata_d.val();
                    self.lanes[i].bins_rdata.next = self.lanes[i].bins_wdata.val();
                }
                self.lanes[0].sum_in.next = self.sw_zero.val();
                $(self.lanes[0].$nan_in.next = false;)?
                for i in 1..N {
                    self.lanes[i].sum_in.next = self.lanes[i - 1].sum_out.val();
                    $(self.lanes[i].$nan_in.next = self.lanes[i - 1].$nan_out.val();)?
                }
                // The last lane ends the chains (a loop of one: rust-hdl
                // resolves an index only from loop variables).
                for i in (N - 1)..N {
                    self.sum.next = self.lanes[i].sum_out.val();
                    $(self.$nan.next = self.take.val() & self.lanes[i].$nan_out.val();)?
                }
                // Control.
                self.pend_d.next = self.take.val() & self.in_last.val();
                if self.rst.val() | self.pend_q.val() {
                    self.recon_d.next = true;
                    self.j_d.next = self.top_bin.val();
                } else if self.recon_q.val() {
                    self.recon_d.next = self.j_q.val() != self.j_zero.val();
                    self.j_d.next = self.j_q.val() - self.j_one.val();
                } else {
                    self.recon_d.next = false;
                    self.j_d.next = self.j_q.val();
                }
                self.sv_d.next = self.recon_q.val() & !self.rst.val();
                self.sfirst_d.next = self.recon_q.val() & (self.j_q.val() == self.top_bin.val());
                self.slast_d.next = self.recon_q.val() & (self.j_q.val() == self.j_zero.val());
                self.ja_d.next = self.j_q.val();
                if self.rst.val() {
                    self.clearing_d.next = true;
                } else if self.sv_q.val() & self.slast_q.val() {
                    self.clearing_d.next = false;
                } else {
                    self.clearing_d.next = self.clearing_q.val();
                }
                // The reconstruction: acc = 2 acc + the lanes' bin j.
                if (self.sum.val() & self.sw_sign.val()) != self.sw_zero.val() {
                    self.sum_wide.next = self.w_high.val() | bit_cast::<W, SW>(self.sum.val());
                } else {
                    self.sum_wide.next = bit_cast::<W, SW>(self.sum.val());
                }
                self.doubled.next = self.acc_q.val() << self.w_one.val();
                if self.sv_q.val() & self.sfirst_q.val() {
                    self.acc_d.next = self.sum_wide.val();
                } else if self.sv_q.val() {
                    self.acc_d.next = self.doubled.val() + self.sum_wide.val();
                } else {
                    self.acc_d.next = self.acc_q.val();
                }
                self.done_d.next = self.sv_q.val()
                    & self.slast_q.val()
                    & !self.clearing_q.val()
                    & !self.rst.val();
                $(
                    // A NaN seen in this dot product (`inv`), its verdict
                    // at the last group (`res`), and at the result (`out`:
                    // the next dot product's last group may come in the
                    // result's cycle).
                    if self.rst.val() {
                        self.$inv_d.next = false;
                        self.$res_d.next = false;
                    } else if self.take.val() & self.in_last.val() {
                        self.$inv_d.next = false;
                        self.$res_d.next = self.$inv_q.val() | self.nan.val();
                    } else {
                        self.$inv_d.next = self.$inv_q.val() | self.nan.val();
                        self.$res_d.next = self.$res_q.val();
                    }
                    if self.sv_q.val() & self.slast_q.val() {
                        self.$out_d.next = self.$res_q.val();
                    } else {
                        self.$out_d.next = self.$out_q.val();
                    }
                    self.$invalid.next = self.$out_q.val();
                )?
                self.acc.next = self.acc_q.val();
                self.out_valid.next = self.done_q.val();
            }
        }
    };
}

eia_mac!(
    MacRf8Eia,
    Rf8EiaLane,
    RF8_BINS,
    "`mac_rf8_eia_n<N>`: N RF8 lanes into exponent-indexed bins, reconstructed after each dot product."
);

eia_mac!(
    MacFp8E4m3Eia,
    Fp8E4m3EiaLane,
    FP8_E4M3_BINS,
    "`mac_fp8_e4m3_eia_n<N>`: N E4M3 lanes into exponent-indexed bins, reconstructed after each dot product; `invalid` when a NaN occurred.",
    invalid: (invalid, inv_q, inv_d, invres_q, invres_d, invout_q, invout_d, nan, nan_in, nan_out)
);
