(module
  (func (export "promote") (param f32) (result f64) (f64.promote_f32 (local.get 0)))
  (func (export "demote") (param f64) (result f32) (f32.demote_f64 (local.get 0)))
  (func (export "i32.reinterpret") (param f32) (result i32) (i32.reinterpret_f32 (local.get 0)))
  (func (export "f32.reinterpret") (param i32) (result f32) (f32.reinterpret_i32 (local.get 0)))
  (func (export "i64.reinterpret") (param f64) (result i64) (i64.reinterpret_f64 (local.get 0)))
  (func (export "f64.reinterpret") (param i64) (result f64) (f64.reinterpret_i64 (local.get 0))))
