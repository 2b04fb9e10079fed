;; memory.copy / memory.fill in a loop (issue 12's memcpy/memset pathology): see README.md.
;; Each export takes an iteration count and returns it; the length is a parameter of the loop function (as in
;; memcpy with a run-time size). Sources move over the first 256 KiB, destinations 1 MiB + 0..63 (unaligned).
(module
  (memory (export "memory") 34)
  (func $copy (param $n i32) (param $iters i32) (result i32)
    (local $i i32)
    (loop $l
      (memory.copy
        (i32.add (i32.const 1048576) (i32.and (local.get $i) (i32.const 63)))
        (i32.shl (i32.and (local.get $i) (i32.const 255)) (i32.const 6))
        (local.get $n))
      (br_if $l (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $iters))))
    (local.get $i))
  (func $fill (param $n i32) (param $iters i32) (result i32)
    (local $i i32)
    (loop $l
      (memory.fill
        (i32.add (i32.const 1048576) (i32.and (local.get $i) (i32.const 63)))
        (local.get $i)
        (local.get $n))
      (br_if $l (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $iters))))
    (local.get $i))
  ;; an overlapping copy with dst above src (memmove backwards)
  (func $move_up (param $n i32) (param $iters i32) (result i32)
    (local $i i32)
    (loop $l
      (memory.copy (i32.const 4099) (i32.const 4096) (local.get $n))
      (br_if $l (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $iters))))
    (local.get $i))
  (func (export "copy16") (param i32) (result i32) (call $copy (i32.const 16) (local.get 0)))
  (func (export "copy256") (param i32) (result i32) (call $copy (i32.const 256) (local.get 0)))
  (func (export "copy64k") (param i32) (result i32) (call $copy (i32.const 65536) (local.get 0)))
  (func (export "fill16") (param i32) (result i32) (call $fill (i32.const 16) (local.get 0)))
  (func (export "fill256") (param i32) (result i32) (call $fill (i32.const 256) (local.get 0)))
  (func (export "fill64k") (param i32) (result i32) (call $fill (i32.const 65536) (local.get 0)))
  (func (export "move_up256") (param i32) (result i32) (call $move_up (i32.const 256) (local.get 0)))
  (func (export "move_up64k") (param i32) (result i32) (call $move_up (i32.const 65536) (local.get 0))))
