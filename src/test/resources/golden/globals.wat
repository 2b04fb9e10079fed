(module
  (global $counter (mut i32) (i32.const 0))
  (global $scale f64 (f64.const 2.0))
  (global $wide (mut i64) (i64.const 0))
  (func (export "bump") (result i32)
    (global.set $counter (i32.add (global.get $counter) (i32.const 1)))
    (global.get $counter))
  (func (export "scaled") (param f64) (result f64) (f64.mul (local.get 0) (global.get $scale)))
  (func (export "set_wide") (param i64) (global.set $wide (local.get 0))))
