(module
  (func $f (param i32) (result i32) (local.get 0))
  (func (export "keep") (param i32 i32 i32 i32) (result i32)
    (i32.add (i32.add (call $f (local.get 0)) (local.get 1))
             (i32.add (local.get 2) (local.get 3)))))
