(module
  (func (export "add") (param i64 i64) (result i64) (i64.add (local.get 0) (local.get 1)))
  (func (export "sub") (param i64 i64) (result i64) (i64.sub (local.get 0) (local.get 1)))
  (func (export "mul") (param i64 i64) (result i64) (i64.mul (local.get 0) (local.get 1)))
  (func (export "big_const") (param i64) (result i64) (i64.add (local.get 0) (i64.const 0x123456789abcdef))))
