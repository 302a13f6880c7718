//! Simulating a sequential MAC unit (spec section 9) cycle by cycle, in
//! Verilator or Icarus, with the same stimulus in both: a list of
//! [`Step`]s, each one cycle or more. A group is presented (`in_valid`
//! high) and held until the unit takes it (`in_ready` high at the rising
//! edge); an idle cycle drives `in_valid` low with junk on `a`, `b` and
//! `in_last` (a unit must ignore them); a reset cycle drives `rst` high.
//! Every run starts with 4 reset cycles, as the spec asks, and ends with
//! idle cycles to drain the unit.
//!
//! The harness writes what it saw, one line per event, and the caller
//! compares: `R <cycle> <acc hex> <invalid>` for each cycle with
//! `out_valid` high, `L <cycle>` for each cycle that took a group with
//! `in_last`, `E <cycles> <stalled>` at the end (cycles a presented group
//! waited), and `H <cycle>` when a group waited longer than [`MAX_WAIT`]
//! cycles (the unit hangs). Outputs with X or Z bits in Icarus become
//! [`super::bus::X_VALUE`].

use super::bus::{harness, icarus_run, mask, X_VALUE};
use super::source::Sources;
use super::{first_error, SimError, Simulator};
use crate::tools::{self, cleanup};

/// The most cycles a presented group may wait for `in_ready`.
pub const MAX_WAIT: u64 = 10_000;

/// Reset cycles at the start of every run.
pub const RESET_CYCLES: usize = 4;

/// One step of the stimulus.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// Present a group (`a`, `b` packed, `last`) until it is taken.
    Group { a: u128, b: u128, last: bool },
    /// One cycle with `in_valid` low and these junk values on the inputs.
    Idle { a: u128, b: u128, last: bool },
    /// One cycle with `rst` high.
    Reset,
}

/// A MAC unit under test: its top module and sources, and its widths.
#[derive(Clone, Debug)]
pub struct SeqDut {
    pub top: String,
    pub sources: Sources,
    /// Width of `a` and `b` (lanes x code bits, 1..=128).
    pub bus_width: u32,
    /// Width of `acc` (1..=127).
    pub acc_width: u32,
    /// True when the unit has the `invalid` output.
    pub invalid: bool,
    /// Idle cycles after the last step.
    pub drain: usize,
}

/// One `out_valid` cycle: when, and what the unit gave.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SeqResult {
    pub cycle: u64,
    pub acc: u128,
    pub invalid: bool,
}

/// What the harness saw.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Trace {
    /// Every `out_valid` cycle, in order.
    pub results: Vec<SeqResult>,
    /// The cycles that took a group with `in_last`, in order.
    pub lasts: Vec<u64>,
    /// Cycles simulated (reset and drain included).
    pub cycles: u64,
    /// Cycles a presented group waited for `in_ready`.
    pub stalled: u64,
    /// The cycle a group gave up waiting (the unit hangs), if one did.
    pub hung: Option<u64>,
}

fn words(width: u32) -> usize {
    width.div_ceil(32) as usize
}

/// Simulates `steps` on `dut` in `sim`.
pub fn run(sim: Simulator, dut: &SeqDut, steps: &[Step]) -> Result<Trace, SimError> {
    if !(1..=128).contains(&dut.bus_width) || !(1..=127).contains(&dut.acc_width) {
        return Err(SimError::Run(format!(
            "{}: the sequence harness takes buses of 1 to 128 bits and acc of 1 to 127",
            dut.top
        )));
    }
    let text = match sim {
        Simulator::Verilator => verilator(dut, steps)?,
        Simulator::Icarus => icarus(dut, steps)?,
    };
    parse(&text, dut.acc_width)
}

/// The stimulus as text, one step per line: `op last a b` (op 0 group, 1
/// idle, 2 reset), hex values.
fn stimulus(steps: &[Step]) -> String {
    let mut s = String::with_capacity(steps.len() * 24);
    for st in steps {
        let (op, a, b, last) = match *st {
            Step::Group { a, b, last } => (0, a, b, last),
            Step::Idle { a, b, last } => (1, a, b, last),
            Step::Reset => (2, 0, 0, false),
        };
        s += &format!("{op} {} {a:x} {b:x}\n", u8::from(last));
    }
    s
}

