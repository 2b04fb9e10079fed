(module
  (func (export "first_nonzero") (param i32 i32 i32) (result i32)
    (if (local.get 0) (then (return (local.get 0))))
    (if (local.get 1) (then (return (local.get 1))))
    (local.get 2)))
