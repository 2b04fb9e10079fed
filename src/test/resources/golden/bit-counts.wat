(module
  (func (export "i32.clz") (param i32) (result i32) (i32.clz (local.get 0)))
  (func (export "i32.ctz") (param i32) (result i32) (i32.ctz (local.get 0)))
  (func (export "i32.popcnt") (param i32) (result i32) (i32.popcnt (local.get 0)))
  (func (export "i64.clz") (param i64) (result i64) (i64.clz (local.get 0)))
  (func (export "i64.ctz") (param i64) (result i64) (i64.ctz (local.get 0)))
  (func (export "i64.popcnt") (param i64) (result i64) (i64.popcnt (local.get 0))))
