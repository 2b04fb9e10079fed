(module
  (func (export "folded") (result i32) (i32.mul (i32.add (i32.const 2) (i32.const 3)) (i32.const 7)))
  (func (export "identity") (param i32) (result i32) (i32.add (i32.mul (local.get 0) (i32.const 1)) (i32.const 0))))
