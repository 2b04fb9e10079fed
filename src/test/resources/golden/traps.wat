(module
  (func (export "unreachable") (unreachable))
  (func (export "guarded") (param i32) (result i32)
    (if (i32.gt_u (local.get 0) (i32.const 10)) (then (unreachable)))
    (local.get 0))
  (func (export "overflow") (param i32) (result i32) (i32.div_s (i32.const 0x80000000) (local.get 0))))
