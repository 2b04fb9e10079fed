(module
  ;; loop unrolling (passes.LoopUnrolling): a small innermost loop inside another loop becomes four copies of its
  ;; body, each with its own exit test, and one safepoint poll per group.
  (memory 1)
  ;; the sieve: its marking loop, run once per prime of the outer loop
  (func (export "sieve") (param $n i32)
    (local $i i32) (local $j i32)
    (local.set $i (i32.const 2))
    (loop $outer
      (if (i32.eqz (i32.load8_u (local.get $i)))
        (then
          (local.set $j (i32.mul (local.get $i) (local.get $i)))
          (if (i32.lt_u (local.get $j) (local.get $n))
            (then
              (loop $mark
                (i32.store8 (local.get $j) (i32.const 1))
                (local.set $j (i32.add (local.get $j) (local.get $i)))
                (br_if $mark (i32.lt_u (local.get $j) (local.get $n))))))))
      (br_if $outer (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n)))))
  ;; a top-tested loop whose sum is used after it, run once per row: the exit values of the four copies meet in a phi
  (func (export "rowSums") (param $p i32) (param $rows i32) (param $cols i32) (result i32)
    (local $s i32) (local $n i32)
    (loop $row
      (local.set $n (local.get $cols))
      (block $done
        (loop $l
          (br_if $done (i32.eqz (local.get $n)))
          (local.set $s (i32.add (local.get $s) (i32.load (local.get $p))))
          (local.set $p (i32.add (local.get $p) (i32.const 4)))
          (local.set $n (i32.sub (local.get $n) (i32.const 1)))
          (br $l)))
      (br_if $row (local.tee $rows (i32.sub (local.get $rows) (i32.const 1)))))
    (local.get $s))
  ;; a loop that is not inside another loop is left as it is (unrolling every small loop cost 34% of the compile
  ;; throughput of a large module)
  (func (export "once") (param $j i32) (param $step i32) (param $n i32)
    (loop $l
      (i32.store8 (local.get $j) (i32.const 1))
      (local.set $j (i32.add (local.get $j) (local.get $step)))
      (br_if $l (i32.lt_u (local.get $j) (local.get $n)))))
  ;; a loop with a call is left as it is
  (func $f)
  (func (export "calls") (param $n i32)
    (loop $outer
      (loop $l
        (call $f)
        (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
      (br_if $outer (local.get $n)))))
