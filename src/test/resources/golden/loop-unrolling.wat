(module
  ;; loop unrolling (passes.LoopUnrolling): the sieve's inner loop, a bottom-tested loop of a few instructions,
  ;; becomes four copies of its body, each with its own exit test, one safepoint poll per group
  (memory 1)
  (func (export "mark") (param $j i32) (param $step i32) (param $n i32)
    (loop $l
      (i32.store8 (local.get $j) (i32.const 1))
      (local.set $j (i32.add (local.get $j) (local.get $step)))
      (br_if $l (i32.lt_u (local.get $j) (local.get $n)))))
  ;; a top-tested loop whose sum is used after it: the exit values of the four copies meet in a phi
  (func (export "sum") (param $p i32) (param $n i32) (result i32) (local $s i32)
    (block $done
      (loop $l
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $s (i32.add (local.get $s) (i32.load (local.get $p))))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $l)))
    (local.get $s))
  ;; a loop with a call is left as it is
  (func $f)
  (func (export "calls") (param $n i32)
    (loop $l
      (call $f)
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))))
