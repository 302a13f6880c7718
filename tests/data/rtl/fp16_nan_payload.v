// Flawed on purpose (rf8's tests, issue 14): NaN results keep the input
// NaN's sign and payload (IEEE-legal, but not the canonical 0x7E00 the
// spec asks for); Inf x 0 gives 0xFE00. Needs fp16_core.v.
module fp16_mul(input wire [15:0] a, input wire [15:0] b, output wire [15:0] y);
    fp16_core #(.PAYLOAD(1)) core(.a(a), .b(b), .y(y));
endmodule
