;; Offsets beyond a 32-bit displacement: the optimizing tier adds them to the zero-extended index (an i64 address).
(module (memory 1)
  (func (export "ld") (param i32) (result i64) (i64.load offset=0xFFFFFFF0 (local.get 0)))
  (func (export "st8") (param i32 i32) (i32.store8 offset=0x80000000 (local.get 0) (local.get 1))))
