// Flawed on purpose (rf8's tests, issue 14): a correct multiplier that
// prints every operand pair with $display, on the simulator's stdout.
// Needs fp16_core.v.
module fp16_mul(input wire [15:0] a, input wire [15:0] b, output wire [15:0] y);
    fp16_core core(.a(a), .b(b), .y(y));
    always @(*) $display("fp16_mul: a=%h b=%h y=%h", a, b, y);
endmodule
