(module
  (func $ten (export "ten") (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32)
    (i32.add (i32.add (local.get 0) (local.get 6)) (i32.add (local.get 8) (local.get 9))))
  (func $floats (export "floats") (param f64 f64 f64 f64 f64 f64 f64 f64 f64 f64) (result f64)
    (f64.add (local.get 0) (local.get 9)))
  (func (export "call_ten") (param i32) (result i32)
    (call $ten (local.get 0) (i32.const 1) (i32.const 2) (i32.const 3) (i32.const 4)
      (i32.const 5) (i32.const 6) (i32.const 7) (i32.const 8) (i32.const 9))))