fn parse(text: &str, acc_width: u32) -> Result<Trace, SimError> {
    let mut t = Trace::default();
    let bad = |l: &str| SimError::Run(format!("the sequence harness wrote `{l}`"));
    let mut ended = false;
    for line in text.lines() {
        let f: Vec<&str> = line.split_whitespace().collect();
        let num = |i: usize| -> Result<u64, SimError> {
            f.get(i)
                .and_then(|x| x.parse().ok())
                .ok_or_else(|| bad(line))
        };
        match f.first().copied() {
            Some("R") => {
                let acc = f
                    .get(2)
                    .map(|x| u128::from_str_radix(x, 16).map_or(X_VALUE, |v| v & mask(acc_width)))
                    .ok_or_else(|| bad(line))?;
                t.results.push(SeqResult {
                    cycle: num(1)?,
                    acc,
                    invalid: f.get(3) == Some(&"1"),
                });
            }
            Some("L") => t.lasts.push(num(1)?),
            Some("H") => t.hung = Some(num(1)?),
            Some("E") => {
                t.cycles = num(1)?;
                t.stalled = num(2)?;
                ended = true;
            }
            _ => return Err(bad(line)),
        }
    }
    if !ended && t.hung.is_none() {
        return Err(SimError::Run(
            "the sequence harness stopped before the end".into(),
        ));
    }
    Ok(t)
}

/// C++ that sets a Verilator port of `width` bits from words `w[k..]`.
fn set_port(name: &str, width: u32, k: usize) -> String {
    match width {
        0..=32 => format!("    top->{name} = w[{k}];\n"),
        33..=64 => format!(
            "    top->{name} = (QData)w[{k}] | ((QData)w[{}] << 32);\n",
            k + 1
        ),
        _ => (0..words(width))
            .map(|i| format!("    top->{name}[{i}] = w[{}];\n", k + i))
            .collect(),
    }
}

/// C++ that prints port `name` of `width` bits in hex, high word first.
fn print_port(name: &str, width: u32) -> String {
    match width {
        0..=32 => format!("std::fprintf(fo, \"%x\", (unsigned)top->{name});"),
        33..=64 => format!("std::fprintf(fo, \"%llx\", (unsigned long long)top->{name});"),
        _ => {
            let n = words(width);
            let mut s = format!(
                "std::fprintf(fo, \"%x\", (unsigned)top->{name}[{}]);",
                n - 1
            );
            for i in (0..n - 1).rev() {
                s += &format!(" std::fprintf(fo, \"%08x\", (unsigned)top->{name}[{i}]);");
            }
            s
        }
    }
}

