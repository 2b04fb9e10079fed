(module
  (func (export "add") (param f32 f32) (result f32) (f32.add (local.get 0) (local.get 1)))
  (func (export "sub") (param f32 f32) (result f32) (f32.sub (local.get 0) (local.get 1)))
  (func (export "mul") (param f32 f32) (result f32) (f32.mul (local.get 0) (local.get 1)))
  (func (export "div") (param f32 f32) (result f32) (f32.div (local.get 0) (local.get 1)))
  (func (export "add_const") (param f32) (result f32) (f32.add (local.get 0) (f32.const 1.5))))
