// Specification model of dot_rf8_n<N> (rf8-spec.md sections 1, 3 and 8),
// written from the text, apart from the generator, for `rf8 prove`:
// behavioural Verilog, one step of the spec per statement, no sharing with
// the generated datapath. Checked against the Rust reference by simulation
// (tests/prove.rs) before any proof uses it.
//
// acc_out = acc_in + sum of p_i in W = P + 1 + H bits, wrapping; p_i is the
// value of rf8_mul(a_i, b_i) in LSBs of 2^-19 (P = 35). The lanes are added
// in lane order; the sum is exact, so any order is the specification.
module spec_dot_rf8 #(
    parameter N = 8,
    parameter H = 20
) (
    input  wire [8*N-1:0]   a,
    input  wire [8*N-1:0]   b,
    input  wire [35+H:0]    acc_in,
    output reg  [35+H:0]    acc_out
);
    localparam W = 36 + H;

    integer i;
    reg [7:0] x, y;
    reg s;                       // section 3 step 1: the product's sign
    reg zero;                    // step 2: an operand is zero (E = 10000)
    reg [1:0] r;                 // step 3: the product's residual
    reg c;                       //         and the carry into the exponent
    integer ex, ey, e;           // step 4: e = e1 + e2 + c
    reg [1:0] rx, ry;
    reg [4:0] m5;                // 2^(R+1) + 1: 3, 5, 9 or 17
    reg [W-1:0] mag, p;          // section 8: |p_i| and p_i in LSBs of 2^-19

    always @(*) begin
        acc_out = acc_in;
        for (i = 0; i < N; i = i + 1) begin
            x = a[8*i +: 8];
            y = b[8*i +: 8];
            s = x[7] ^ y[7];
            zero = (x[6:2] == 5'b10000) || (y[6:2] == 5'b10000);
            // Section 1: e = (Es ? -1 : +1) * M.
            ex = x[6] ? -{28'd0, x[5:2]} : {28'd0, x[5:2]};
            ey = y[6] ? -{28'd0, y[5:2]} : {28'd0, y[5:2]};
            rx = x[1:0];
            ry = y[1:0];
            if (rx == 2'd0 && ry == 2'd0) begin
                r = 2'd2; c = 1'b1;
            end else if (rx == ry) begin
                r = rx - 2'd1; c = 1'b0;
            end else begin
                r = (rx < ry) ? rx : ry; c = 1'b0;
            end
            e = ex + ey + {31'd0, c};
            // Step 5 and section 1: the value 2^e * (1 + 2^-(R+1)) is
            // (2^(R+1) + 1) * 2^(e - R - 1), in LSBs 2^-19: shifted left by
            // e - R - 1 + 19 (0 for the smallest, 33 for the largest).
            if (zero || e < -15) begin
                mag = {W{1'b0}};
            end else if (e > 15) begin
                mag = {{(W-2){1'b0}}, 2'd3} << 33;          // 1.5 * 2^15
            end else begin
                m5 = (5'd1 << ({1'b0, r} + 3'd1)) + 5'd1;
                mag = {{(W-5){1'b0}}, m5} << (e - {30'd0, r} - 1 + 19);
            end
            p = s ? -mag : mag;
            acc_out = acc_out + p;
        end
    end
endmodule
