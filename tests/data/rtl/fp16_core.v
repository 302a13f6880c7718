// A hand-written binary16 multiplier for rf8's tests of `rf8 verify --rtl`
// (issue 14). Written for this project, behaviourally, in the order of
// the spec's steps: decode, exact product, round once. With its
// parameters at their defaults it is a correct fp16_mul (spec section 4);
// each parameter plants one flaw that a user's design might have:
//
//   TRUNC    round toward zero instead of to nearest, ties to even
//            (IEEE's toward-zero: an overflow gives the largest finite)
//   FTZ      subnormal inputs read as zero, results below 2^-14 flush to
//            signed zero
//   PAYLOAD  NaN results keep the NaN operand's sign and payload (made
//            quiet), and Inf x 0 gives 0xFE00, as x86 does, instead of
//            the canonical 0x7E00
module fp16_core #(
    parameter TRUNC = 0,
    parameter FTZ = 0,
    parameter PAYLOAD = 0
) (
    input  wire [15:0] a,
    input  wire [15:0] b,
    output reg  [15:0] y
);
    reg        sign;
    reg        a_nan, b_nan, a_inf, b_inf, a_zero, b_zero;
    reg [10:0] a_sig, b_sig;
    reg [21:0] prod;
    reg [5:0]  msb;
    reg [23:0] kept;
    reg [21:0] rem, half;
    reg        up;
    reg [15:0] mag;
    integer    exp_sum, scale, shift, total, i;

    always @(*) begin
        sign = a[15] ^ b[15];
        a_nan = a[14:10] == 5'h1f && a[9:0] != 10'h0;
        b_nan = b[14:10] == 5'h1f && b[9:0] != 10'h0;
        a_inf = a[14:10] == 5'h1f && a[9:0] == 10'h0;
        b_inf = b[14:10] == 5'h1f && b[9:0] == 10'h0;
        a_zero = a[14:0] == 15'h0 || (FTZ != 0 && a[14:10] == 5'h0);
        b_zero = b[14:0] == 15'h0 || (FTZ != 0 && b[14:10] == 5'h0);
        // decode: value = sig * 2^(exponent of the last bit)
        a_sig = {a[14:10] != 5'h0, a[9:0]};
        b_sig = {b[14:10] != 5'h0, b[9:0]};
        exp_sum = (a[14:10] == 5'h0 ? 1 : {27'h0, a[14:10]})
                + (b[14:10] == 5'h0 ? 1 : {27'h0, b[14:10]}) - 50;
        // exact product
        prod = {11'h0, a_sig} * {11'h0, b_sig};
        msb = 6'd0;
        for (i = 0; i < 22; i = i + 1)
            if (prod[i]) msb = i[5:0];
        // round once, at the quantum of the result's binade
        scale = {26'h0, msb} + exp_sum;
        if (scale < -14) scale = -14;
        shift = scale - 10 - exp_sum;
        rem = 22'h0;
        half = 22'h0;
        if (shift <= 0) begin
            kept = {2'b0, prod} << (-shift);
        end else if (shift > 22) begin
            kept = 24'h0;
            rem = prod;
            half = 22'h3fffff;  // more than any remainder: rounds down
        end else begin
            kept = {2'b0, prod >> shift};
            rem = prod & ((22'h1 << shift) - 22'h1);
            half = 22'h1 << (shift - 1);
        end
        up = TRUNC == 0 && shift > 0 && (rem > half || (rem == half && kept[0]));
        total = ((scale + 14) << 10) + {8'h0, kept} + {31'h0, up};
        mag = total[15:0];
        if (total >= 32'sh7c00)
            mag = TRUNC != 0 ? 16'h7bff : 16'h7c00;
        if (FTZ != 0 && mag < 16'h0400)
            mag = 16'h0;
        // specials
        if (a_nan || b_nan || (a_inf && b_zero) || (b_inf && a_zero)) begin
            if (PAYLOAD == 0) y = 16'h7e00;
            else if (a_nan) y = a | 16'h0200;
            else if (b_nan) y = b | 16'h0200;
            else y = 16'hfe00;
        end else if (a_inf || b_inf) begin
            y = {sign, 15'h7c00};
        end else if (a_zero || b_zero) begin
            y = {sign, 15'h0};
        end else begin
            y = {sign, mag[14:0]};
        end
    end
endmodule
