// The package of fpu_mul.sv, a small FPnew-like unit written for rf8's
// tests of `rf8 verify --rtl` on SystemVerilog IP (issue 33): formats,
// rounding modes and status flags as FPnew's fpnew_pkg declares them.
package fpu_pkg;
  typedef enum logic [0:0] {
    FP16 = 1'b0,
    BF16 = 1'b1
  } fp_format_e;

  // RISC-V frm encoding, as FPnew's roundmode_e.
  typedef enum logic [2:0] {
    RNE = 3'b000,
    RTZ = 3'b001,
    RDN = 3'b010,
    RUP = 3'b011,
    RMM = 3'b100
  } roundmode_e;

  // RISC-V fflags order, as FPnew's status_t.
  typedef struct packed {
    logic NV;
    logic DZ;
    logic OF;
    logic UF;
    logic NX;
  } status_t;

  function automatic int unsigned exp_bits(fp_format_e f);
    return f == BF16 ? 8 : 5;
  endfunction

  function automatic int unsigned man_bits(fp_format_e f);
    return f == BF16 ? 7 : 10;
  endfunction

  // A width from a function, as FPnew's: rf8's port scanner cannot
  // evaluate it and must size the operands from the design under test.
  function automatic int unsigned fp_width(fp_format_e f);
    return 1 + exp_bits(f) + man_bits(f);
  endfunction
endpackage
