(module
  ;; loop strip mining (passes.StripMining): a counted loop around another loop polls once per strip of 1000
  ;; iterations, at its strip head, instead of at its header on every iteration.
  (memory 1)
  ;; clang's sieve outer loop: i64 counter, "ne" against the limit after the increment; the inner loop runs only
  ;; for primes
  (func (export "sieve") (param $n i64)
    (local $i i64) (local $j i64)
    (local.set $i (i64.const 2))
    (loop $outer
      (if (i32.eqz (i32.load8_u (i32.wrap_i64 (local.get $i))))
        (then
          (local.set $j (i64.mul (local.get $i) (local.get $i)))
          (loop $mark
            (i32.store8 (i32.wrap_i64 (local.get $j)) (i32.const 1))
            (local.set $j (i64.add (local.get $j) (local.get $i)))
            (br_if $mark (i64.lt_u (local.get $j) (local.get $n))))))
      (br_if $outer (i64.ne (local.tee $i (i64.add (local.get $i) (i64.const 1))) (local.get $n)))))
  ;; counting down to zero, the counter itself as the condition (i32); rows of no columns skip the inner loop
  (func (export "rows") (param $p i32) (param $rows i32) (param $cols i32) (result i32)
    (local $s i32) (local $c i32)
    (loop $row
      (local.set $c (local.get $cols))
      (if (local.get $c)
        (then
          (loop $col
            (local.set $s (i32.add (local.get $s) (i32.load (local.get $p))))
            (local.set $p (i32.add (local.get $p) (i32.const 4)))
            (br_if $col (local.tee $c (i32.sub (local.get $c) (i32.const 1)))))))
      (br_if $row (local.tee $rows (i32.add (local.get $rows) (i32.const -1)))))
    (local.get $s))
  ;; exit by "br_if" on equality, the counter tested before its increment, the limit on the left; the increment
  ;; after the test is repeated on the way to the strip head
  (func (export "eqExit") (param $n i32) (result i32)
    (local $i i32) (local $j i32) (local $s i32)
    (block $done
      (loop $l
        (local.set $j (i32.const 0))
        (if (i32.and (local.get $i) (i32.const 1))
          (then
            (loop $in
              (local.set $s (i32.add (local.get $s) (local.get $j)))
              (br_if $in (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 1))) (local.get $i))))))
        (br_if $done (i32.eq (local.get $n) (local.get $i)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
    (local.get $s))
  ;; left alone: a step of 2, a counted loop without an inner loop, and one whose every iteration runs its inner
  ;; loop (whose polls dominate)
  (func (export "stepTwo") (param $n i32) (result i32)
    (local $i i32) (local $j i32) (local $s i32)
    (loop $l
      (local.set $j (i32.const 0))
      (loop $in
        (local.set $s (i32.add (local.get $s) (local.get $j)))
        (br_if $in (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 1))) (local.get $i))))
      (br_if $l (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 2))) (local.get $n))))
    (local.get $s))
  (func (export "alwaysInner") (param $n i32) (result i32)
    (local $i i32) (local $j i32) (local $s i32)
    (loop $l
      (local.set $j (i32.const 0))
      (loop $in
        (local.set $s (i32.add (local.get $s) (local.get $j)))
        (br_if $in (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 1))) (local.get $i))))
      (br_if $l (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (local.get $s))
  (func (export "flat") (param $n i32) (result i32)
    (local $i i32) (local $s i32)
    (loop $l
      (local.set $s (i32.add (local.get $s) (i32.mul (local.get $i) (local.get $i))))
      (br_if $l (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (local.get $s))
)
