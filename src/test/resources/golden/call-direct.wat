(module
  (func $square (param i32) (result i32) (i32.mul (local.get 0) (local.get 0)))
  (func (export "sum_squares") (param i32 i32) (result i32)
    (i32.add (call $square (local.get 0)) (call $square (local.get 1))))
  (func $mixed (param i32 f64 i64 f32) (result f64) (local.get 1))
  (func (export "call_mixed") (param f64) (result f64)
    (call $mixed (i32.const 1) (local.get 0) (i64.const 2) (f32.const 3))))
