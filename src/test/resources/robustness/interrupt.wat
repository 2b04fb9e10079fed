;; Computations that never end, for the interruption tests (InterruptChild): each must stop with the trap
;; "interrupted" when its instance is interrupted, and the instance must keep working afterwards.
(module
  (import "env" "tick" (func $tick))
  (global $count (export "count") (mut i32) (i32.const 0))
  (global $stop (export "stop") (mut i32) (i32.const 0))

  ;; a loop that touches only a global
  (func $spin (export "spin")
    (loop $l
      (global.set $count (i32.add (global.get $count) (i32.const 1)))
      (br $l)))

  ;; a loop until the global "stop" is set (from Java), then returns how often it went round
  (func $spinUntilStop (export "spinUntilStop") (result i32)
    (local $n i32)
    (block $done
      (loop $l
        (br_if $done (global.get $stop))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br $l)))
    (local.get $n))

  ;; recursion without any loop that would take for ever: fib(n) the slow way
  (func $fib (export "fib") (param $n i32) (result i32)
    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
      (then (local.get $n))
      (else (i32.add (call $fib (i32.sub (local.get $n) (i32.const 1)))
                     (call $fib (i32.sub (local.get $n) (i32.const 2)))))))

  ;; clang's shape of fib: a loop makes one of the two recursive calls (a loop head that calls the function itself
  ;; needs no poll of its own in the optimizing tier: the call's entry polls)
  (func $fibLoop (export "fibLoop") (param $n i32) (result i32)
    (local $acc i32)
    (block $done
      (loop $l
        (br_if $done (i32.lt_u (local.get $n) (i32.const 2)))
        (local.set $acc (i32.add (local.get $acc) (call $fibLoop (i32.sub (local.get $n) (i32.const 1)))))
        (local.set $n (i32.sub (local.get $n) (i32.const 2)))
        (br $l)))
    (i32.add (local.get $acc) (local.get $n)))

  ;; endless tail recursion: constant stack, no loop
  (func $tail (export "tail") (param $n i32) (result i32)
    (return_call $tail (i32.add (local.get $n) (i32.const 1))))

  ;; a counted loop (i64, "ne" against its limit: 2^64 - 1 iterations) around an inner loop that never runs: the
  ;; optimizing tier strip-mines it (compiler.optimizing.passes.StripMining), its header has no poll, only the
  ;; strip head before it, once per 1000 iterations
  (func $countedSpin (export "countedSpin")
    (local $i i64) (local $j i32)
    (loop $l
      (global.set $count (i32.add (global.get $count) (i32.const 1)))
      (block $skip
        (br_if $skip (i64.ne (local.get $i) (i64.const -5)))
        (loop $in
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br_if $in (i32.lt_u (local.get $j) (i32.const 10)))))
      (br_if $l (i64.ne (local.tee $i (i64.add (local.get $i) (i64.const 1))) (i64.const -1)))))

  ;; a loop calling the host function "tick"
  (func $spinHost (export "spinHost")
    (loop $l
      (call $tick)
      (br $l)))

  ;; a finite computation: 1 + 2 + ... + n with a loop
  (func $sum (export "sum") (param $n i32) (result i64)
    (local $s i64)
    (block $done
      (loop $l
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $s (i64.add (local.get $s) (i64.extend_i32_u (local.get $n))))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $l)))
    (local.get $s))
)
