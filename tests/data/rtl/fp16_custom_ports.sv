// Flawed on purpose (rf8's tests, issue 14): a SystemVerilog multiplier
// with its own port names and a rounding-mode input (0: to nearest, ties
// to even; anything else: toward zero). Needs fp16_core.v.
module fmul16 (
    input  logic [15:0] op_x,
    input  logic [15:0] op_y,
    input  logic [1:0]  rnd_mode,
    output logic [15:0] result
);
    logic [15:0] nearest, toward_zero;

    fp16_core #(.TRUNC(0)) rne (.a(op_x), .b(op_y), .y(nearest));
    fp16_core #(.TRUNC(1)) rtz (.a(op_x), .b(op_y), .y(toward_zero));

    always_comb result = rnd_mode == 2'd0 ? nearest : toward_zero;
endmodule
