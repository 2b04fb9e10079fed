(module
  (func (export "f32.convert_i32_s") (param i32) (result f32) (f32.convert_i32_s (local.get 0)))
  (func (export "f64.convert_i32_u") (param i32) (result f64) (f64.convert_i32_u (local.get 0)))
  (func (export "f64.convert_i64_s") (param i64) (result f64) (f64.convert_i64_s (local.get 0)))
  (func (export "f32.convert_i64_u") (param i64) (result f32) (f32.convert_i64_u (local.get 0)))
  (func (export "f64.convert_i64_u") (param i64) (result f64) (f64.convert_i64_u (local.get 0))))
