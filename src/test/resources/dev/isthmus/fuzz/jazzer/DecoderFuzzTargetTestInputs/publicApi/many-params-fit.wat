(module
  (func (export "six") (param i64 i64 i64 i64 i64 i64) (result i64)
    (i64.sub (i64.add (i64.add (local.get 0) (local.get 1)) (i64.add (local.get 2) (local.get 3)))
             (i64.mul (local.get 4) (local.get 5)))))
