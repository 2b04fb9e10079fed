(module
  (func (export "shl") (param i64 i64) (result i64) (i64.shl (local.get 0) (local.get 1)))
  (func (export "shr_s") (param i64 i64) (result i64) (i64.shr_s (local.get 0) (local.get 1)))
  (func (export "shr_u") (param i64 i64) (result i64) (i64.shr_u (local.get 0) (local.get 1)))
  (func (export "rotl") (param i64 i64) (result i64) (i64.rotl (local.get 0) (local.get 1)))
  (func (export "rotr_const") (param i64) (result i64) (i64.rotr (local.get 0) (i64.const 7))))
