;; A tiny WASI command written by hand: prints the files named on its command line, read through the first
;; preopened directory (fd 3), like `cat`. Exits 1 (with a message on stderr) when a file cannot be opened.
;;
;;   ./isthmus run --dir examples/wasi-cat::/ examples/wasi-cat/cat.wat greeting.txt
;;
;; Memory map:  0..16  iovec / results   16..64  message   1024..  argv pointers and strings   65536..  read buffer
(module
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_close" (func $fd_close (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 2)
  (data (i32.const 16) "cat: cannot open a file\n")

  ;; writes [ptr, ptr+len) to fd
  (func $write (param $fd i32) (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 8))))

  (func $strlen (param $p i32) (result i32)
    (local $n i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (i32.load8_u (i32.add (local.get $p) (local.get $n)))))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $n))

  ;; copies the file at path $p (NUL-terminated) to stdout; 0 or the errno of path_open
  (func $cat (param $p i32) (result i32)
    (local $fd i32) (local $errno i32)
    (local.set $errno (call $path_open (i32.const 3) (i32.const 1) (local.get $p) (call $strlen (local.get $p))
      (i32.const 0) (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 12)))  ;; rights: fd_read
    (if (local.get $errno) (then (return (local.get $errno))))
    (local.set $fd (i32.load (i32.const 12)))
    (block $eof
      (loop $more
        (i32.store (i32.const 0) (i32.const 65536))
        (i32.store (i32.const 4) (i32.const 65536))
        (br_if $eof (call $fd_read (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 8)))
        (br_if $eof (i32.eqz (i32.load (i32.const 8))))
        (call $write (i32.const 1) (i32.const 65536) (i32.load (i32.const 8)))
        (br $more)))
    (drop (call $fd_close (local.get $fd)))
    (i32.const 0))

  (func (export "_start")
    (local $argc i32) (local $i i32)
    (drop (call $args_sizes_get (i32.const 0) (i32.const 4)))
    (local.set $argc (i32.load (i32.const 0)))
    (drop (call $args_get (i32.const 1024) (i32.add (i32.const 1024) (i32.mul (local.get $argc) (i32.const 4)))))
    (local.set $i (i32.const 1))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $argc)))
        (if (call $cat (i32.load (i32.add (i32.const 1024) (i32.mul (local.get $i) (i32.const 4)))))
          (then
            (call $write (i32.const 2) (i32.const 16) (i32.const 24))
            (call $proc_exit (i32.const 1))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))))
