// For rf8's tests of --param (issue 33): the operand width is a parameter
// whose default (8) does not fit fp16_mul; with W = 16 this is the correct
// core of fp16_core.v.
module fp16_width_param #(
    parameter W = 8
) (
    input  wire [W-1:0] a,
    input  wire [W-1:0] b,
    output wire [W-1:0] y
);
    fp16_core core(.a(a), .b(b), .y(y));
endmodule
