// Flawed on purpose (rf8's tests, issue 14): a combinational loop that
// oscillates for one pair, Inf x 0 (a = 0x7C00, b = 0x0000), and is
// quiet otherwise. Needs fp16_core.v.
module fp16_mul(input wire [15:0] a, input wire [15:0] b, output wire [15:0] y);
    wire [15:0] product;
    wire        ring;
    fp16_core core(.a(a), .b(b), .y(product));
    assign ring = (a == 16'h7c00 && b == 16'h0000) ? ~ring : 1'b0;
    assign y = product ^ {15'h0, ring};
endmodule
