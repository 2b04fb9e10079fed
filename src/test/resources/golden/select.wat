(module
  (func (export "select_i32") (param i32 i32 i32) (result i32) (select (local.get 0) (local.get 1) (local.get 2)))
  (func (export "select_i64") (param i64 i64 i32) (result i64) (select (local.get 0) (local.get 1) (local.get 2)))
  (func (export "select_f64") (param f64 f64 i32) (result f64) (select (local.get 0) (local.get 1) (local.get 2)))
  (func (export "select_cmp") (param i32 i32) (result i32)
    (select (local.get 0) (local.get 1) (i32.lt_s (local.get 0) (local.get 1)))))
