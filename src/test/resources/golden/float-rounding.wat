(module
  (func (export "f32.ceil") (param f32) (result f32) (f32.ceil (local.get 0)))
  (func (export "f32.floor") (param f32) (result f32) (f32.floor (local.get 0)))
  (func (export "f32.trunc") (param f32) (result f32) (f32.trunc (local.get 0)))
  (func (export "f32.nearest") (param f32) (result f32) (f32.nearest (local.get 0)))
  (func (export "f64.ceil") (param f64) (result f64) (f64.ceil (local.get 0)))
  (func (export "f64.floor") (param f64) (result f64) (f64.floor (local.get 0)))
  (func (export "f64.trunc") (param f64) (result f64) (f64.trunc (local.get 0)))
  (func (export "f64.nearest") (param f64) (result f64) (f64.nearest (local.get 0))))
