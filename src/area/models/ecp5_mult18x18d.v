// The ECP5 MULT18X18D as Yosys's synth_ecp5 instantiates it (ecp5/dsp_map.v):
// an 18 x 18 multiplier, signed or unsigned per operand, no registers, no
// shift chain, C unused. Yosys ships no simulation model for this cell
// (only a black box), so the netlist check of DSP rows on ECP5 uses this
// one. A registered configuration is refused at elaboration (the missing
// module below), so a netlist this model cannot describe is never checked
// against a wrong model.
module MULT18X18D (
  input A0, A1, A2, A3, A4, A5, A6, A7, A8, A9, A10, A11, A12, A13, A14, A15, A16, A17,
  input B0, B1, B2, B3, B4, B5, B6, B7, B8, B9, B10, B11, B12, B13, B14, B15, B16, B17,
  input C0, C1, C2, C3, C4, C5, C6, C7, C8, C9, C10, C11, C12, C13, C14, C15, C16, C17,
  input SIGNEDA, SIGNEDB, SOURCEA, SOURCEB, // shift-chain selects: tied 0 by dsp_map, ignored here
  output P0, P1, P2, P3, P4, P5, P6, P7, P8, P9, P10, P11, P12, P13, P14, P15, P16, P17, P18, P19, P20, P21, P22, P23, P24, P25, P26, P27, P28, P29, P30, P31, P32, P33, P34, P35
);
  parameter REG_INPUTA_CLK = "NONE";
  parameter REG_INPUTA_CE = "CE0";
  parameter REG_INPUTA_RST = "RST0";
  parameter REG_INPUTB_CLK = "NONE";
  parameter REG_INPUTB_CE = "CE0";
  parameter REG_INPUTB_RST = "RST0";
  parameter REG_INPUTC_CLK = "NONE";
  parameter REG_INPUTC_CE = "CE0";
  parameter REG_INPUTC_RST = "RST0";
  parameter REG_PIPELINE_CLK = "NONE";
  parameter REG_PIPELINE_CE = "CE0";
  parameter REG_PIPELINE_RST = "RST0";
  parameter REG_OUTPUT_CLK = "NONE";
  parameter REG_OUTPUT_CE = "CE0";
  parameter REG_OUTPUT_RST = "RST0";
  parameter [127:0] CLK0_DIV = "ENABLED";
  parameter [127:0] CLK1_DIV = "ENABLED";
  parameter [127:0] CLK2_DIV = "ENABLED";
  parameter [127:0] CLK3_DIV = "ENABLED";
  parameter HIGHSPEED_CLK = "NONE";
  parameter [127:0] GSR = "ENABLED";
  parameter CAS_MATCH_REG = "FALSE";
  parameter [127:0] SOURCEB_MODE = "B_SHIFT";
  parameter [127:0] MULT_BYPASS = "DISABLED";
  parameter [127:0] RESETMODE = "SYNC";

  wire [17:0] a = {A17, A16, A15, A14, A13, A12, A11, A10, A9, A8, A7, A6, A5, A4, A3, A2, A1, A0};
  wire [17:0] b = {B17, B16, B15, B14, B13, B12, B11, B10, B9, B8, B7, B6, B5, B4, B3, B2, B1, B0};
  wire [35:0] a_ext = {{18{SIGNEDA & a[17]}}, a};
  wire [35:0] b_ext = {{18{SIGNEDB & b[17]}}, b};
  wire [35:0] p = a_ext * b_ext;
  assign {P35, P34, P33, P32, P31, P30, P29, P28, P27, P26, P25, P24, P23, P22, P21, P20, P19, P18, P17, P16, P15, P14, P13, P12, P11, P10, P9, P8, P7, P6, P5, P4, P3, P2, P1, P0} = p;

  generate
    if (REG_INPUTA_CLK != "NONE" || REG_INPUTB_CLK != "NONE" || REG_INPUTC_CLK != "NONE"
        || REG_PIPELINE_CLK != "NONE" || REG_OUTPUT_CLK != "NONE"
        || MULT_BYPASS != "DISABLED")
      MULT18X18D_configuration_not_modelled unsupported ();
  endgenerate
endmodule
