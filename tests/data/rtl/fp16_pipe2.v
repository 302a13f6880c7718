// Flawed on purpose (rf8's tests, issue 14): a correct multiplier, but its
// result appears two clock cycles after the operands, and its registers
// only load once the active-low synchronous reset rst_n has been applied
// and released (before that they hold X). The core comes in by `include
// (give -I tests/data/rtl).
`include "fp16_core.v"

module fp16_mul_p2(
    input  wire        clk,
    input  wire        rst_n,
    input  wire [15:0] a,
    input  wire [15:0] b,
    output reg  [15:0] y
);
    wire [15:0] product;
    reg  [15:0] stage1;
    reg         ready;

    fp16_core core(.a(a), .b(b), .y(product));

    always @(posedge clk) begin
        if (!rst_n) begin
            ready <= 1'b1;
            stage1 <= 16'h0;
            y <= 16'h0;
        end else if (ready) begin
            stage1 <= product;
            y <= stage1;
        end
    end
endmodule
