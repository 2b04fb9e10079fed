(module
  (func (export "div_s_7") (param i32) (result i32) (i32.div_s (local.get 0) (i32.const 7)))
  (func (export "rem_u_16") (param i32) (result i32) (i32.rem_u (local.get 0) (i32.const 16)))
  (func (export "div_by_zero") (param i32) (result i32) (i32.div_u (local.get 0) (i32.const 0)))
  (func (export "div_s_minus1") (param i64) (result i64) (i64.div_s (local.get 0) (i64.const -1))))
