// Specification model of dot_fp8_e4m3_n<N> (rf8-spec.md sections 4, 7
// and 8), written from the text, apart from the generator, for `rf8 prove`.
//
// OCP E4M3: S EEEE MMM, bias 7; E = 0 is subnormal, 2^-6 * M/8; otherwise
// 2^(E-7) * (1 + M/8); S 1111 111 is NaN; no infinity. In LSBs of 2^-9 an
// operand is its significand sig (M, or 8 + M) shifted left by sh (0 for
// E = 0, else E - 1). p_i is the exact product in LSBs of 2^-18 (P = 36):
// sig_a * sig_b << (sh_a + sh_b). A NaN operand counts as 0 and sets
// `invalid`. acc_out = acc_in + sum of p_i in W = 37 + H bits, wrapping.
module spec_dot_fp8_e4m3 #(
    parameter N = 8,
    parameter H = 20
) (
    input  wire [8*N-1:0]   a,
    input  wire [8*N-1:0]   b,
    input  wire [36+H:0]    acc_in,
    output reg  [36+H:0]    acc_out,
    output reg              invalid
);
    localparam W = 37 + H;

    integer i;
    reg [7:0] x, y;
    reg nan;
    reg [3:0] sig_x, sig_y;
    reg [3:0] sh_x, sh_y;
    reg [7:0] prod;              // sig_x * sig_y, at most 225
    reg [4:0] sh;                // sh_x + sh_y, at most 28
    reg [W-1:0] mag, p;

    always @(*) begin
        acc_out = acc_in;
        invalid = 1'b0;
        for (i = 0; i < N; i = i + 1) begin
            x = a[8*i +: 8];
            y = b[8*i +: 8];
            nan = (x[6:0] == 7'h7f) || (y[6:0] == 7'h7f);
            sig_x = (x[6:3] == 4'd0) ? {1'b0, x[2:0]} : {1'b1, x[2:0]};
            sig_y = (y[6:3] == 4'd0) ? {1'b0, y[2:0]} : {1'b1, y[2:0]};
            sh_x = (x[6:3] == 4'd0) ? 4'd0 : x[6:3] - 4'd1;
            sh_y = (y[6:3] == 4'd0) ? 4'd0 : y[6:3] - 4'd1;
            prod = sig_x * sig_y;
            sh = sh_x + sh_y;
            mag = {{(W-8){1'b0}}, prod} << sh;
            if (nan) mag = {W{1'b0}};
            p = (x[7] ^ y[7]) ? -mag : mag;
            acc_out = acc_out + p;
            invalid = invalid | nan;
        end
    end
endmodule
