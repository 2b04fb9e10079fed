;; Spill choice by loop depth: more values live across the call in the outer loop than callee-saved registers
;; (n, a, b, c, i, the memory base): two must live in stack slots. Spilled are those with the fewest uses per position
;; weighted by loop depth, a and c (read once per outer iteration); the memory base, n and b, used in every iteration
;; of the innermost loop, keep registers (rbx, r12, r13), so the inner loops reload nothing.
(module
  (memory 1)
  (func $row (param i32) (result i32) (i32.add (local.get 0) (i32.const 0)))
  (func (export "matmul") (param $n i32) (param $a i32) (param $b i32) (param $c i32)
    (local $i i32) (local $j i32) (local $k i32) (local $sum i32) (local $rowa i32) (local $rowc i32)
    (loop $outer
      (local.set $rowc (call $row (i32.add (local.get $c) (i32.mul (local.get $i) (i32.shl (local.get $n) (i32.const 2))))))
      (local.set $rowa (i32.add (local.get $a) (i32.mul (local.get $i) (i32.shl (local.get $n) (i32.const 2)))))
      (local.set $j (i32.const 0))
      (loop $middle
        (local.set $sum (i32.const 0))
        (local.set $k (i32.const 0))
        (loop $inner
          (local.set $sum (i32.add (local.get $sum)
            (i32.mul (i32.load (i32.add (local.get $rowa) (i32.shl (local.get $k) (i32.const 2))))
                     (i32.load (i32.add (local.get $b)
                       (i32.shl (i32.add (i32.mul (local.get $k) (local.get $n)) (local.get $j)) (i32.const 2)))))))
          (br_if $inner (i32.lt_u (local.tee $k (i32.add (local.get $k) (i32.const 1))) (local.get $n))))
        (i32.store (i32.add (local.get $rowc) (i32.shl (local.get $j) (i32.const 2))) (local.get $sum))
        (br_if $middle (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 1))) (local.get $n))))
      (br_if $outer (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    ;; the memory base and b live on after the loops: spilling the interval that ends last (the rule before spill
    ;; weights) spilled them, and the innermost loop reloaded the memory base, n and b in every iteration
    (i32.store (i32.const 0) (local.get $b))))
