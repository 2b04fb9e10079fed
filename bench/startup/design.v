// A small accumulator machine for the start-up benchmark (issue #15): an ALU, a register
// file, a FIFO feeding it and a cycle counter. Written for this benchmark; synthesised with
// yosys's generic `synth` flow.

module alu #(parameter W = 16) (
  input  [3:0]   op,
  input  [W-1:0] a, b,
  output reg [W-1:0] y,
  output         zero
);
  always @* begin
    case (op)
      4'd0: y = a + b;
      4'd1: y = a - b;
      4'd2: y = a & b;
      4'd3: y = a | b;
      4'd4: y = a ^ b;
      4'd5: y = a << b[3:0];
      4'd6: y = a >> b[3:0];
      4'd7: y = $signed(a) >>> b[3:0];
      4'd8: y = a * b;
      4'd9: y = ($signed(a) < $signed(b)) ? 1 : 0;
      4'd10: y = (a < b) ? 1 : 0;
      4'd11: y = {a[W/2-1:0], a[W-1:W/2]};
      default: y = ~a;
    endcase
  end
  assign zero = (y == 0);
endmodule

module fifo #(parameter W = 16, parameter D = 3) (
  input          clk, rst, push, pop,
  input  [W-1:0] din,
  output [W-1:0] dout,
  output         empty, full
);
  reg [W-1:0] mem [0:(1<<D)-1];
  reg [D:0] rd, wr;
  assign empty = (rd == wr);
  assign full  = (rd[D-1:0] == wr[D-1:0]) && (rd[D] != wr[D]);
  assign dout  = mem[rd[D-1:0]];
  always @(posedge clk) begin
    if (rst) begin
      rd <= 0;
      wr <= 0;
    end else begin
      if (push && !full) begin
        mem[wr[D-1:0]] <= din;
        wr <= wr + 1;
      end
      if (pop && !empty)
        rd <= rd + 1;
    end
  end
endmodule

module top (
  input         clk, rst,
  input         push,
  input  [19:0] instr_in,   // {op[3:0], rd[2:0], rs[2:0], imm[9:0]}
  output [15:0] result,
  output        zero, full,
  output [31:0] cycles
);
  wire [19:0] instr;
  wire empty;
  fifo #(.W(20), .D(3)) q (.clk(clk), .rst(rst), .push(push), .pop(!empty),
                           .din(instr_in), .dout(instr), .empty(empty), .full(full));

  reg [15:0] regs [0:7];
  wire [3:0] op  = instr[19:16];
  wire [2:0] rd  = instr[15:13];
  wire [2:0] rs  = instr[12:10];
  wire [15:0] imm = {{6{instr[9]}}, instr[9:0]};
  wire [15:0] a = regs[rd];
  wire [15:0] b = (rs == 3'd0) ? imm : regs[rs];
  wire [15:0] y;
  alu #(.W(16)) u (.op(op), .a(a), .b(b), .y(y), .zero(zero));

  reg [31:0] count;
  integer i;
  always @(posedge clk) begin
    if (rst) begin
      count <= 0;
      for (i = 0; i < 8; i = i + 1)
        regs[i] <= 0;
    end else begin
      count <= count + 1;
      if (!empty)
        regs[rd] <= y;
    end
  end
  assign result = regs[0];
  assign cycles = count;
endmodule