/// The C++ main: reads binary steps (`op, last, a words, b words`) from
/// argv[1], writes the events to argv[2].
fn verilator_main(dut: &SeqDut) -> String {
    let bw = words(dut.bus_width);
    let per = 2 + 2 * bw;
    let set = set_port("a", dut.bus_width, 2) + &set_port("b", dut.bus_width, 2 + bw);
    let invalid = if dut.invalid {
        "(int)top->invalid"
    } else {
        "0"
    };
    format!(
        "// Generated by rf8 verify: a step stream through {top}.\n\
         #include <cstdio>\n#include <cstdint>\n#include \"Vdut.h\"\n#include \"verilated.h\"\n\
         static Vdut* top;\nstatic FILE* fo;\nstatic unsigned long long cycle = 0;\nstatic bool quiet = true;\n\
         // One cycle: settle with clk low, sample, rising edge.\n\
         static void sample() {{\n\
         \x20   top->clk = 0;\n\
         \x20   top->eval();\n\
         \x20   if (!quiet && top->out_valid) {{\n\
         \x20       std::fprintf(fo, \"R %llu \", cycle);\n\
         \x20       {acc}\n\
         \x20       std::fprintf(fo, \" %d\\n\", {invalid});\n\
         \x20   }}\n\
         }}\n\
         static void edge() {{\n\
         \x20   top->clk = 1;\n\
         \x20   top->eval();\n\
         \x20   cycle++;\n\
         }}\n\
         int main(int argc, char** argv) {{\n\
         \x20   if (argc != 3) return 2;\n\
         \x20   FILE* fi = std::fopen(argv[1], \"rb\");\n\
         \x20   fo = std::fopen(argv[2], \"w\");\n\
         \x20   if (!fi || !fo) return 3;\n\
         \x20   VerilatedContext ctx;\n\
         \x20   top = new Vdut{{&ctx}};\n\
         \x20   unsigned long long stalled = 0;\n\
         \x20   uint32_t w[{per}] = {{0}};\n\
         \x20   top->rst = 1; top->in_valid = 0; top->in_last = 0;\n\
         \x20   for (int i = 0; i < {reset}; i++) {{ sample(); edge(); }}\n\
         \x20   quiet = false;\n\
         \x20   while (std::fread(w, 4, {per}, fi) == {per}) {{\n\
         \x20       unsigned op = w[0];\n\
         \x20       top->rst = op == 2;\n\
         \x20       top->in_valid = op == 0;\n\
         \x20       top->in_last = w[1] != 0;\n\
         {set}\
         \x20       unsigned long long waited = 0;\n\
         \x20       for (;;) {{\n\
         \x20           sample();\n\
         \x20           bool took = op == 0 && top->in_ready;\n\
         \x20           if (took && w[1]) std::fprintf(fo, \"L %llu\\n\", cycle);\n\
         \x20           edge();\n\
         \x20           if (op != 0 || took) break;\n\
         \x20           stalled++;\n\
         \x20           if (++waited > {max_wait}ULL) {{\n\
         \x20               std::fprintf(fo, \"H %llu\\n\", cycle);\n\
         \x20               std::fclose(fo);\n\
         \x20               return 0;\n\
         \x20           }}\n\
         \x20       }}\n\
         \x20   }}\n\
         \x20   top->rst = 0; top->in_valid = 0; top->in_last = 0;\n\
         \x20   for (int i = 0; i < {drain}; i++) {{ sample(); edge(); }}\n\
         \x20   std::fprintf(fo, \"E %llu %llu\\n\", cycle, stalled);\n\
         \x20   top->final();\n\
         \x20   delete top;\n\
         \x20   return std::fclose(fo) == 0 ? 0 : 4;\n\
         }}\n",
        top = dut.top,
        acc = print_port("acc", dut.acc_width),
        reset = RESET_CYCLES,
        max_wait = MAX_WAIT,
        drain = dut.drain,
        set = set.replace("    top->", "        top->"),
    )
}

fn verilator(dut: &SeqDut, steps: &[Step]) -> Result<String, SimError> {
    let exe = harness(
        "verilator-seq",
        &dut.sources,
        &dut.top,
        &verilator_main(dut),
    )?;
    let work = tempfile::Builder::new().prefix("rf8-seq-").tempdir()?;
    let _registered = cleanup::register(work.path());
    let (input, output) = (work.path().join("in.bin"), work.path().join("out.txt"));
    let bw = words(dut.bus_width);
    let mut bytes = Vec::with_capacity(steps.len() * 4 * (2 + 2 * bw));
    let mut push = |x: u128, n: usize| {
        for i in 0..n {
            bytes.extend_from_slice(&((x >> (32 * i)) as u32).to_le_bytes());
        }
    };
    for st in steps {
        let (op, a, b, last) = match *st {
            Step::Group { a, b, last } => (0, a, b, last),
            Step::Idle { a, b, last } => (1, a, b, last),
            Step::Reset => (2, 0, 0, false),
        };
        push(op, 1);
        push(u128::from(last), 1);
        push(a, bw);
        push(b, bw);
    }
    std::fs::write(&input, bytes)?;
    let out = tools::output(
        "the Verilator sequence harness",
        tools::command(&exe).arg(&input).arg(&output),
        tools::timeout_for(steps.len() as u64, 200_000),
    )?;
    if !out.status.success() {
        return Err(SimError::Run(format!(
            "the Verilator sequence harness exited with {}: {}",
            out.status,
            first_error(&String::from_utf8_lossy(&out.stderr))
        )));
    }
    Ok(std::fs::read_to_string(&output)?)
}

