(module
  ;; v128 parameters and results in xmm registers (interleaved with f64 and i32), two v128 results
  (func $swap (param v128 f64 i32 v128) (result v128 v128)
    (local.get 3)
    (f64x2.replace_lane 1 (local.get 0) (local.get 1)))
  (func (export "call") (param v128 v128) (result v128)
    (call $swap (local.get 0) (f64.const 2.5) (i32.const 7) (local.get 1))
    (drop)))
