(module
  (func $target (result i32) (i32.const 7))
  (elem declare func $target)
  (func (export "null_func") (result funcref) (ref.null func))
  (func (export "null_extern") (result externref) (ref.null extern))
  (func (export "is_null") (param externref) (result i32) (ref.is_null (local.get 0)))
  (func (export "func") (result funcref) (ref.func $target)))
