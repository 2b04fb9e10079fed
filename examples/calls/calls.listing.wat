(module
  (type (;0;) (func (param i32) (result i32)))
  (type (;1;) (func (param i32 i32) (result i32)))
  (type (;2;) (func (param i32 i32 i32) (result i32)))
  (func $bump (type 0) (param i32) (result i32)
    local.get 0
    i32.const 1
    i32.add)
  (func $twice (type 0) (param i32) (result i32)
    local.get 0
    i32.const 1
    i32.shl)
  (func $mix (type 1) (param i32 i32) (result i32)
    local.get 1
    local.get 0
    i32.xor
    local.get 0
    i32.const 3
    i32.shr_u
    i32.add)
  (func $pick (type 2) (param i32 i32 i32) (result i32)
    local.get 0
    local.get 1
    local.get 2
    i32.const 1
    i32.and
    select)
  (func $calls (type 0) (param i32) (result i32)
    (local i32 i32 i32)
    block  ;; label = @1
      block  ;; label = @2
        local.get 0
        br_if 0 (;@2;)
        i32.const 0
        local.set 1
        br 1 (;@1;)
      end
      i32.const 0
      local.set 2
      i32.const 0
      local.set 1
      loop  ;; label = @2
        local.get 1
        call $bump
        local.get 2
        call $twice
        call $mix
        local.get 1
        local.get 2
        call $pick
        local.set 1
        local.get 2
        i32.const 1
        i32.add
        local.tee 3
        local.set 2
        local.get 0
        local.get 3
        i32.ne
        br_if 0 (;@2;)
      end
    end
    local.get 1)
  (memory (;0;) 2)
  (global $__stack_pointer (mut i32) (i32.const 66560))
  (export "memory" (memory 0))
  (export "calls" (func $calls)))
