(module
  (func (export "eqz") (param i64) (result i32) (i64.eqz (local.get 0)))
  (func (export "eq") (param i64 i64) (result i32) (i64.eq (local.get 0) (local.get 1)))
  (func (export "gt_u") (param i64 i64) (result i32) (i64.gt_u (local.get 0) (local.get 1)))
  (func (export "le_s") (param i64 i64) (result i32) (i64.le_s (local.get 0) (local.get 1)))
  (func (export "ge_u") (param i64 i64) (result i32) (i64.ge_u (local.get 0) (local.get 1))))
