(module
  ;; v128 loads and stores through the guard region: the address as for scalar accesses, offsets in the displacement
  (memory 1)
  (func (export "copy") (param i32 i32)
    (v128.store offset=16 (local.get 1) (v128.load offset=32 (local.get 0))))
  (func (export "lanes") (param i32) (result v128)
    (v128.store32_lane 1 (local.get 0) (v128.load64_splat offset=8 (local.get 0)))
    (v128.load16_lane 3 (local.get 0) (v128.load32_zero (local.get 0))))
  (func (export "dead") (param i32)
    ;; the result is unused, the load stays: it can trap
    (drop (v128.load offset=1000 (local.get 0)))))
