// Flawed on purpose (rf8's tests, issue 14): subnormal inputs read as zero
// and subnormal results flush to zero. Needs fp16_core.v.
module fp16_mul(input wire [15:0] a, input wire [15:0] b, output wire [15:0] y);
    fp16_core #(.FTZ(1)) core(.a(a), .b(b), .y(y));
endmodule