/// The Icarus bench: the same protocol as the Verilator main, reading
/// `stimulus` text.
fn icarus_bench(dut: &SeqDut) -> String {
    let bw = dut.bus_width - 1;
    let aw = dut.acc_width - 1;
    let (inv_wire, inv_conn, inv_val) = if dut.invalid {
        ("    wire invalid;\n", ", .invalid(invalid)", "invalid")
    } else {
        ("", "", "1'b0")
    };
    format!(
        "// Generated by rf8 verify: a step stream through {top}.\n\
         `timescale 1ns/1ps\n\
         module rf8_seq_tb;\n\
         \x20   reg clk, rst, in_valid, in_last;\n\
         \x20   reg [{bw}:0] a, b, a_in, b_in;\n\
         \x20   wire in_ready, out_valid;\n\
         \x20   wire [{aw}:0] acc;\n\
         {inv_wire}\
         \x20   {instance} dut(.clk(clk), .rst(rst), .in_valid(in_valid), .in_ready(in_ready), .in_last(in_last), .a(a), .b(b), .out_valid(out_valid), .acc(acc){inv_conn});\n\
         \x20   integer fi, fo, r, op, last_in, i;\n\
         \x20   reg [63:0] cycle, stalled, waited;\n\
         \x20   reg took, done, quiet;\n\
         \x20   // One cycle: settle with clk low, sample, rising edge.\n\
         \x20   task sample;\n\
         \x20       begin\n\
         \x20           #1;\n\
         \x20           if (!quiet && out_valid !== 1'b0) $fwrite(fo, \"R %0d %h %b\\n\", cycle, acc, {inv_val});\n\
         \x20       end\n\
         \x20   endtask\n\
         \x20   task rise;\n\
         \x20       begin\n\
         \x20           clk = 1'b1;\n\
         \x20           #1;\n\
         \x20           clk = 1'b0;\n\
         \x20           cycle = cycle + 1;\n\
         \x20       end\n\
         \x20   endtask\n\
         \x20   initial begin\n\
         \x20       fi = $fopen(\"steps.txt\", \"r\");\n\
         \x20       fo = $fopen(\"events.txt\", \"w\");\n\
         \x20       cycle = 0; stalled = 0; done = 0;\n\
         \x20       clk = 1'b0; rst = 1'b1; in_valid = 1'b0; in_last = 1'b0; a = 0; b = 0;\n\
         \x20       // Outputs are unknown until the first edge under reset.\n\
         \x20       quiet = 1;\n\
         \x20       for (i = 0; i < {reset}; i = i + 1) begin sample; rise; end\n\
         \x20       quiet = 0;\n\
         \x20       while (!done) begin\n\
         \x20           r = $fscanf(fi, \"%d %d %h %h\\n\", op, last_in, a_in, b_in);\n\
         \x20           if (r != 4) done = 1;\n\
         \x20           else begin\n\
         \x20               rst = op == 2; in_valid = op == 0; in_last = last_in != 0; a = a_in; b = b_in;\n\
         \x20               took = 0; waited = 0;\n\
         \x20               while (!took) begin\n\
         \x20                   sample;\n\
         \x20                   if (op != 0) took = 1;\n\
         \x20                   else if (in_ready === 1'b1) begin\n\
         \x20                       took = 1;\n\
         \x20                       if (last_in != 0) $fwrite(fo, \"L %0d\\n\", cycle);\n\
         \x20                   end\n\
         \x20                   rise;\n\
         \x20                   if (!took) begin\n\
         \x20                       stalled = stalled + 1;\n\
         \x20                       waited = waited + 1;\n\
         \x20                       if (waited > {max_wait}) begin\n\
         \x20                           $fwrite(fo, \"H %0d\\n\", cycle);\n\
         \x20                           $fclose(fo);\n\
         \x20                           $finish;\n\
         \x20                       end\n\
         \x20                   end\n\
         \x20               end\n\
         \x20           end\n\
         \x20       end\n\
         \x20       rst = 1'b0; in_valid = 1'b0; in_last = 1'b0;\n\
         \x20       for (i = 0; i < {drain}; i = i + 1) begin sample; rise; end\n\
         \x20       $fwrite(fo, \"E %0d %0d\\n\", cycle, stalled);\n\
         \x20       $fclose(fo);\n\
         \x20       $finish;\n\
         \x20   end\n\
         endmodule\n",
        top = dut.top,
        instance = dut.sources.instance(&dut.top),
        reset = RESET_CYCLES,
        max_wait = MAX_WAIT,
        drain = dut.drain,
    )
}

