(module
  (table $t 4 10 funcref)
  (table $e 2 externref)
  (func (export "get") (param i32) (result funcref) (table.get $t (local.get 0)))
  (func (export "set") (param i32 funcref) (table.set $t (local.get 0) (local.get 1)))
  (func (export "size") (result i32) (table.size $t))
  (func (export "grow") (param funcref i32) (result i32) (table.grow $t (local.get 0) (local.get 1)))
  (func (export "get_extern") (param i32) (result externref) (table.get $e (local.get 0))))
