;; Order-independent hash of the rows of PostgreSQL COPY text data, at memory speed. Compiled by
;; scripts/build-wasm.mjs into rowhash-wasm.ts (base64); rowhash.ts is its JavaScript side.
;;
;; A row is the bytes up to a newline (COPY text escapes newlines inside values). Each row is hashed on its own,
;; 8 bytes at a time (xxHash64 rounds over row-relative words, the row length folded in, then avalanched); the
;; row hashes are summed modulo 2^64 in two lanes (the second through another bijection), so the result does not
;; depend on row order or on how the bytes are split between calls. A row "\." ends the data (pg_dump writes it
;; after the rows of a table; real data cannot produce it, COPY escapes a backslash as "\\"): it and anything
;; after it are not rows.
;;
;; Two entry points, both resumable at any byte boundary:
;;   rows(ptr, len)   plain COPY data (COPY ... TO STDOUT)
;;   block(ptr, len)  the inside of a pg_dump custom-format data block: chunks of [sign byte, int32 LE length,
;;                    bytes], ended by a zero length. Returns the bytes consumed; `done` is 1 once the end was read.
(module
  (memory (export "memory") 17)

  (global $P1 i64 (i64.const 0x9E3779B185EBCA87))
  (global $P2 i64 (i64.const 0xC2B2AE3D27D4EB4F))
  (global $P3 i64 (i64.const 0x165667B19E3779F9))
  (global $P4 i64 (i64.const 0x85EBCA77C2B2AE63))
  (global $P5 i64 (i64.const 0x27D4EB2F165667C5))

  ;; The row being hashed.
  (global $h (mut i64) (i64.const 0x27D4EB2F165667C5))
  (global $rowLen (mut i64) (i64.const 0))
  (global $pend (mut i64) (i64.const 0))
  (global $npend (mut i32) (i32.const 0))
  ;; The rows so far.
  (global $sum1 (mut i64) (i64.const 0))
  (global $sum2 (mut i64) (i64.const 0))
  (global $count (mut i64) (i64.const 0))
  (global $ended (mut i32) (i32.const 0))
  ;; Custom-format chunk framing.
  (global $remaining (mut i32) (i32.const 0))
  (global $hdr (mut i64) (i64.const 0))
  (global $nhdr (mut i32) (i32.const 0))
  (global $done (mut i32) (i32.const 0))
  (global $bad (mut i32) (i32.const 0))
  (global $skip (mut i32) (i32.const 0))

  (func $round (param $acc i64) (param $v i64) (result i64)
    (i64.mul (i64.rotl (i64.add (local.get $acc) (i64.mul (local.get $v) (global.get $P2))) (i64.const 31))
             (global.get $P1)))

  (func $avalanche (param $x i64) (result i64)
    (local.set $x (i64.xor (local.get $x) (i64.shr_u (local.get $x) (i64.const 33))))
    (local.set $x (i64.mul (local.get $x) (global.get $P2)))
    (local.set $x (i64.xor (local.get $x) (i64.shr_u (local.get $x) (i64.const 29))))
    (local.set $x (i64.mul (local.get $x) (global.get $P3)))
    (i64.xor (local.get $x) (i64.shr_u (local.get $x) (i64.const 32))))

  ;; Ends the current row: $pend holds its last (rowLen mod 8) bytes.
  (func $endRow
    (local $x i64)
    (if (i32.eqz (global.get $ended))
      (then
        (if (i32.and (i64.eq (global.get $rowLen) (i64.const 2)) (i64.eq (global.get $pend) (i64.const 0x2E5C)))
          (then (global.set $ended (i32.const 1)))
          (else
            (local.set $x (call $round (global.get $h) (global.get $pend)))
            (local.set $x (call $avalanche
              (i64.xor (local.get $x) (i64.mul (global.get $rowLen) (global.get $P5)))))
            (global.set $sum1 (i64.add (global.get $sum1) (local.get $x)))
            (global.set $sum2 (i64.add (global.get $sum2)
              (call $avalanche (i64.xor (local.get $x) (global.get $P4)))))
            (global.set $count (i64.add (global.get $count) (i64.const 1)))))))
    (global.set $h (global.get $P5))
    (global.set $rowLen (i64.const 0))
    (global.set $pend (i64.const 0))
    (global.set $npend (i32.const 0)))

  ;; Hashes row bytes [p, end).
  (func $data (param $p i32) (param $end i32)
    (local $b i32)
    (local $v i64)
    (local $t i64)
    (local $z i64)
    (local $k i64)
    (block $out
      (loop $outer
        (br_if $out (i32.ge_u (local.get $p) (local.get $end)))
        (if (i32.eqz (global.get $npend))
          (then
            ;; Word mode: the row so far is a whole number of words.
            (block $words
              (loop $word
                (br_if $words (i32.gt_u (i32.add (local.get $p) (i32.const 8)) (local.get $end)))
                (local.set $v (i64.load (local.get $p)))
                (local.set $t (i64.xor (local.get $v) (i64.const 0x0A0A0A0A0A0A0A0A)))
                (local.set $z (i64.and
                  (i64.and (i64.sub (local.get $t) (i64.const 0x0101010101010101))
                           (i64.xor (local.get $t) (i64.const -1)))
                  (i64.const 0x8080808080808080)))
                (if (i64.eqz (local.get $z))
                  (then
                    (global.set $h (call $round (global.get $h) (local.get $v)))
                    (global.set $rowLen (i64.add (global.get $rowLen) (i64.const 8)))
                    (local.set $p (i32.add (local.get $p) (i32.const 8))))
                  (else
                    ;; k bytes before the newline (the lowest flagged byte is always a real newline).
                    (local.set $k (i64.shr_u (i64.ctz (local.get $z)) (i64.const 3)))
                    (global.set $pend (if (result i64) (i64.eqz (local.get $k))
                      (then (i64.const 0))
                      (else (i64.and (local.get $v)
                        (i64.sub (i64.shl (i64.const 1) (i64.shl (local.get $k) (i64.const 3))) (i64.const 1))))))
                    (global.set $rowLen (i64.add (global.get $rowLen) (local.get $k)))
                    (call $endRow)
                    (local.set $p (i32.add (local.get $p) (i32.add (i32.wrap_i64 (local.get $k)) (i32.const 1))))))
                (br $word)))))
        ;; Byte mode: fewer than 8 bytes left here, or a partial word pending from the previous call.
        (block $bytes
          (loop $byte
            (br_if $out (i32.ge_u (local.get $p) (local.get $end)))
            (local.set $b (i32.load8_u (local.get $p)))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (if (i32.eq (local.get $b) (i32.const 10))
              (then (call $endRow) (br $bytes)))
            (global.set $pend (i64.or (global.get $pend)
              (i64.shl (i64.extend_i32_u (local.get $b)) (i64.extend_i32_u (i32.shl (global.get $npend) (i32.const 3))))))
            (global.set $npend (i32.add (global.get $npend) (i32.const 1)))
            (global.set $rowLen (i64.add (global.get $rowLen) (i64.const 1)))
            (if (i32.eq (global.get $npend) (i32.const 8))
              (then
                (global.set $h (call $round (global.get $h) (global.get $pend)))
                (global.set $pend (i64.const 0))
                (global.set $npend (i32.const 0))
                (br $bytes)))
            (br $byte)))
        (br $outer))))

  (func (export "rows") (param $ptr i32) (param $len i32)
    (call $data (local.get $ptr) (i32.add (local.get $ptr) (local.get $len))))

  (func (export "block") (param $ptr i32) (param $len i32) (result i32)
    (local $p i32)
    (local $end i32)
    (local $n i32)
    (local.set $p (local.get $ptr))
    (local.set $end (i32.add (local.get $ptr) (local.get $len)))
    (block $out
      (loop $chunk
        (br_if $out (i32.or (global.get $done) (i32.ge_u (local.get $p) (local.get $end))))
        (if (i32.gt_u (global.get $remaining) (i32.const 0))
          (then
            (local.set $n (i32.sub (local.get $end) (local.get $p)))
            (if (i32.lt_u (global.get $remaining) (local.get $n)) (then (local.set $n (global.get $remaining))))
            (if (i32.eqz (global.get $skip))
              (then (call $data (local.get $p) (i32.add (local.get $p) (local.get $n)))))
            (local.set $p (i32.add (local.get $p) (local.get $n)))
            (global.set $remaining (i32.sub (global.get $remaining) (local.get $n))))
          (else
            ;; A chunk header: sign byte, then a 4-byte little-endian length.
            (global.set $hdr (i64.or (global.get $hdr)
              (i64.shl (i64.load8_u (local.get $p)) (i64.extend_i32_u (i32.shl (global.get $nhdr) (i32.const 3))))))
            (global.set $nhdr (i32.add (global.get $nhdr) (i32.const 1)))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (if (i32.eq (global.get $nhdr) (i32.const 5))
              (then
                (if (i64.ne (i64.and (global.get $hdr) (i64.const 0xFF)) (i64.const 0))
                  (then (global.set $bad (i32.const 1)) (global.set $done (i32.const 1))))
                (global.set $remaining (i32.wrap_i64 (i64.shr_u (global.get $hdr) (i64.const 8))))
                (if (i32.eqz (global.get $remaining)) (then (global.set $done (i32.const 1))))
                (global.set $hdr (i64.const 0))
                (global.set $nhdr (i32.const 0))))))
        (br $chunk)))
    (i32.sub (local.get $p) (local.get $ptr)))

  ;; Starts a new data set (a table); skip: frame chunks without hashing them.
  (func (export "reset") (param $skip i32)
    (global.set $h (global.get $P5))
    (global.set $rowLen (i64.const 0))
    (global.set $pend (i64.const 0))
    (global.set $npend (i32.const 0))
    (global.set $sum1 (i64.const 0))
    (global.set $sum2 (i64.const 0))
    (global.set $count (i64.const 0))
    (global.set $ended (i32.const 0))
    (global.set $remaining (i32.const 0))
    (global.set $hdr (i64.const 0))
    (global.set $nhdr (i32.const 0))
    (global.set $done (i32.const 0))
    (global.set $bad (i32.const 0))
    (global.set $skip (local.get $skip)))

  (func (export "sum1") (result i64) (global.get $sum1))
  (func (export "sum2") (result i64) (global.get $sum2))
  (func (export "count") (result i64) (global.get $count))
  (func (export "ended") (result i32) (global.get $ended))
  (func (export "done") (result i32) (global.get $done))
  (func (export "bad") (result i32) (global.get $bad))
  ;; Bytes of an unfinished row (a complete stream ends on a newline).
  (func (export "partial") (result i32)
    (i32.or (i32.wrap_i64 (global.get $rowLen)) (global.get $npend))))
