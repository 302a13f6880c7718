// A small FPnew-like multiplier, written for rf8's tests of
// `rf8 verify --rtl` on SystemVerilog IP (issue 33). Like FPnew's
// fpnew_fma it takes its operands as elements of a packed array, a
// rounding mode of a package's enum type, a type parameter for its tag,
// a status struct of the five IEEE flags, a format parameter whose width
// comes from a package function, and a valid/ready handshake behind
// NumPipeRegs registers. It multiplies binary16 or bfloat16 in the five
// RISC-V rounding modes, with the flags as RISC-V and SoftFloat raise
// them (tininess after rounding). Each fault parameter plants one bug:
//
//   SnanPass     a signalling NaN operand comes out unchanged instead of
//                the canonical quiet NaN
//   OverflowNan  an overflow to infinity comes out as the canonical NaN
//   TinyBefore   underflow is flagged on tininess before rounding
module fpu_mul #(
  parameter fpu_pkg::fp_format_e Format = fpu_pkg::FP16,
  parameter int unsigned NumPipeRegs = 0,
  parameter type TagType = logic,
  parameter bit SnanPass = 1'b0,
  parameter bit OverflowNan = 1'b0,
  parameter bit TinyBefore = 1'b0,
  localparam int unsigned WIDTH = fpu_pkg::fp_width(Format)
) (
  input  logic                  clk_i,
  input  logic                  rst_ni,
  input  logic [2:0][WIDTH-1:0] operands_i,
  input  fpu_pkg::roundmode_e   rnd_mode_i,
  input  TagType                tag_i,
  input  logic                  in_valid_i,
  output logic                  in_ready_o,
  output logic [WIDTH-1:0]      result_o,
  output fpu_pkg::status_t      status_o,
  output TagType                tag_o,
  output logic                  out_valid_o,
  input  logic                  out_ready_i
);
  localparam int E = int'(fpu_pkg::exp_bits(Format));
  localparam int M = int'(fpu_pkg::man_bits(Format));
  localparam int BIAS = (1 << (E - 1)) - 1;
  localparam int EMIN = 1 - BIAS;
  localparam int P = 2 * M + 2;  // bits of the exact product
  localparam logic [WIDTH-1:0] QNAN = {1'b0, {E{1'b1}}, 1'b1, {(M - 1){1'b0}}};
  localparam logic [WIDTH-2:0] INF = {{E{1'b1}}, {M{1'b0}}};
  localparam logic [WIDTH-2:0] MAXF = {{(E - 1){1'b1}}, 1'b0, {M{1'b1}}};

  typedef struct packed {
    logic [WIDTH-1:0] y;
    fpu_pkg::status_t flags;
    TagType           tag;
    logic             valid;
  } stage_t;

  // Rounds sig / 2^shift in a mode: 1 to add one unit to the kept bits.
  function automatic logic round_up(input logic [P:0] sig, input int shift,
                                    input logic kept_odd, input logic sign,
                                    input fpu_pkg::roundmode_e mode);
    logic [P:0] rem, half;
    if (shift <= 0) return 1'b0;
    if (shift > P) begin
      rem = sig;
      half = '1;  // more than any remainder: nearest modes keep
    end else begin
      rem = sig & ~({(P + 1){1'b1}} << shift);
      half = (P + 1)'(1) << (shift - 1);
    end
    unique case (mode)
      fpu_pkg::RNE: return rem > half || (rem == half && kept_odd);
      fpu_pkg::RMM: return rem >= half && rem != '0;
      fpu_pkg::RUP: return !sign && rem != '0;
      fpu_pkg::RDN: return sign && rem != '0;
      default: return 1'b0;
    endcase
  endfunction

  logic [WIDTH-1:0] a, b, y;
  fpu_pkg::status_t flags;
  assign a = operands_i[0];
  assign b = operands_i[1];

  always_comb begin : compute
    logic sign, a_nan, b_nan, a_snan, b_snan, a_inf, b_inf, a_zero, b_zero;
    logic up, inexact, tiny, carry, overflow, to_inf;
    logic [M:0] a_sig, b_sig;
    logic [P:0] prod, kept, kept_u;
    int exp_lsb, msb, e, scale, shift, total;
    sign = a[WIDTH-1] ^ b[WIDTH-1];
    a_nan = a[WIDTH-2:M] == '1 && a[M-1:0] != '0;
    b_nan = b[WIDTH-2:M] == '1 && b[M-1:0] != '0;
    a_snan = a_nan && !a[M-1];
    b_snan = b_nan && !b[M-1];
    a_inf = a[WIDTH-2:M] == '1 && a[M-1:0] == '0;
    b_inf = b[WIDTH-2:M] == '1 && b[M-1:0] == '0;
    a_zero = a[WIDTH-2:0] == '0;
    b_zero = b[WIDTH-2:0] == '0;
    // decode: value = sig * 2^(exponent of its last bit)
    a_sig = {a[WIDTH-2:M] != '0, a[M-1:0]};
    b_sig = {b[WIDTH-2:M] != '0, b[M-1:0]};
    exp_lsb = (a[WIDTH-2:M] == '0 ? 1 : int'(a[WIDTH-2:M]))
            + (b[WIDTH-2:M] == '0 ? 1 : int'(b[WIDTH-2:M])) - 2 * (BIAS + M);
    // exact product
    prod = (P + 1)'(a_sig) * (P + 1)'(b_sig);
    msb = 0;
    for (int i = 0; i < P; i++) if (prod[i]) msb = i;
    // round once, at the quantum of the result's binade
    e = msb + exp_lsb;
    scale = e < EMIN ? EMIN : e;
    shift = scale - M - exp_lsb;
    kept = shift <= 0 ? prod << (-shift) : prod >> shift;
    up = round_up(prod, shift, kept[0], sign, rnd_mode_i);
    inexact = shift > 0 && (shift > P || (prod & ~({(P + 1){1'b1}} << shift)) != '0);
    total = ((scale - EMIN) << M) + int'(kept) + int'(up);
    overflow = total >= int'({E{1'b1}}) << M;
    // tiny after rounding: below 2^EMIN even at full precision
    carry = 1'b0;
    if (e == EMIN - 1 && shift > 1) begin
      kept_u = prod >> (shift - 1);
      carry = ((kept_u + (P + 1)'(round_up(prod, shift - 1, kept_u[0], sign, rnd_mode_i)))
               >> (M + 1)) != '0;
    end
    tiny = e < EMIN && (TinyBefore || !carry);
    unique case (rnd_mode_i)
      fpu_pkg::RTZ: to_inf = 1'b0;
      fpu_pkg::RUP: to_inf = !sign;
      fpu_pkg::RDN: to_inf = sign;
      default: to_inf = 1'b1;
    endcase
    flags = '0;
    if (a_nan || b_nan || (a_inf && b_zero) || (b_inf && a_zero)) begin
      y = QNAN;
      flags.NV = a_snan || b_snan || !(a_nan || b_nan);
      if (SnanPass && a_snan) y = a;
      else if (SnanPass && b_snan) y = b;
    end else if (a_inf || b_inf) begin
      y = {sign, INF};
    end else if (a_zero || b_zero) begin
      y = {sign, {(WIDTH - 1){1'b0}}};
    end else if (overflow) begin
      y = to_inf ? (OverflowNan ? QNAN : {sign, INF}) : {sign, MAXF};
      flags.OF = 1'b1;
      flags.NX = 1'b1;
    end else begin
      y = {sign, total[WIDTH-2:0]};
      flags.UF = tiny && inexact;
      flags.NX = inexact;
    end
  end

  stage_t stage_in, stage_out;
  assign stage_in = '{y: y, flags: flags, tag: tag_i, valid: in_valid_i};
  if (NumPipeRegs == 0) begin : gen_comb
    assign stage_out = stage_in;
  end else begin : gen_regs
    stage_t regs[NumPipeRegs];
    always_ff @(posedge clk_i or negedge rst_ni) begin
      if (!rst_ni) begin
        for (int i = 0; i < int'(NumPipeRegs); i++) regs[i] <= '0;
      end else if (out_ready_i) begin
        regs[0] <= stage_in;
        for (int i = 1; i < int'(NumPipeRegs); i++) regs[i] <= regs[i-1];
      end
    end
    assign stage_out = regs[NumPipeRegs-1];
  end

  assign in_ready_o  = out_ready_i;
  assign result_o    = stage_out.y;
  assign status_o    = stage_out.flags;
  assign tag_o       = stage_out.tag;
  assign out_valid_o = stage_out.valid;
endmodule
