;; float32 matrix products for the wasm backend's `BatchMatMul` (src/backend/), with transposes.
;;
;; Built by `npm run build:kernels` (scripts/build-kernels.mjs, wabt's wat2wasm) into
;; src/gemm32KernelBinary.ts; src/gemm32.ts loads it, on its own memory or on the memory of
;; tfjs-backend-wasm itself (eigenflow's src/backend/), so it reads and writes tensors in place.
;;
;; Conventions: every pointer is a BYTE offset into the imported memory; every stride counts
;; float32 entries. An operand is addressed through two strides, so one function serves every
;; transpose combination: A[i, p] is at a + 4·(i·sar + p·sac), B[p, j] at b + 4·(p·sbr + j·sbc)
;; (a row-major A has sar = k, sac = 1; Aᵀ stored row-major has sar = 1, sac = m). C is row-major
;; and contiguous (m×n). A batch stride of 0 repeats an operand for every product (broadcasting).
;;
;; The method is GotoBLAS's, sized for WebAssembly SIMD128 (four f32 lanes, no fused multiply–add,
;; and V8 on x64 allocates 15 vector registers): B is copied, KC rows × NC columns at a time, into
;; slivers of 8 columns (zero-padded past the last column), and a 4×8 block of C is summed in eight
;; vector registers over the KC terms ($micro), reading A in place: 8 multiplies and 8 adds per 6
;; loads, with registers to spare for the operands and the product. (A 6×8 block needs 16 and
;; spills: 28 against 40 GFLOP/s on a 1000×100·100×100 product.) Blocks at the bottom or right edge
;; of C are summed whole (A's last row repeated, B's padding zero); only valid entries are stored.
(module
  (import "env" "mem" (memory 1))

  ;; matmul(c, a, b, batch, m, n, k, sar, sac, sbr, sbc, batchA, batchB, pack) — for t < batch:
  ;;   C_t = A_t · B_t, A_t at a + 4·t·batchA, B_t at b + 4·t·batchB, C_t at c + 4·t·m·n.
  ;; `pack`: PACK_BYTES (KC·NC·4) of scratch, 16-byte aligned. k ≥ 1.
  (func (export "matmul")
    (param $c i32) (param $a i32) (param $b i32) (param $batch i32) (param $m i32) (param $n i32) (param $k i32)
    (param $sar i32) (param $sac i32) (param $sbr i32) (param $sbc i32) (param $batchA i32) (param $batchB i32) (param $pack i32)
    (local $t i32) (local $p0 i32) (local $kc i32) (local $j0 i32) (local $nc i32) (local $i0 i32) (local $s i32)
    (local $at i32) (local $bt i32) (local $ct i32) (local $sar4 i32) (local $sac4 i32)
    (local.set $sar4 (i32.shl (local.get $sar) (i32.const 2)))
    (local.set $sac4 (i32.shl (local.get $sac) (i32.const 2)))
    (local.set $t (i32.const 0))
    (block $batch_done
      (loop $products
        (br_if $batch_done (i32.ge_u (local.get $t) (local.get $batch)))
        (local.set $at (i32.add (local.get $a) (i32.shl (i32.mul (local.get $t) (local.get $batchA)) (i32.const 2))))
        (local.set $bt (i32.add (local.get $b) (i32.shl (i32.mul (local.get $t) (local.get $batchB)) (i32.const 2))))
        (local.set $ct (i32.add (local.get $c) (i32.shl (i32.mul (local.get $t) (i32.mul (local.get $m) (local.get $n))) (i32.const 2))))
        (local.set $p0 (i32.const 0))
        (loop $k_blocks
          ;; kc = min(256, k − p0)
          (local.set $kc (i32.sub (local.get $k) (local.get $p0)))
          (if (i32.gt_s (local.get $kc) (i32.const 256)) (then (local.set $kc (i32.const 256))))
          (local.set $j0 (i32.const 0))
          (loop $n_blocks
            ;; nc = min(512, n − j0)
            (local.set $nc (i32.sub (local.get $n) (local.get $j0)))
            (if (i32.gt_s (local.get $nc) (i32.const 512)) (then (local.set $nc (i32.const 512))))
            (call $pack_b
              (i32.add (local.get $bt) (i32.shl (i32.add (i32.mul (local.get $p0) (local.get $sbr)) (i32.mul (local.get $j0) (local.get $sbc))) (i32.const 2)))
              (local.get $sbr) (local.get $sbc) (local.get $kc) (local.get $nc) (local.get $pack))
            (local.set $i0 (i32.const 0))
            (loop $row_blocks
              (local.set $s (i32.const 0))
              (loop $slivers
                ;; C[i0.., j0+s..] (+)= A[i0.., p0..] · sliver s/8
                (call $micro
                  (i32.add (local.get $at) (i32.add (i32.mul (local.get $i0) (local.get $sar4)) (i32.mul (local.get $p0) (local.get $sac4))))
                  (local.get $sar4) (local.get $sac4)
                  (i32.sub (local.get $m) (local.get $i0))
                  (i32.add (local.get $pack) (i32.shl (i32.mul (local.get $s) (local.get $kc)) (i32.const 2)))
                  (local.get $kc)
                  (i32.add (local.get $ct) (i32.shl (i32.add (i32.mul (local.get $i0) (local.get $n)) (i32.add (local.get $j0) (local.get $s))) (i32.const 2)))
                  (i32.shl (local.get $n) (i32.const 2))
                  (i32.sub (local.get $nc) (local.get $s))
                  (local.get $p0))
                (local.set $s (i32.add (local.get $s) (i32.const 8)))
                (br_if $slivers (i32.lt_s (local.get $s) (local.get $nc))))
              (local.set $i0 (i32.add (local.get $i0) (i32.const 4)))
              (br_if $row_blocks (i32.lt_s (local.get $i0) (local.get $m))))
            (local.set $j0 (i32.add (local.get $j0) (i32.const 512)))
            (br_if $n_blocks (i32.lt_s (local.get $j0) (local.get $n))))
          (local.set $p0 (i32.add (local.get $p0) (i32.const 256)))
          (br_if $k_blocks (i32.lt_s (local.get $p0) (local.get $k))))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $products))))

  ;; $pack_b(src, sbr, sbc, kc, nc, dst): the kc×nc block of B at src (B[p, j] at src + 4·(p·sbr + j·sbc))
  ;; as slivers of 8 columns: entry (p, s + q) goes to dst + 4·(s·kc + 8·p + q), columns ≥ nc as zeros.
  ;; A sliver of 8 columns that are contiguous in memory (sbc = 1) is copied two vectors per row.
  (func $pack_b
    (param $src i32) (param $sbr i32) (param $sbc i32) (param $kc i32) (param $nc i32) (param $dst i32)
    (local $s i32) (local $p i32) (local $q i32) (local $from i32) (local $row i32) (local $sbr4 i32) (local $sbc4 i32) (local $w i32)
    (local.set $sbr4 (i32.shl (local.get $sbr) (i32.const 2)))
    (local.set $sbc4 (i32.shl (local.get $sbc) (i32.const 2)))
    (local.set $s (i32.const 0))
    (loop $slivers
      (local.set $row (i32.add (local.get $src) (i32.mul (local.get $s) (local.get $sbc4))))
      ;; w = columns of this sliver inside the block (≤ 8)
      (local.set $w (i32.sub (local.get $nc) (local.get $s)))
      (if (i32.gt_s (local.get $w) (i32.const 8)) (then (local.set $w (i32.const 8))))
      (local.set $p (i32.const 0))
      (if (i32.and (i32.eq (local.get $sbc) (i32.const 1)) (i32.eq (local.get $w) (i32.const 8)))
        (then
          (loop $rows
            (v128.store align=4 (local.get $dst) (v128.load align=4 (local.get $row)))
            (v128.store offset=16 align=4 (local.get $dst) (v128.load offset=16 align=4 (local.get $row)))
            (local.set $dst (i32.add (local.get $dst) (i32.const 32)))
            (local.set $row (i32.add (local.get $row) (local.get $sbr4)))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br_if $rows (i32.lt_s (local.get $p) (local.get $kc)))))
        (else
          (loop $rows
            (v128.store align=4 (local.get $dst) (v128.const i32x4 0 0 0 0))
            (v128.store offset=16 align=4 (local.get $dst) (v128.const i32x4 0 0 0 0))
            (local.set $from (local.get $row))
            (local.set $q (i32.const 0))
            (loop $cols
              (f32.store (i32.add (local.get $dst) (i32.shl (local.get $q) (i32.const 2))) (f32.load (local.get $from)))
              (local.set $from (i32.add (local.get $from) (local.get $sbc4)))
              (local.set $q (i32.add (local.get $q) (i32.const 1)))
              (br_if $cols (i32.lt_s (local.get $q) (local.get $w))))
            (local.set $dst (i32.add (local.get $dst) (i32.const 32)))
            (local.set $row (i32.add (local.get $row) (local.get $sbr4)))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br_if $rows (i32.lt_s (local.get $p) (local.get $kc))))))
      (local.set $s (i32.add (local.get $s) (i32.const 8)))
      (br_if $slivers (i32.lt_s (local.get $s) (local.get $nc)))))

  ;; $micro(ap, rs, ks, rows, bp, kc, cp, ldc4, cols, add): the 4×8 block of C at cp (rows
  ;; ldc4 bytes apart) gets Σ_{p<kc} A[r, p]·S[p, q] — stored, or added when `add` ≠ 0 — where
  ;; A[r, p] is at ap + r·rs + p·ks and S is the packed sliver at bp (kc rows of 8). Only the first
  ;; min(rows, 4) rows and min(cols, 8) columns are written; rows past `rows` repeat the last row of A.
  (func $micro
    (param $ap i32) (param $rs i32) (param $ks i32) (param $rows i32) (param $bp i32) (param $kc i32)
    (param $cp i32) (param $ldc4 i32) (param $cols i32) (param $add i32)
    (local $a1 i32) (local $a2 i32) (local $a3 i32) (local $end i32)
    (local $s00 v128) (local $s01 v128) (local $s10 v128) (local $s11 v128) (local $s20 v128) (local $s21 v128)
    (local $s30 v128) (local $s31 v128)
    (local $b0 v128) (local $b1 v128) (local $x v128)
    (local.set $add (i32.ne (local.get $add) (i32.const 0)))
    ;; row offsets from ap, clamped to the last valid row
    (if (i32.gt_s (local.get $rows) (i32.const 4)) (then (local.set $rows (i32.const 4))))
    (if (i32.gt_s (local.get $cols) (i32.const 8)) (then (local.set $cols (i32.const 8))))
    (local.set $a1 (i32.mul (local.get $rs) (select (i32.const 1) (i32.sub (local.get $rows) (i32.const 1)) (i32.gt_s (local.get $rows) (i32.const 1)))))
    (local.set $a2 (i32.mul (local.get $rs) (select (i32.const 2) (i32.sub (local.get $rows) (i32.const 1)) (i32.gt_s (local.get $rows) (i32.const 2)))))
    (local.set $a3 (i32.mul (local.get $rs) (select (i32.const 3) (i32.sub (local.get $rows) (i32.const 1)) (i32.gt_s (local.get $rows) (i32.const 3)))))
    (local.set $end (i32.add (local.get $bp) (i32.shl (local.get $kc) (i32.const 5))))
    (loop $terms
      (local.set $b0 (v128.load align=4 (local.get $bp)))
      (local.set $b1 (v128.load offset=16 align=4 (local.get $bp)))
      (local.set $x (v128.load32_splat align=4 (local.get $ap)))
      (local.set $s00 (f32x4.add (local.get $s00) (f32x4.mul (local.get $x) (local.get $b0))))
      (local.set $s01 (f32x4.add (local.get $s01) (f32x4.mul (local.get $x) (local.get $b1))))
      (local.set $x (v128.load32_splat align=4 (i32.add (local.get $ap) (local.get $a1))))
      (local.set $s10 (f32x4.add (local.get $s10) (f32x4.mul (local.get $x) (local.get $b0))))
      (local.set $s11 (f32x4.add (local.get $s11) (f32x4.mul (local.get $x) (local.get $b1))))
      (local.set $x (v128.load32_splat align=4 (i32.add (local.get $ap) (local.get $a2))))
      (local.set $s20 (f32x4.add (local.get $s20) (f32x4.mul (local.get $x) (local.get $b0))))
      (local.set $s21 (f32x4.add (local.get $s21) (f32x4.mul (local.get $x) (local.get $b1))))
      (local.set $x (v128.load32_splat align=4 (i32.add (local.get $ap) (local.get $a3))))
      (local.set $s30 (f32x4.add (local.get $s30) (f32x4.mul (local.get $x) (local.get $b0))))
      (local.set $s31 (f32x4.add (local.get $s31) (f32x4.mul (local.get $x) (local.get $b1))))
      (local.set $ap (i32.add (local.get $ap) (local.get $ks)))
      (local.set $bp (i32.add (local.get $bp) (i32.const 32)))
      (br_if $terms (i32.lt_u (local.get $bp) (local.get $end))))
    ;; a whole block goes straight to C as vectors
    (if (i32.and (i32.eq (local.get $rows) (i32.const 4)) (i32.eq (local.get $cols) (i32.const 8)))
      (then
        (if (local.get $add)
          (then
            (call $add_row (local.get $cp) (local.get $s00) (local.get $s01))
            (call $add_row (i32.add (local.get $cp) (local.get $ldc4)) (local.get $s10) (local.get $s11))
            (call $add_row (i32.add (local.get $cp) (i32.mul (local.get $ldc4) (i32.const 2))) (local.get $s20) (local.get $s21))
            (call $add_row (i32.add (local.get $cp) (i32.mul (local.get $ldc4) (i32.const 3))) (local.get $s30) (local.get $s31)))
          (else
            (call $store_row (local.get $cp) (local.get $s00) (local.get $s01))
            (call $store_row (i32.add (local.get $cp) (local.get $ldc4)) (local.get $s10) (local.get $s11))
            (call $store_row (i32.add (local.get $cp) (i32.mul (local.get $ldc4) (i32.const 2))) (local.get $s20) (local.get $s21))
            (call $store_row (i32.add (local.get $cp) (i32.mul (local.get $ldc4) (i32.const 3))) (local.get $s30) (local.get $s31))))
        (return)))
    ;; an edge block: its first `rows` rows and `cols` columns, straight from the registers
    (call $edge_row (local.get $cp) (local.get $s00) (local.get $s01) (local.get $cols) (local.get $add))
    (if (i32.gt_s (local.get $rows) (i32.const 1))
      (then (call $edge_row (i32.add (local.get $cp) (local.get $ldc4)) (local.get $s10) (local.get $s11) (local.get $cols) (local.get $add))))
    (if (i32.gt_s (local.get $rows) (i32.const 2))
      (then (call $edge_row (i32.add (local.get $cp) (i32.mul (local.get $ldc4) (i32.const 2))) (local.get $s20) (local.get $s21) (local.get $cols) (local.get $add))))
    (if (i32.gt_s (local.get $rows) (i32.const 3))
      (then (call $edge_row (i32.add (local.get $cp) (i32.mul (local.get $ldc4) (i32.const 3))) (local.get $s30) (local.get $s31) (local.get $cols) (local.get $add)))))

  ;; $edge_row(to, lo, hi, cols, add): the first `cols` (< 8, or 8 on an edge row block) of the eight
  ;; sums lo, hi stored (or added) at `to`: whole vectors while four remain, then lane by lane.
  ;; (Going through memory instead — store the vectors, reload single floats — stalls every load
  ;; on the store it reads from: a 1024×20·20×10 product took longer than 1024×20·20×16.)
  (func $edge_row (param $to i32) (param $lo v128) (param $hi v128) (param $cols i32) (param $add i32)
    (block $lanes
      (loop $vectors
        (br_if $lanes (i32.lt_s (local.get $cols) (i32.const 4)))
        (v128.store align=4 (local.get $to)
          (select (f32x4.add (v128.load align=4 (local.get $to)) (local.get $lo)) (local.get $lo) (local.get $add)))
        (local.set $to (i32.add (local.get $to) (i32.const 16)))
        (local.set $lo (local.get $hi))
        (local.set $cols (i32.sub (local.get $cols) (i32.const 4)))
        (br $vectors)))
    (if (i32.gt_s (local.get $cols) (i32.const 0))
      (then (f32.store (local.get $to) (f32.add (f32x4.extract_lane 0 (local.get $lo)) (select (f32.load (local.get $to)) (f32.const 0) (local.get $add))))))
    (if (i32.gt_s (local.get $cols) (i32.const 1))
      (then (f32.store offset=4 (local.get $to) (f32.add (f32x4.extract_lane 1 (local.get $lo)) (select (f32.load offset=4 (local.get $to)) (f32.const 0) (local.get $add))))))
    (if (i32.gt_s (local.get $cols) (i32.const 2))
      (then (f32.store offset=8 (local.get $to) (f32.add (f32x4.extract_lane 2 (local.get $lo)) (select (f32.load offset=8 (local.get $to)) (f32.const 0) (local.get $add)))))))

  (func $store_row (param $to i32) (param $lo v128) (param $hi v128)
    (v128.store align=4 (local.get $to) (local.get $lo))
    (v128.store offset=16 align=4 (local.get $to) (local.get $hi)))

  (func $add_row (param $to i32) (param $lo v128) (param $hi v128)
    (v128.store align=4 (local.get $to) (f32x4.add (v128.load align=4 (local.get $to)) (local.get $lo)))
    (v128.store offset=16 align=4 (local.get $to) (f32x4.add (v128.load offset=16 align=4 (local.get $to)) (local.get $hi)))))
