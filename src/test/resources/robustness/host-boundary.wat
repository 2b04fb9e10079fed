;; Wasm and Java host functions calling each other while stacks overflow on either side.
;; Used by dev.isthmus.robustness.HostBoundaryOverflowTest; the host functions are Java lambdas.
(module
  ;; calls back into this instance (the test decides what it calls and whether it catches)
  (import "env" "reenter" (func $reenter (param i32) (result i32)))
  ;; recurses in Java until the Java stack overflows
  (import "env" "javaOverflow" (func $javaOverflow (param i32) (result i32)))
  ;; returns its argument (and counts its calls)
  (import "env" "observe" (func $observe (param i32) (result i32)))
  (memory 1)

  (func $forever (export "forever") (param $n i32) (result i32)
    local.get $n i32.const 1 i32.add
    call $forever
    i32.const 1 i32.add)

  ;; recurse $depth deep in wasm, then call the host: the host runs with $depth frames of wasm below it
  (func $deepThenReenter (export "deepThenReenter") (param $depth i32) (result i32)
    local.get $depth i32.eqz
    if (result i32)
      i32.const 0 call $reenter
    else
      local.get $depth i32.const 1 i32.sub call $deepThenReenter
      i32.const 1 i32.add
    end)

  (func $deepThenJavaOverflow (export "deepThenJavaOverflow") (param $depth i32) (result i32)
    local.get $depth i32.eqz
    if (result i32)
      i32.const 0 call $javaOverflow
    else
      local.get $depth i32.const 1 i32.sub call $deepThenJavaOverflow
      i32.const 1 i32.add
    end)

  ;; endless recursion that goes through the host at every level: wasm -> Java -> wasm -> Java ...
  (func (export "throughHost") (param $n i32) (result i32)
    local.get $n i32.const 1 i32.add
    call $reenter
    i32.const 1 i32.add)

  ;; endless recursion calling a host function at every level: sooner or later a host call starts near the limit
  (func $hostEveryLevel (export "hostEveryLevel") (param $n i32) (result i32)
    local.get $n call $observe
    i32.const 1 i32.add
    call $hostEveryLevel
    i32.const 1 i32.add)

  ;; the same with runtime builtins (memory.grow and memory.fill run Java code too)
  (func $builtinEveryLevel (export "builtinEveryLevel") (param $n i32) (result i32)
    i32.const 0 memory.grow drop
    i32.const 0 i32.const 0 i32.const 0 memory.fill
    local.get $n i32.const 1 i32.add
    call $builtinEveryLevel
    i32.const 1 i32.add)

  (func $fib (export "fib") (param $n i32) (result i32)
    local.get $n i32.const 2 i32.lt_u
    if (result i32)
      local.get $n
    else
      local.get $n i32.const 1 i32.sub call $fib
      local.get $n i32.const 2 i32.sub call $fib
      i32.add
    end))
