// For rf8's test of --verilator-arg (issue 33): fp16_core.v behind one
// register, written as FPnew writes its pipelines, with stage 0 of a
// packed array driven continuously and stage 1 by a flip-flop. Verilator
// 5.006 refuses this (BLKANDNBLK, an error) unless it is waived with
// -Wno-BLKANDNBLK; the design is correct, with a latency of 1.
module fp16_mixed (
    input  logic        clk,
    input  logic [15:0] a,
    input  logic [15:0] b,
    output logic [15:0] y
);
  logic [1:0][15:0] stage;
  always_comb stage[0] = product;
  always_ff @(posedge clk) stage[1] <= stage[0];
  assign y = stage[1];

  logic [15:0] product;
  fp16_core core (.a(a), .b(b), .y(product));
endmodule
