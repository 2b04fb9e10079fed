(module
  (func (export "clamp") (param f64) (result f64)
    (if (result f64) (f64.lt (local.get 0) (f64.const 0))
      (then (f64.const 0))
      (else (local.get 0)))))
