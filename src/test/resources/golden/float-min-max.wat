(module
  (func (export "f32.min") (param f32 f32) (result f32) (f32.min (local.get 0) (local.get 1)))
  (func (export "f32.max") (param f32 f32) (result f32) (f32.max (local.get 0) (local.get 1)))
  (func (export "f64.min") (param f64 f64) (result f64) (f64.min (local.get 0) (local.get 1)))
  (func (export "f64.max") (param f64 f64) (result f64) (f64.max (local.get 0) (local.get 1))))
