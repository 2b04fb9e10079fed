(module
  (func (export "nops") (param i32) (result i32) (nop) (nop) (local.get 0) (nop))
  (func (export "drops") (param i32 i64) (result i32)
    (drop (local.get 1))
    (drop (i32.mul (local.get 0) (local.get 0)))
    (local.get 0)))
