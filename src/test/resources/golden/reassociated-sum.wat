(module
  ;; an unrolled reduction as clang emits it: acc' = p1 + (p2 + (p3 + (p4 + acc))); the optimizing tier adds the
  ;; loads pairwise and the accumulator last (one dependent addition per iteration), scalar and i32x4
  (memory 1)
  (func (export "sum") (param i32 i32) (result i32) (local i32)
    (loop
      (local.set 2 (i32.add (i32.load offset=0 (local.get 0))
        (i32.add (i32.load offset=4 (local.get 0))
          (i32.add (i32.load offset=8 (local.get 0))
            (i32.add (i32.load offset=12 (local.get 0)) (local.get 2))))))
      (local.set 0 (i32.add (local.get 0) (i32.const 16)))
      (br_if 0 (local.tee 1 (i32.sub (local.get 1) (i32.const 1)))))
    (local.get 2))
  (func (export "vsum") (param i32 i32) (result v128) (local v128)
    (loop
      (local.set 2 (i32x4.add (v128.load offset=0 (local.get 0))
        (i32x4.add (v128.load offset=16 (local.get 0))
          (i32x4.add (v128.load offset=32 (local.get 0))
            (i32x4.add (v128.load offset=48 (local.get 0)) (local.get 2))))))
      (local.set 0 (i32.add (local.get 0) (i32.const 64)))
      (br_if 0 (local.tee 1 (i32.sub (local.get 1) (i32.const 1)))))
    (local.get 2)))
