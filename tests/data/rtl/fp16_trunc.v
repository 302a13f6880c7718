// Flawed on purpose (rf8's tests, issue 14): rounds toward zero instead of
// to nearest, ties to even. Needs fp16_core.v.
module fp16_mul(input wire [15:0] a, input wire [15:0] b, output wire [15:0] y);
    fp16_core #(.TRUNC(1)) core(.a(a), .b(b), .y(y));
endmodule
