(module
  (func (export "eqz") (param i32) (result i32) (i32.eqz (local.get 0)))
  (func (export "eq") (param i32 i32) (result i32) (i32.eq (local.get 0) (local.get 1)))
  (func (export "ne") (param i32 i32) (result i32) (i32.ne (local.get 0) (local.get 1)))
  (func (export "lt_s") (param i32 i32) (result i32) (i32.lt_s (local.get 0) (local.get 1)))
  (func (export "lt_u") (param i32 i32) (result i32) (i32.lt_u (local.get 0) (local.get 1)))
  (func (export "gt_s") (param i32 i32) (result i32) (i32.gt_s (local.get 0) (local.get 1)))
  (func (export "le_u") (param i32 i32) (result i32) (i32.le_u (local.get 0) (local.get 1)))
  (func (export "ge_s_const") (param i32) (result i32) (i32.ge_s (local.get 0) (i32.const 100))))
