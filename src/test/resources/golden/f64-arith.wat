(module
  (func (export "add") (param f64 f64) (result f64) (f64.add (local.get 0) (local.get 1)))
  (func (export "sub") (param f64 f64) (result f64) (f64.sub (local.get 0) (local.get 1)))
  (func (export "mul") (param f64 f64) (result f64) (f64.mul (local.get 0) (local.get 1)))
  (func (export "div") (param f64 f64) (result f64) (f64.div (local.get 0) (local.get 1)))
  (func (export "poly") (param f64) (result f64)
    (f64.add (f64.mul (local.get 0) (f64.const 2.5)) (f64.const -0.125))))
