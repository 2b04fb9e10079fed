(module
  (memory i64 1)
  ;; matmul's inner loop (c[j] += a * b[j], two pointers and a counter, exit on counter != n): versioned. G tests
  ;; that the counter hits n (K = (n - 1) / 1 iterations after the first) and that both pointers stay in bounds over
  ;; iterations 0..K without wrapping; then the copy runs without checks (its loads and stores are "inbounds"),
  ;; otherwise the original loop with its per-block checks
  (func (export "axpy") (param $c i64) (param $b i64) (param $n i64) (param $a f64) (local $i i64)
    (loop $l
      (f64.store (local.get $c)
        (f64.add (f64.load (local.get $c)) (f64.mul (local.get $a) (f64.load (local.get $b)))))
      (local.set $c (i64.add (local.get $c) (i64.const 8)))
      (local.set $b (i64.add (local.get $b) (i64.const 8)))
      (local.set $i (i64.add (local.get $i) (i64.const 1)))
      (br_if $l (i64.ne (local.get $i) (local.get $n)))))
  ;; counting down to zero, tested at the top (eqz), the index derived from the counter (p + i * 4)
  (func (export "sum_down") (param $p i64) (param $i i64) (result i32) (local $s i32)
    (block $d (loop $l
      (br_if $d (i64.eqz (local.get $i)))
      (local.set $i (i64.sub (local.get $i) (i64.const 1)))
      (local.set $s (i32.add (local.get $s)
        (i32.load offset=4 (i64.add (local.get $p) (i64.shl (local.get $i) (i64.const 2))))))
      (br $l)))
    (local.get $s))
  ;; not versioned: a call in the loop (the callee could grow the memory), a step that is not a power of two
  (func $f)
  (func (export "with_call") (param $p i64) (param $n i64)
    (loop $l
      (i64.store (local.get $p) (local.get $n))
      (call $f)
      (local.set $p (i64.add (local.get $p) (i64.const 8)))
      (local.set $n (i64.sub (local.get $n) (i64.const 1)))
      (br_if $l (i64.ne (local.get $n) (i64.const 0)))))
  (func (export "step3") (param $p i64) (param $n i64)
    (loop $l
      (i32.store8 (local.get $p) (i32.const 1))
      (local.set $p (i64.add (local.get $p) (i64.const 3)))
      (local.set $n (i64.sub (local.get $n) (i64.const 3)))
      (br_if $l (i64.ne (local.get $n) (i64.const 0)))))
  ;; constant bounds: every condition is decided at compile time (a branch on true remains)
  (func (export "clear") (local $i i64)
    (loop $l
      (i64.store offset=8 (i64.shl (local.get $i) (i64.const 3)) (i64.const 0))
      (local.set $i (i64.add (local.get $i) (i64.const 1)))
      (br_if $l (i64.ne (local.get $i) (i64.const 100))))))
