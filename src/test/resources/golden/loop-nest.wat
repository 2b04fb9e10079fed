(module (memory 1)
  (func (export "matsum") (param i32 i32) (result i32) (local i32 i32 i32)
    (local.set 2 (i32.const 0))
    (block $outer_done
      (loop $outer
        (br_if $outer_done (i32.ge_u (local.get 2) (local.get 1)))
        (local.set 3 (i32.const 0))
        (block $inner_done
          (loop $inner
            (br_if $inner_done (i32.ge_u (local.get 3) (local.get 1)))
            (local.set 4 (i32.add (local.get 4)
              (i32.load (i32.add (local.get 0)
                (i32.shl (i32.add (i32.mul (local.get 2) (local.get 1)) (local.get 3)) (i32.const 2))))))
            (local.set 3 (i32.add (local.get 3) (i32.const 1)))
            (br $inner)))
        (local.set 2 (i32.add (local.get 2) (i32.const 1)))
        (br $outer)))
    (local.get 4)))
