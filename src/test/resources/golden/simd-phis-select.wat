(module
  ;; phis of v128 at a join, select of v128, a v128 global (16-byte cell)
  (global $g (mut v128) (v128.const i32x4 1 2 3 4))
  (func (export "join") (param i32 v128 v128) (result v128) (local v128)
    (if (local.get 0)
      (then (local.set 3 (i16x8.replace_lane 5 (local.get 1) (local.get 0))))
      (else (local.set 3 (global.get $g))))
    (global.set $g (select (local.get 3) (local.get 2) (i32.lt_u (local.get 0) (i32.const 10))))
    (local.get 3)))
