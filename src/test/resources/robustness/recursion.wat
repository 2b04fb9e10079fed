;; Recursion that never ends (four shapes) beside functions that must keep working after it trapped.
;; Used by the robustness tests of the prologue variants (dev.isthmus.robustness).
(module
  (type $unary (func (param i32) (result i32)))
  (table $functions 2 funcref)
  (elem (table $functions) (i32.const 0) func $viaTable $fib)

  ;; self recursion, not in tail position (the result is used after the call)
  (func $forever (export "forever") (param $n i32) (result i32)
    local.get $n i32.const 1 i32.add
    call $forever
    i32.const 1 i32.add)

  ;; two functions calling each other, with more values live across the call
  (func $ping (export "ping") (param $n i32) (param $x i64) (result i64)
    local.get $n i32.const 1 i32.add
    local.get $x i64.const 3 i64.mul
    call $pong
    local.get $x i64.add)
  (func $pong (param $n i32) (param $x i64) (result i64)
    local.get $n
    local.get $x i64.const 1 i64.add
    call $ping
    local.get $n i64.extend_i32_u i64.xor)

  ;; recursion through the table
  (func $viaTable (export "viaTable") (param $n i32) (result i32)
    local.get $n i32.const 1 i32.add
    i32.const 0
    call_indirect $functions (type $unary)
    i32.const 2 i32.mul)

  ;; recursion with floating-point state live across the call
  (func $floats (export "floats") (param $x f64) (result f64)
    local.get $x f64.const 1.5 f64.add
    call $floats
    local.get $x f64.mul)

  ;; calls mixed with tail calls that shrink and grow the stack-argument area:
  ;; tailA --call--> tailB (12 params) --return_call--> tailC (1 param) --return_call--> tailD (14 params)
  ;; --call--> tailA ...; the stack grows by a tailA and a tailD frame per round
  (func $tailA (export "tailA") (param $n i32) (result i32)
    local.get $n local.get $n local.get $n local.get $n local.get $n local.get $n
    local.get $n local.get $n local.get $n local.get $n local.get $n local.get $n
    call $tailB
    i32.const 1 i32.add)
  (func $tailB (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32)
    local.get 0 local.get 11 i32.add
    return_call $tailC)
  (func $tailC (param $n i32) (result i32)
    local.get $n local.get $n local.get $n local.get $n local.get $n local.get $n local.get $n
    local.get $n local.get $n local.get $n local.get $n local.get $n local.get $n local.get $n
    return_call $tailD)
  (func $tailD (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32)
    local.get 13 i32.const 1 i32.add
    call $tailA
    local.get 0 i32.add)

  ;; finite work, checked after the traps
  (func $fib (export "fib") (param $n i32) (result i32)
    local.get $n i32.const 2 i32.lt_u
    if (result i32)
      local.get $n
    else
      local.get $n i32.const 1 i32.sub call $fib
      local.get $n i32.const 2 i32.sub call $fib
      i32.add
    end)

  ;; recursion to depth $n: the sum 1 + 2 + ... + $n
  (func $depth (export "depth") (param $n i32) (result i64)
    local.get $n i32.eqz
    if (result i64)
      i64.const 0
    else
      local.get $n i32.const 1 i32.sub call $depth
      local.get $n i64.extend_i32_u i64.add
    end)

  ;; fib through the table, so indirect calls still work afterwards
  (func (export "fibViaTable") (param $n i32) (result i32)
    local.get $n i32.const 1 call_indirect $functions (type $unary)))
