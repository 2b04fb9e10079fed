(module
  (func (export "and") (param i32 i32) (result i32) (i32.and (local.get 0) (local.get 1)))
  (func (export "or") (param i32 i32) (result i32) (i32.or (local.get 0) (local.get 1)))
  (func (export "xor") (param i32 i32) (result i32) (i32.xor (local.get 0) (local.get 1)))
  (func (export "not") (param i32) (result i32) (i32.xor (local.get 0) (i32.const -1)))
  (func (export "mask") (param i32) (result i32) (i32.and (local.get 0) (i32.const 0xff))))
