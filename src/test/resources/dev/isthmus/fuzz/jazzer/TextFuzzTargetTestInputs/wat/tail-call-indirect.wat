(module
  (type $t (func (param i32) (result i32)))
  (table 1 funcref)
  (elem (i32.const 0) $id)
  (func $id (type $t) (local.get 0))
  (func (export "dispatch") (param i32 i32) (result i32)
    (return_call_indirect (type $t) (local.get 0) (local.get 1))))
