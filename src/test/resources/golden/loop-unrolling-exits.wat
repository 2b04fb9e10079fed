;; Loops with several exits, unrolled at the top level of their function (LoopUnrolling, LoopExitValues): a memcmp
;; byte loop (exits on a difference and at the end; the difference is computed after the loop from the last
;; iteration's bytes), and a scanner whose two exits meet again (the pointer used after the join).
(module
  (memory 1)
  (func (export "memcmp") (param $l i32) (param $r i32) (param $n i32) (result i32)
    (local $a i32) (local $b i32)
    (block $equal
      (br_if $equal (i32.eqz (local.get $n)))
      (block $differ
        (loop $next
          (local.set $a (i32.load8_u (local.get $l)))
          (local.set $b (i32.load8_u (local.get $r)))
          (br_if $differ (i32.ne (local.get $a) (local.get $b)))
          (local.set $l (i32.add (local.get $l) (i32.const 1)))
          (local.set $r (i32.add (local.get $r) (i32.const 1)))
          (br_if $next (local.tee $n (i32.add (local.get $n) (i32.const -1))))
          (br $equal)))
      (return (i32.sub (local.get $a) (local.get $b))))
    (i32.const 0))
  (func (export "find") (param $p i32) (param $end i32) (param $c i32) (result i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (br_if $done (i32.eq (i32.load8_u (local.get $p)) (local.get $c)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $next)))
    (i32.sub (local.get $p) (local.get $end))))
