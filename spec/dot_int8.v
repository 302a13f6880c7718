// Specification model of dot_int8_n<N> (rf8-spec.md sections 7 and 8),
// written from the text, apart from the generator, for `rf8 prove`.
//
// acc_out = acc_in + sum of a_i * b_i (two's complement int8 operands, the
// exact 16-bit product) in W = 16 + H bits, wrapping, lanes in order.
module spec_dot_int8 #(
    parameter N = 8,
    parameter H = 20
) (
    input  wire [8*N-1:0]   a,
    input  wire [8*N-1:0]   b,
    input  wire [15+H:0]    acc_in,
    output reg  [15+H:0]    acc_out
);
    localparam W = 16 + H;

    integer i;
    reg signed [7:0] x, y;
    reg signed [W-1:0] p;

    always @(*) begin
        acc_out = acc_in;
        for (i = 0; i < N; i = i + 1) begin
            x = a[8*i +: 8];
            y = b[8*i +: 8];
            p = x * y;
            acc_out = acc_out + p;
        end
    end
endmodule
