(module
  (func (export "f32.abs") (param f32) (result f32) (f32.abs (local.get 0)))
  (func (export "f32.neg") (param f32) (result f32) (f32.neg (local.get 0)))
  (func (export "f32.sqrt") (param f32) (result f32) (f32.sqrt (local.get 0)))
  (func (export "f64.abs") (param f64) (result f64) (f64.abs (local.get 0)))
  (func (export "f64.neg") (param f64) (result f64) (f64.neg (local.get 0)))
  (func (export "f64.sqrt") (param f64) (result f64) (f64.sqrt (local.get 0))))
