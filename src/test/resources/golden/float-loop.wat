(module
  (func (export "power") (param f64 i32) (result f64) (local f64)
    (local.set 2 (f64.const 1))
    (block (br_if 0 (i32.eqz (local.get 1)))
      (loop
        (local.set 2 (f64.mul (local.get 2) (local.get 0)))
        (br_if 0 (local.tee 1 (i32.sub (local.get 1) (i32.const 1))))))
    (local.get 2)))
