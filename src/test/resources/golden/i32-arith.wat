(module
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "sub") (param i32 i32) (result i32) (i32.sub (local.get 0) (local.get 1)))
  (func (export "mul") (param i32 i32) (result i32) (i32.mul (local.get 0) (local.get 1)))
  (func (export "add_const") (param i32) (result i32) (i32.add (local.get 0) (i32.const 42)))
  (func (export "mul_const") (param i32) (result i32) (i32.mul (local.get 0) (i32.const 10))))
