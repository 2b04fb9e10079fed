(module
  (func (export "f32.eq") (param f32 f32) (result i32) (f32.eq (local.get 0) (local.get 1)))
  (func (export "f32.ne") (param f32 f32) (result i32) (f32.ne (local.get 0) (local.get 1)))
  (func (export "f32.lt") (param f32 f32) (result i32) (f32.lt (local.get 0) (local.get 1)))
  (func (export "f64.gt") (param f64 f64) (result i32) (f64.gt (local.get 0) (local.get 1)))
  (func (export "f64.le") (param f64 f64) (result i32) (f64.le (local.get 0) (local.get 1)))
  (func (export "f64.ge") (param f64 f64) (result i32) (f64.ge (local.get 0) (local.get 1))))
