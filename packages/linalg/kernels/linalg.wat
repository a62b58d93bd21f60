;; The SIMD (f64x2) inner loops of @eigenflow/linalg's float64 decompositions.
;;
;; Built by `npm run build:kernels` (scripts/build-kernels.mjs, wabt's wat2wasm) into
;; src/linalgKernelBinary.ts; src/wasmKernel.ts loads it. Each function does exactly
;; what a TypeScript loop in src/ does (named at each function), with the same operations
;; in the same order, so both paths give the same numbers up to the order of a dot product's
;; partial sums (two lanes, and in the longer loops two sums of two lanes, here).
;;
;; Conventions: every pointer is a BYTE offset into the imported memory; matrices are row-major
;; float64; a "row" pointer plus a byte column offset `j` addresses one entry. Every loop runs two
;; entries at a time (one v128 = two f64) while two remain, then does at most one scalar entry.
;; Unaligned v128 accesses are allowed by WebAssembly; `align=8` states what we guarantee.
(module
  ;; Shared, so that worker threads can run the same kernels on disjoint rows of one matrix
  ;; (src/threads.ts). Callers give each memory a maximum equal to its initial size.
  (import "env" "mem" (memory 1 65536 shared))

  ;; rows(a, n, first, last, k, w, u, p, tl, tr, scale) — step k of the one-pass
  ;; bidiagonalisation (bidiagonalize.ts, `rowsJs`) on rows first..last−1 (all of them: k+1..m−1; a
  ;; worker thread takes a slice). For each such row i of the matrix at `a` (n columns):
  ;;   v_i = a[i,k]·scale (stored back: the left reflector's vector), cl = tl·v_i
  ;;   a[i,j] −= cl·w[j]            for j > k     (left reflector H_k)
  ;;   s = tr · Σ_{j>k} a[i,j]·u[j]                (dot with the right reflector's vector)
  ;;   a[i,j] −= s·u[j]              for j > k     (right reflector G_k; u[k+1] = 1)
  ;;   p[j] += x0·a[i,j]             for j ≥ k+1   (next step's P, x0 = new a[i,k+1], 0 on row k+1;
  ;;                                               p[k+1] is then the next column's Σ a[i,k+1]²)
  (func (export "rows")
    (param $a i32) (param $n i32) (param $first i32) (param $last i32) (param $k i32)
    (param $w i32) (param $u i32) (param $p i32)
    (param $tl f64) (param $tr f64) (param $scale f64)
    (local $i i32) (local $row i32) (local $j i32) (local $end i32) (local $k1 i32)
    (local $vi f64) (local $cl f64) (local $s f64) (local $x0 f64) (local $xs f64)
    (local $acc v128) (local $acc1 v128) (local $clv v128) (local $sv v128) (local $x v128) (local $x0v v128)
    ;; end = row length in bytes; k1 = byte offset of column k+1; i = first
    (local.set $end (i32.mul (local.get $n) (i32.const 8)))
    (local.set $k1 (i32.mul (i32.add (local.get $k) (i32.const 1)) (i32.const 8)))
    (local.set $i (local.get $first))
    (block $rows_done
      (loop $each_row
        (br_if $rows_done (i32.ge_s (local.get $i) (local.get $last)))
        (local.set $row (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $end))))
        ;; v_i = a[i,k]·scale, stored back; cl = tl·v_i
        (f64.store align=8
          (i32.add (local.get $row) (i32.mul (local.get $k) (i32.const 8)))
          (local.tee $vi
            (f64.mul
              (f64.load align=8 (i32.add (local.get $row) (i32.mul (local.get $k) (i32.const 8))))
              (local.get $scale))))
        (local.set $clv (f64x2.splat (local.tee $cl (f64.mul (local.get $tl) (local.get $vi)))))
        (local.set $acc (f64x2.splat (f64.const 0)))
        ;; pass 1 over j = k+1 ..: x = a[i,j] − cl·w[j]; a[i,j] = x; acc += x·u[j]
        ;; four entries at a time into two sums (acc, acc1: the adder's latency would otherwise
        ;; bound the loop), then two at a time into acc
        (local.set $acc1 (f64x2.splat (f64.const 0)))
        (local.set $j (local.get $k1))
        (block $pass1q_done
          (loop $pass1q
            (br_if $pass1q_done (i32.gt_s (i32.add (local.get $j) (i32.const 32)) (local.get $end)))
            (v128.store align=8
              (i32.add (local.get $row) (local.get $j))
              (local.tee $x
                (f64x2.sub
                  (v128.load align=8 (i32.add (local.get $row) (local.get $j)))
                  (f64x2.mul (local.get $clv) (v128.load align=8 (i32.add (local.get $w) (local.get $j)))))))
            (local.set $acc
              (f64x2.add (local.get $acc)
                (f64x2.mul (local.get $x) (v128.load align=8 (i32.add (local.get $u) (local.get $j))))))
            (v128.store offset=16 align=8
              (i32.add (local.get $row) (local.get $j))
              (local.tee $x
                (f64x2.sub
                  (v128.load offset=16 align=8 (i32.add (local.get $row) (local.get $j)))
                  (f64x2.mul (local.get $clv) (v128.load offset=16 align=8 (i32.add (local.get $w) (local.get $j)))))))
            (local.set $acc1
              (f64x2.add (local.get $acc1)
                (f64x2.mul (local.get $x) (v128.load offset=16 align=8 (i32.add (local.get $u) (local.get $j))))))
            (local.set $j (i32.add (local.get $j) (i32.const 32)))
            (br $pass1q)))
        (local.set $acc (f64x2.add (local.get $acc) (local.get $acc1)))
        (block $pass1_done
          (loop $pass1
            (br_if $pass1_done (i32.gt_s (i32.add (local.get $j) (i32.const 16)) (local.get $end)))
            (v128.store align=8
              (i32.add (local.get $row) (local.get $j))
              (local.tee $x
                (f64x2.sub
                  (v128.load align=8 (i32.add (local.get $row) (local.get $j)))
                  (f64x2.mul (local.get $clv) (v128.load align=8 (i32.add (local.get $w) (local.get $j)))))))
            (local.set $acc
              (f64x2.add (local.get $acc)
                (f64x2.mul (local.get $x) (v128.load align=8 (i32.add (local.get $u) (local.get $j))))))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $pass1)))
        (local.set $s
          (f64.add (f64x2.extract_lane 0 (local.get $acc)) (f64x2.extract_lane 1 (local.get $acc))))
        (if (i32.lt_s (local.get $j) (local.get $end))
          (then ;; the odd last entry
            (f64.store align=8
              (i32.add (local.get $row) (local.get $j))
              (local.tee $xs
                (f64.sub
                  (f64.load align=8 (i32.add (local.get $row) (local.get $j)))
                  (f64.mul (local.get $cl) (f64.load align=8 (i32.add (local.get $w) (local.get $j)))))))
            (local.set $s
              (f64.add (local.get $s)
                (f64.mul (local.get $xs) (f64.load align=8 (i32.add (local.get $u) (local.get $j))))))))
        (local.set $s (f64.mul (local.get $s) (local.get $tr)))
        ;; column k+1 (u[k+1] = 1): xs = a[i,k+1] − s; x0 = xs except on row k+1, where it is 0
        (f64.store align=8
          (i32.add (local.get $row) (local.get $k1))
          (local.tee $xs
            (f64.sub (f64.load align=8 (i32.add (local.get $row) (local.get $k1))) (local.get $s))))
        (local.set $x0
          (select (local.get $xs) (f64.const 0)
            (i32.gt_s (local.get $i) (i32.add (local.get $k) (i32.const 1)))))
        ;; p[k+1] += x0²: the next step's column norm, Σ_{i>k+1} a[i,k+1]² (saves reading a column)
        (f64.store align=8
          (i32.add (local.get $p) (local.get $k1))
          (f64.add
            (f64.load align=8 (i32.add (local.get $p) (local.get $k1)))
            (f64.mul (local.get $x0) (local.get $x0))))
        (local.set $sv (f64x2.splat (local.get $s)))
        (local.set $x0v (f64x2.splat (local.get $x0)))
        ;; pass 2 over j = k+2 ..: x = a[i,j] − s·u[j]; a[i,j] = x; p[j] += x0·x
        ;; four entries at a time (less loop overhead per entry), then two
        (local.set $j (i32.add (local.get $k1) (i32.const 8)))
        (block $pass2q_done
          (loop $pass2q
            (br_if $pass2q_done (i32.gt_s (i32.add (local.get $j) (i32.const 32)) (local.get $end)))
            (v128.store align=8
              (i32.add (local.get $row) (local.get $j))
              (local.tee $x
                (f64x2.sub
                  (v128.load align=8 (i32.add (local.get $row) (local.get $j)))
                  (f64x2.mul (local.get $sv) (v128.load align=8 (i32.add (local.get $u) (local.get $j)))))))
            (v128.store align=8
              (i32.add (local.get $p) (local.get $j))
              (f64x2.add
                (v128.load align=8 (i32.add (local.get $p) (local.get $j)))
                (f64x2.mul (local.get $x0v) (local.get $x))))
            (v128.store offset=16 align=8
              (i32.add (local.get $row) (local.get $j))
              (local.tee $x
                (f64x2.sub
                  (v128.load offset=16 align=8 (i32.add (local.get $row) (local.get $j)))
                  (f64x2.mul (local.get $sv) (v128.load offset=16 align=8 (i32.add (local.get $u) (local.get $j)))))))
            (v128.store offset=16 align=8
              (i32.add (local.get $p) (local.get $j))
              (f64x2.add
                (v128.load offset=16 align=8 (i32.add (local.get $p) (local.get $j)))
                (f64x2.mul (local.get $x0v) (local.get $x))))
            (local.set $j (i32.add (local.get $j) (i32.const 32)))
            (br $pass2q)))
        (block $pass2_done
          (loop $pass2
            (br_if $pass2_done (i32.gt_s (i32.add (local.get $j) (i32.const 16)) (local.get $end)))
            (v128.store align=8
              (i32.add (local.get $row) (local.get $j))
              (local.tee $x
                (f64x2.sub
                  (v128.load align=8 (i32.add (local.get $row) (local.get $j)))
                  (f64x2.mul (local.get $sv) (v128.load align=8 (i32.add (local.get $u) (local.get $j)))))))
            (v128.store align=8
              (i32.add (local.get $p) (local.get $j))
              (f64x2.add
                (v128.load align=8 (i32.add (local.get $p) (local.get $j)))
                (f64x2.mul (local.get $x0v) (local.get $x))))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $pass2)))
        (if (i32.lt_s (local.get $j) (local.get $end))
          (then ;; the odd last entry
            (f64.store align=8
              (i32.add (local.get $row) (local.get $j))
              (local.tee $xs
                (f64.sub
                  (f64.load align=8 (i32.add (local.get $row) (local.get $j)))
                  (f64.mul (local.get $s) (f64.load align=8 (i32.add (local.get $u) (local.get $j)))))))
            (f64.store align=8
              (i32.add (local.get $p) (local.get $j))
              (f64.add
                (f64.load align=8 (i32.add (local.get $p) (local.get $j)))
                (f64.mul (local.get $x0) (local.get $xs))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $each_row))))

  ;; tri(a, n, lo, first, last, v, w, vn, yn) — one step of the one-pass tridiagonalisation
  ;; (tridiagonalize.ts, the TypeScript loop in `reduce`) on rows first..last−1 (all of them: lo..n−1;
  ;; a worker thread takes a slice). For each such row i of the lower triangle of the n×n `a`:
  ;;   a[i,j] −= v_i·w_j + w_i·v_j     for lo ≤ j < i   (the symmetric rank-2 update)
  ;;   a[i,i] −= 2·v_i·w_i
  ;;   yn += A·vn with the updated entries: yn[i] += Σ_j a[i,j]·vn[j] + a[i,i]·vn[i] (row dot)
  ;;                                       and yn[j] += a[i,j]·vn[i] (column axpy)
  (func (export "tri")
    (param $a i32) (param $n i32) (param $lo i32) (param $first i32) (param $last i32)
    (param $v i32) (param $w i32) (param $vn i32) (param $yn i32)
    (local $i i32) (local $row i32) (local $j i32) (local $lim i32) (local $lo8 i32)
    (local $vi f64) (local $wi f64) (local $vni f64) (local $s f64) (local $x f64) (local $d f64)
    (local $viv v128) (local $wiv v128) (local $vniv v128) (local $acc v128) (local $xv v128)
    (local.set $lo8 (i32.mul (local.get $lo) (i32.const 8)))
    (local.set $i (local.get $first))
    (block $rows_done
      (loop $each_row
        (br_if $rows_done (i32.ge_s (local.get $i) (local.get $last)))
        (local.set $row
          (i32.add (local.get $a) (i32.mul (i32.mul (local.get $i) (local.get $n)) (i32.const 8))))
        ;; lim = byte offset of the diagonal entry (column i)
        (local.set $lim (i32.mul (local.get $i) (i32.const 8)))
        (local.set $viv (f64x2.splat (local.tee $vi (f64.load align=8 (i32.add (local.get $v) (local.get $lim))))))
        (local.set $wiv (f64x2.splat (local.tee $wi (f64.load align=8 (i32.add (local.get $w) (local.get $lim))))))
        (local.set $vniv (f64x2.splat (local.tee $vni (f64.load align=8 (i32.add (local.get $vn) (local.get $lim))))))
        (local.set $acc (f64x2.splat (f64.const 0)))
        (local.set $j (local.get $lo8))
        (block $cols_done
          (loop $cols
            (br_if $cols_done (i32.gt_s (i32.add (local.get $j) (i32.const 16)) (local.get $lim)))
            ;; x = a[i,j] − v_i·w_j − w_i·v_j
            (v128.store align=8
              (i32.add (local.get $row) (local.get $j))
              (local.tee $xv
                (f64x2.sub
                  (f64x2.sub
                    (v128.load align=8 (i32.add (local.get $row) (local.get $j)))
                    (f64x2.mul (local.get $viv) (v128.load align=8 (i32.add (local.get $w) (local.get $j)))))
                  (f64x2.mul (local.get $wiv) (v128.load align=8 (i32.add (local.get $v) (local.get $j)))))))
            ;; acc += x·vn_j ; yn_j += x·vn_i
            (local.set $acc
              (f64x2.add (local.get $acc)
                (f64x2.mul (local.get $xv) (v128.load align=8 (i32.add (local.get $vn) (local.get $j))))))
            (v128.store align=8
              (i32.add (local.get $yn) (local.get $j))
              (f64x2.add
                (v128.load align=8 (i32.add (local.get $yn) (local.get $j)))
                (f64x2.mul (local.get $xv) (local.get $vniv))))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $cols)))
        (local.set $s
          (f64.add (f64x2.extract_lane 0 (local.get $acc)) (f64x2.extract_lane 1 (local.get $acc))))
        (if (i32.lt_s (local.get $j) (local.get $lim))
          (then ;; the odd last entry before the diagonal
            (f64.store align=8
              (i32.add (local.get $row) (local.get $j))
              (local.tee $x
                (f64.sub
                  (f64.sub
                    (f64.load align=8 (i32.add (local.get $row) (local.get $j)))
                    (f64.mul (local.get $vi) (f64.load align=8 (i32.add (local.get $w) (local.get $j)))))
                  (f64.mul (local.get $wi) (f64.load align=8 (i32.add (local.get $v) (local.get $j)))))))
            (local.set $s
              (f64.add (local.get $s)
                (f64.mul (local.get $x) (f64.load align=8 (i32.add (local.get $vn) (local.get $j))))))
            (f64.store align=8
              (i32.add (local.get $yn) (local.get $j))
              (f64.add
                (f64.load align=8 (i32.add (local.get $yn) (local.get $j)))
                (f64.mul (local.get $x) (local.get $vni))))))
        ;; diagonal: d = a[i,i] − 2·v_i·w_i; yn_i += s + d·vn_i
        (f64.store align=8
          (i32.add (local.get $row) (local.get $lim))
          (local.tee $d
            (f64.sub
              (f64.load align=8 (i32.add (local.get $row) (local.get $lim)))
              (f64.mul (f64.mul (f64.const 2) (local.get $vi)) (local.get $wi)))))
        (f64.store align=8
          (i32.add (local.get $yn) (local.get $lim))
          (f64.add
            (f64.add (f64.load align=8 (i32.add (local.get $yn) (local.get $lim))) (local.get $s))
            (f64.mul (local.get $d) (local.get $vni))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $each_row))))

  ;; refl(base, rows, stride, len, v, tau) — apply one Householder reflector I − τ·v·vᵀ from the
  ;; right to `rows` rows of `len` entries, the first at `base`, `stride` bytes apart
  ;; (bidiagonalize.ts `formUt`/`formVt`, tridiagonalize.ts `formQt`): s = τ·(row·v); row −= s·v.
  (func (export "refl")
    (param $base i32) (param $rows i32) (param $stride i32) (param $len i32) (param $v i32) (param $tau f64)
    (local $row i32) (local $j i32) (local $end i32) (local $i i32)
    (local $s f64) (local $x f64)
    (local $acc v128) (local $acc1 v128) (local $sv v128)
    (local.set $end (i32.mul (local.get $len) (i32.const 8)))
    (local.set $i (i32.const 0))
    (block $rows_done
      (loop $each_row
        (br_if $rows_done (i32.ge_s (local.get $i) (local.get $rows)))
        (local.set $row (i32.add (local.get $base) (i32.mul (local.get $i) (local.get $stride))))
        ;; s = row·v: four entries at a time into two sums, then two at a time
        (local.set $acc (f64x2.splat (f64.const 0)))
        (local.set $acc1 (f64x2.splat (f64.const 0)))
        (local.set $j (i32.const 0))
        (block $dotq_done
          (loop $dotq
            (br_if $dotq_done (i32.gt_s (i32.add (local.get $j) (i32.const 32)) (local.get $end)))
            (local.set $acc
              (f64x2.add (local.get $acc)
                (f64x2.mul
                  (v128.load align=8 (i32.add (local.get $row) (local.get $j)))
                  (v128.load align=8 (i32.add (local.get $v) (local.get $j))))))
            (local.set $acc1
              (f64x2.add (local.get $acc1)
                (f64x2.mul
                  (v128.load offset=16 align=8 (i32.add (local.get $row) (local.get $j)))
                  (v128.load offset=16 align=8 (i32.add (local.get $v) (local.get $j))))))
            (local.set $j (i32.add (local.get $j) (i32.const 32)))
            (br $dotq)))
        (local.set $acc (f64x2.add (local.get $acc) (local.get $acc1)))
        (block $dot_done
          (loop $dot
            (br_if $dot_done (i32.gt_s (i32.add (local.get $j) (i32.const 16)) (local.get $end)))
            (local.set $acc
              (f64x2.add (local.get $acc)
                (f64x2.mul
                  (v128.load align=8 (i32.add (local.get $row) (local.get $j)))
                  (v128.load align=8 (i32.add (local.get $v) (local.get $j))))))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $dot)))
        (local.set $s
          (f64.add (f64x2.extract_lane 0 (local.get $acc)) (f64x2.extract_lane 1 (local.get $acc))))
        (if (i32.lt_s (local.get $j) (local.get $end))
          (then
            (local.set $s
              (f64.add (local.get $s)
                (f64.mul
                  (f64.load align=8 (i32.add (local.get $row) (local.get $j)))
                  (f64.load align=8 (i32.add (local.get $v) (local.get $j))))))))
        ;; s ·= τ; row −= s·v
        (local.set $sv (f64x2.splat (local.tee $s (f64.mul (local.get $s) (local.get $tau)))))
        (local.set $j (i32.const 0))
        (block $axpy_done
          (loop $axpy
            (br_if $axpy_done (i32.gt_s (i32.add (local.get $j) (i32.const 16)) (local.get $end)))
            (v128.store align=8
              (i32.add (local.get $row) (local.get $j))
              (f64x2.sub
                (v128.load align=8 (i32.add (local.get $row) (local.get $j)))
                (f64x2.mul (local.get $sv) (v128.load align=8 (i32.add (local.get $v) (local.get $j))))))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $axpy)))
        (if (i32.lt_s (local.get $j) (local.get $end))
          (then
            (f64.store align=8
              (i32.add (local.get $row) (local.get $j))
              (f64.sub
                (f64.load align=8 (i32.add (local.get $row) (local.get $j)))
                (f64.mul (local.get $s) (f64.load align=8 (i32.add (local.get $v) (local.get $j))))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $each_row))))

  ;; rot(p, q, len, c, s) — a plane rotation of two rows of `len` entries at p and q
  ;; (bidiagQr.ts and tridiagonalize.ts `rot`): p ← c·p + s·q, q ← c·q − s·p.
  (func (export "rot")
    (param $p i32) (param $q i32) (param $len i32) (param $c f64) (param $s f64)
    (local $j i32) (local $end i32)
    (local $x f64) (local $y f64)
    (local $cv v128) (local $sv v128) (local $xv v128) (local $yv v128)
    (local.set $end (i32.mul (local.get $len) (i32.const 8)))
    (local.set $j (i32.const 0))
    (local.set $cv (f64x2.splat (local.get $c)))
    (local.set $sv (f64x2.splat (local.get $s)))
    (block $done
      (loop $pairs
        (br_if $done (i32.gt_s (i32.add (local.get $j) (i32.const 16)) (local.get $end)))
        (local.set $xv (v128.load align=8 (i32.add (local.get $p) (local.get $j))))
        (local.set $yv (v128.load align=8 (i32.add (local.get $q) (local.get $j))))
        (v128.store align=8
          (i32.add (local.get $p) (local.get $j))
          (f64x2.add (f64x2.mul (local.get $cv) (local.get $xv)) (f64x2.mul (local.get $sv) (local.get $yv))))
        (v128.store align=8
          (i32.add (local.get $q) (local.get $j))
          (f64x2.sub (f64x2.mul (local.get $cv) (local.get $yv)) (f64x2.mul (local.get $sv) (local.get $xv))))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br $pairs)))
    (if (i32.lt_s (local.get $j) (local.get $end))
      (then ;; the odd last entry
        (local.set $x (f64.load align=8 (i32.add (local.get $p) (local.get $j))))
        (local.set $y (f64.load align=8 (i32.add (local.get $q) (local.get $j))))
        (f64.store align=8
          (i32.add (local.get $p) (local.get $j))
          (f64.add (f64.mul (local.get $c) (local.get $x)) (f64.mul (local.get $s) (local.get $y))))
        (f64.store align=8
          (i32.add (local.get $q) (local.get $j))
          (f64.sub (f64.mul (local.get $c) (local.get $y)) (f64.mul (local.get $s) (local.get $x)))))))

  ;; gemm(c, ldc, a, lda, b, ldb, first, last, n, k, alpha, pack) — C ← C + α·A·B on rows
  ;; first..last−1 of C (all of them: 0..m−1; a worker thread takes a slice), row-major, leading
  ;; dimensions ldc, lda, ldb in entries (gemm.ts, `gemmJs`, same operations in the same order):
  ;;   for each block of KC = 256 terms p0 ≤ p < p0 + KC (the last one shorter):
  ;;     C[i,j] += α · (A[i,p0]·B[p0,j] + A[i,p0+1]·B[p0+1,j] + …)   (the sum from 0, in order)
  ;; Loop order: k blocks, then column blocks of NC = 64, in which B's block (KC×NC) is packed
  ;; into `pack` (KC·NC·8 bytes, one area per thread) as slivers of four columns (KC rows of four
  ;; entries, contiguous); then rows four at a time, each 4×4 block of C held in eight registers
  ;; over the block's KC terms ($gemm_micro). Columns left over (fewer than four) and rows left
  ;; over (fewer than four) go one row at a time on B itself ($gemm_row).
  (func (export "gemm")
    (param $c i32) (param $ldc i32) (param $a i32) (param $lda i32) (param $b i32) (param $ldb i32)
    (param $first i32) (param $last i32) (param $n i32) (param $k i32) (param $alpha f64) (param $pack i32)
    (local $p0 i32) (local $kc i32) (local $j0 i32) (local $nc i32) (local $full i32)
    (local $i i32) (local $j i32) (local $r i32)
    (local $lda8 i32) (local $ldb8 i32) (local $ldc8 i32) (local $arow i32) (local $crow i32) (local $bblk i32)
    (local.set $lda8 (i32.mul (local.get $lda) (i32.const 8)))
    (local.set $ldb8 (i32.mul (local.get $ldb) (i32.const 8)))
    (local.set $ldc8 (i32.mul (local.get $ldc) (i32.const 8)))
    (local.set $p0 (i32.const 0))
    (block $k_done
      (loop $k_blocks
        (br_if $k_done (i32.ge_s (local.get $p0) (local.get $k)))
        ;; kc = min(256, k − p0)
        (local.set $kc (i32.sub (local.get $k) (local.get $p0)))
        (if (i32.gt_s (local.get $kc) (i32.const 256)) (then (local.set $kc (i32.const 256))))
        (local.set $j0 (i32.const 0))
        (block $n_done
          (loop $n_blocks
            (br_if $n_done (i32.ge_s (local.get $j0) (local.get $n)))
            ;; nc = min(64, n − j0); full = nc rounded down to a multiple of four
            (local.set $nc (i32.sub (local.get $n) (local.get $j0)))
            (if (i32.gt_s (local.get $nc) (i32.const 64)) (then (local.set $nc (i32.const 64))))
            (local.set $full (i32.and (local.get $nc) (i32.const -4)))
            ;; bblk = &B[p0, j0]
            (local.set $bblk
              (i32.add (local.get $b)
                (i32.add (i32.mul (local.get $p0) (local.get $ldb8)) (i32.mul (local.get $j0) (i32.const 8)))))
            (call $gemm_pack (local.get $bblk) (local.get $ldb8) (local.get $kc) (local.get $full) (local.get $pack))
            (local.set $i (local.get $first))
            (block $quads_done
              (loop $quads
                (br_if $quads_done (i32.gt_s (i32.add (local.get $i) (i32.const 4)) (local.get $last)))
                ;; arow = &A[i, p0], crow = &C[i, j0]
                (local.set $arow
                  (i32.add (local.get $a)
                    (i32.add (i32.mul (local.get $i) (local.get $lda8)) (i32.mul (local.get $p0) (i32.const 8)))))
                (local.set $crow
                  (i32.add (local.get $c)
                    (i32.add (i32.mul (local.get $i) (local.get $ldc8)) (i32.mul (local.get $j0) (i32.const 8)))))
                (local.set $j (i32.const 0))
                (block $slivers_done
                  (loop $slivers
                    (br_if $slivers_done (i32.ge_s (local.get $j) (local.get $full)))
                    ;; sliver j/4 of the packed block is at pack + j·kc·8
                    (call $gemm_micro
                      (local.get $arow) (local.get $lda8)
                      (i32.add (local.get $pack) (i32.mul (i32.mul (local.get $j) (local.get $kc)) (i32.const 8)))
                      (local.get $kc)
                      (i32.add (local.get $crow) (i32.mul (local.get $j) (i32.const 8)))
                      (local.get $ldc8) (local.get $alpha))
                    (local.set $j (i32.add (local.get $j) (i32.const 4)))
                    (br $slivers)))
                ;; columns full..nc−1 of these four rows
                (if (i32.lt_s (local.get $full) (local.get $nc))
                  (then
                    (local.set $r (i32.const 0))
                    (block $tail_done
                      (loop $tail_rows
                        (br_if $tail_done (i32.ge_s (local.get $r) (i32.const 4)))
                        (call $gemm_row
                          (i32.add (local.get $arow) (i32.mul (local.get $r) (local.get $lda8)))
                          (i32.add (local.get $bblk) (i32.mul (local.get $full) (i32.const 8)))
                          (local.get $ldb8) (local.get $kc) (i32.sub (local.get $nc) (local.get $full))
                          (i32.add (i32.add (local.get $crow) (i32.mul (local.get $r) (local.get $ldc8))) (i32.mul (local.get $full) (i32.const 8)))
                          (local.get $alpha))
                        (local.set $r (i32.add (local.get $r) (i32.const 1)))
                        (br $tail_rows)))))
                (local.set $i (i32.add (local.get $i) (i32.const 4)))
                (br $quads)))
            ;; rows left over: one at a time, all nc columns
            (block $singles_done
              (loop $singles
                (br_if $singles_done (i32.ge_s (local.get $i) (local.get $last)))
                (call $gemm_row
                  (i32.add (local.get $a)
                    (i32.add (i32.mul (local.get $i) (local.get $lda8)) (i32.mul (local.get $p0) (i32.const 8))))
                  (local.get $bblk) (local.get $ldb8) (local.get $kc) (local.get $nc)
                  (i32.add (local.get $c)
                    (i32.add (i32.mul (local.get $i) (local.get $ldc8)) (i32.mul (local.get $j0) (i32.const 8))))
                  (local.get $alpha))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br $singles)))
            (local.set $j0 (i32.add (local.get $j0) (i32.const 64)))
            (br $n_blocks)))
        (local.set $p0 (i32.add (local.get $p0) (i32.const 256)))
        (br $k_blocks))))

  ;; $gemm_pack(src, ldb8, kc, full, dst): copy the first `full` columns (a multiple of four) of
  ;; the kc×… block at src (rows ldb8 bytes apart) to dst as slivers: entry (p, 4s + q) of the
  ;; block goes to dst + ((s·kc + p)·4 + q)·8.
  (func $gemm_pack
    (param $src i32) (param $ldb8 i32) (param $kc i32) (param $full i32) (param $dst i32)
    (local $s i32) (local $p i32) (local $from i32)
    (local.set $s (i32.const 0))
    (block $done
      (loop $slivers
        (br_if $done (i32.ge_s (local.get $s) (local.get $full)))
        (local.set $from (i32.add (local.get $src) (i32.mul (local.get $s) (i32.const 8))))
        (local.set $p (i32.const 0))
        (block $rows_done
          (loop $rows
            (br_if $rows_done (i32.ge_s (local.get $p) (local.get $kc)))
            (v128.store align=8 (local.get $dst) (v128.load align=8 (local.get $from)))
            (v128.store offset=16 align=8 (local.get $dst) (v128.load offset=16 align=8 (local.get $from)))
            (local.set $dst (i32.add (local.get $dst) (i32.const 32)))
            (local.set $from (i32.add (local.get $from) (local.get $ldb8)))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $rows)))
        (local.set $s (i32.add (local.get $s) (i32.const 4)))
        (br $slivers))))

  ;; $gemm_micro(ap, lda8, bp, kc, cp, ldc8, alpha): the 4×4 block of C at cp (rows ldc8 bytes
  ;; apart) += α · Σ_{p<kc} A[r,p]·Bs[p,q], A's four rows at ap (lda8 bytes apart), Bs the packed
  ;; sliver at bp (kc rows of four entries). Eight sums: rows r, columns q..q+1.
  (func $gemm_micro
    (param $ap i32) (param $lda8 i32) (param $bp i32) (param $kc i32) (param $cp i32) (param $ldc8 i32) (param $alpha f64)
    (local $end i32) (local $la2 i32) (local $la3 i32) (local $c1 i32) (local $c2 i32) (local $c3 i32)
    (local $s00 v128) (local $s01 v128) (local $s10 v128) (local $s11 v128)
    (local $s20 v128) (local $s21 v128) (local $s30 v128) (local $s31 v128)
    (local $b0 v128) (local $b1 v128) (local $x v128) (local $al v128)
    (local.set $la2 (i32.add (local.get $lda8) (local.get $lda8)))
    (local.set $la3 (i32.add (local.get $la2) (local.get $lda8)))
    (local.set $end (i32.add (local.get $bp) (i32.mul (local.get $kc) (i32.const 32))))
    (local.set $s00 (f64x2.splat (f64.const 0))) (local.set $s01 (local.get $s00))
    (local.set $s10 (local.get $s00)) (local.set $s11 (local.get $s00))
    (local.set $s20 (local.get $s00)) (local.set $s21 (local.get $s00))
    (local.set $s30 (local.get $s00)) (local.set $s31 (local.get $s00))
    (block $done
      (loop $terms
        (br_if $done (i32.ge_u (local.get $bp) (local.get $end)))
        (local.set $b0 (v128.load align=8 (local.get $bp)))
        (local.set $b1 (v128.load offset=16 align=8 (local.get $bp)))
        (local.set $x (v128.load64_splat align=8 (local.get $ap)))
        (local.set $s00 (f64x2.add (local.get $s00) (f64x2.mul (local.get $x) (local.get $b0))))
        (local.set $s01 (f64x2.add (local.get $s01) (f64x2.mul (local.get $x) (local.get $b1))))
        (local.set $x (v128.load64_splat align=8 (i32.add (local.get $ap) (local.get $lda8))))
        (local.set $s10 (f64x2.add (local.get $s10) (f64x2.mul (local.get $x) (local.get $b0))))
        (local.set $s11 (f64x2.add (local.get $s11) (f64x2.mul (local.get $x) (local.get $b1))))
        (local.set $x (v128.load64_splat align=8 (i32.add (local.get $ap) (local.get $la2))))
        (local.set $s20 (f64x2.add (local.get $s20) (f64x2.mul (local.get $x) (local.get $b0))))
        (local.set $s21 (f64x2.add (local.get $s21) (f64x2.mul (local.get $x) (local.get $b1))))
        (local.set $x (v128.load64_splat align=8 (i32.add (local.get $ap) (local.get $la3))))
        (local.set $s30 (f64x2.add (local.get $s30) (f64x2.mul (local.get $x) (local.get $b0))))
        (local.set $s31 (f64x2.add (local.get $s31) (f64x2.mul (local.get $x) (local.get $b1))))
        (local.set $ap (i32.add (local.get $ap) (i32.const 8)))
        (local.set $bp (i32.add (local.get $bp) (i32.const 32)))
        (br $terms)))
    ;; C += α·sums, row by row
    (local.set $al (f64x2.splat (local.get $alpha)))
    (local.set $c1 (i32.add (local.get $cp) (local.get $ldc8)))
    (local.set $c2 (i32.add (local.get $c1) (local.get $ldc8)))
    (local.set $c3 (i32.add (local.get $c2) (local.get $ldc8)))
    (v128.store align=8 (local.get $cp) (f64x2.add (v128.load align=8 (local.get $cp)) (f64x2.mul (local.get $al) (local.get $s00))))
    (v128.store offset=16 align=8 (local.get $cp) (f64x2.add (v128.load offset=16 align=8 (local.get $cp)) (f64x2.mul (local.get $al) (local.get $s01))))
    (v128.store align=8 (local.get $c1) (f64x2.add (v128.load align=8 (local.get $c1)) (f64x2.mul (local.get $al) (local.get $s10))))
    (v128.store offset=16 align=8 (local.get $c1) (f64x2.add (v128.load offset=16 align=8 (local.get $c1)) (f64x2.mul (local.get $al) (local.get $s11))))
    (v128.store align=8 (local.get $c2) (f64x2.add (v128.load align=8 (local.get $c2)) (f64x2.mul (local.get $al) (local.get $s20))))
    (v128.store offset=16 align=8 (local.get $c2) (f64x2.add (v128.load offset=16 align=8 (local.get $c2)) (f64x2.mul (local.get $al) (local.get $s21))))
    (v128.store align=8 (local.get $c3) (f64x2.add (v128.load align=8 (local.get $c3)) (f64x2.mul (local.get $al) (local.get $s30))))
    (v128.store offset=16 align=8 (local.get $c3) (f64x2.add (v128.load offset=16 align=8 (local.get $c3)) (f64x2.mul (local.get $al) (local.get $s31)))))

  ;; $gemm_row(ap, bp, ldb8, kc, cols, cp, alpha): one row of C, cols entries at cp,
  ;; += α · Σ_{p<kc} A[p]·B[p, j] with A's row at ap and B's rows at bp, ldb8 bytes apart:
  ;; two columns at a time, then the last one.
  (func $gemm_row
    (param $ap i32) (param $bp i32) (param $ldb8 i32) (param $kc i32) (param $cols i32) (param $cp i32) (param $alpha f64)
    (local $j i32) (local $end i32) (local $p i32) (local $x i32) (local $y i32)
    (local $acc v128) (local $s f64)
    (local.set $end (i32.mul (local.get $cols) (i32.const 8)))
    (local.set $j (i32.const 0))
    (block $pairs_done
      (loop $pairs
        (br_if $pairs_done (i32.gt_s (i32.add (local.get $j) (i32.const 16)) (local.get $end)))
        (local.set $acc (f64x2.splat (f64.const 0)))
        (local.set $x (local.get $ap))
        (local.set $y (i32.add (local.get $bp) (local.get $j)))
        (local.set $p (i32.const 0))
        (block $terms_done
          (loop $terms
            (br_if $terms_done (i32.ge_s (local.get $p) (local.get $kc)))
            (local.set $acc
              (f64x2.add (local.get $acc)
                (f64x2.mul (v128.load64_splat align=8 (local.get $x)) (v128.load align=8 (local.get $y)))))
            (local.set $x (i32.add (local.get $x) (i32.const 8)))
            (local.set $y (i32.add (local.get $y) (local.get $ldb8)))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $terms)))
        (v128.store align=8 (i32.add (local.get $cp) (local.get $j))
          (f64x2.add (v128.load align=8 (i32.add (local.get $cp) (local.get $j)))
            (f64x2.mul (f64x2.splat (local.get $alpha)) (local.get $acc))))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br $pairs)))
    (if (i32.lt_s (local.get $j) (local.get $end))
      (then
        (local.set $s (f64.const 0))
        (local.set $x (local.get $ap))
        (local.set $y (i32.add (local.get $bp) (local.get $j)))
        (local.set $p (i32.const 0))
        (block $terms1_done
          (loop $terms1
            (br_if $terms1_done (i32.ge_s (local.get $p) (local.get $kc)))
            (local.set $s (f64.add (local.get $s) (f64.mul (f64.load align=8 (local.get $x)) (f64.load align=8 (local.get $y)))))
            (local.set $x (i32.add (local.get $x) (i32.const 8)))
            (local.set $y (i32.add (local.get $y) (local.get $ldb8)))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $terms1)))
        (f64.store align=8 (i32.add (local.get $cp) (local.get $j))
          (f64.add (f64.load align=8 (i32.add (local.get $cp) (local.get $j))) (f64.mul (local.get $alpha) (local.get $s)))))))
)