fn icarus(dut: &SeqDut, steps: &[Step]) -> Result<String, SimError> {
    let dir = tempfile::Builder::new()
        .prefix(&format!("rf8-icarus-seq-{}-", dut.top))
        .tempdir()?;
    let _registered = cleanup::register(dir.path());
    std::fs::write(dir.path().join("tb.v"), icarus_bench(dut))?;
    std::fs::write(dir.path().join("steps.txt"), stimulus(steps))?;
    let dir = icarus_run(
        dir,
        &dut.sources,
        &dut.top,
        "rf8_seq_tb",
        steps.len() as u64,
    )?;
    Ok(std::fs::read_to_string(dir.path().join("events.txt"))?)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 2-bit counter of taken groups' `a`, reported on `in_last`: the
    /// smallest unit with the section-9 ports, stalling every other cycle.
    fn counter() -> SeqDut {
        let v = "module ctr(clk, rst, in_valid, in_ready, in_last, a, b, out_valid, acc);\n\
                 input wire clk, rst, in_valid, in_last;\n\
                 input wire [3:0] a, b;\n\
                 output wire in_ready;\n\
                 output reg out_valid;\n\
                 output reg [7:0] acc;\n\
                 reg [7:0] sum;\n\
                 reg phase;\n\
                 assign in_ready = phase;\n\
                 always @(posedge clk) begin\n\
                 \x20   if (rst) begin sum <= 0; out_valid <= 0; phase <= 0; end\n\
                 \x20   else begin\n\
                 \x20       phase <= ~phase;\n\
                 \x20       out_valid <= 0;\n\
                 \x20       if (in_valid && in_ready) begin\n\
                 \x20           if (in_last) begin acc <= sum + a * b; sum <= 0; out_valid <= 1; end\n\
                 \x20           else sum <= sum + a * b;\n\
                 \x20       end\n\
                 \x20   end\n\
                 end\n\
                 endmodule\n";
        SeqDut {
            top: "ctr".into(),
            sources: Sources::text("ctr.v", v.to_string()),
            bus_width: 4,
            acc_width: 8,
            invalid: false,
            drain: 4,
        }
    }

    #[test]
    fn both_simulators_see_the_same_events() {
        let g = |a, b, last| Step::Group { a, b, last };
        let steps = [
            g(2, 3, false),
            Step::Idle {
                a: 15,
                b: 15,
                last: true,
            },
            g(4, 1, true),
            g(5, 5, true),
            Step::Reset,
            g(1, 1, true),
        ];
        let mut traces = Vec::new();
        for (sim, tool) in [
            (Simulator::Verilator, "verilator"),
            (Simulator::Icarus, "iverilog"),
        ] {
            if !crate::tools::starts(tool) {
                eprintln!("skipped: {tool} not installed");
                continue;
            }
            let t = run(sim, &counter(), &steps).unwrap();
            let accs: Vec<u128> = t.results.iter().map(|r| r.acc).collect();
            assert_eq!(accs, [10, 25, 1], "{sim:?}");
            assert_eq!(t.lasts.len(), 3);
            assert!(t.stalled > 0 && t.hung.is_none());
            traces.push(t);
        }
        if let [x, y] = &traces[..] {
            assert_eq!(x, y);
        }
    }
}
