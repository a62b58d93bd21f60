;; The SIMD (f64x2) inner loops of eigenflow's float64 linear algebra (src/linalg).
;;
;; Built by `npm run build:kernels` (scripts/build-kernels.mjs, wabt's wat2wasm) into
;; src/linalg/wasmKernelBinary.ts; src/linalg/wasmKernel.ts loads it. Each function does exactly
;; what a TypeScript loop in src/linalg does (named at each function), with the same operations
;; in the same order, so both paths give the same numbers up to the order of a dot product's
;; partial sums (two lanes, and in the longer loops two sums of two lanes, here).
;;
;; Conventions: every pointer is a BYTE offset into the imported memory; matrices are row-major
;; float64; a "row" pointer plus a byte column offset `j` addresses one entry. Every loop runs two
;; entries at a time (one v128 = two f64) while two remain, then does at most one scalar entry.
;; Unaligned v128 accesses are allowed by WebAssembly; `align=8` states what we guarantee.
(module
  ;; Shared, so that worker threads can run the same kernels on disjoint rows of one matrix
  ;; (src/linalg/threads.ts). Callers give each memory a maximum equal to its initial size.
  (import "env" "mem" (memory 1 65536 shared))

  ;; rows(a, n, first, last, k, w, u, p, tl, tr, scale) — step k of the one-pass
  ;; bidiagonalisation (bidiag.ts, `rowsJs`) on rows first..last−1 (all of them: k+1..m−1; a
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
  ;; (tridiag.ts, the TypeScript loop in `reduce`) on rows first..last−1 (all of them: lo..n−1;
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

  ;; symv(a, n, lo, first, last, v, y) — the symmetric product y += A[lo:, lo:]·v from the lower
  ;; triangle of the n×n `a` (tridiagBlocked.ts, the panel's product; TypeScript: `symMatvec` in
  ;; tridiag.ts) on rows first..last−1 (all of them: lo..n−1; a worker thread takes a slice and
  ;; its own y). For each such row i:
  ;;   y[i] += Σ_{lo≤j<i} a[i,j]·v[j] + a[i,i]·v[i]   (row dot)
  ;;   y[j] += a[i,j]·v[i]                            for lo ≤ j < i (column axpy)
  ;; The matrix is only read. Four entries at a time into two sums (the adder's latency would
  ;; otherwise bound the loop), then two, then one.
  (func (export "symv")
    (param $a i32) (param $n i32) (param $lo i32) (param $first i32) (param $last i32)
    (param $v i32) (param $y i32)
    (local $i i32) (local $row i32) (local $j i32) (local $lim i32)
    (local $vi f64) (local $s f64) (local $x f64)
    (local $viv v128) (local $acc v128) (local $acc1 v128) (local $xv v128) (local $xv1 v128)
    (local.set $i (local.get $first))
    (block $rows_done
      (loop $each_row
        (br_if $rows_done (i32.ge_s (local.get $i) (local.get $last)))
        (local.set $row
          (i32.add (local.get $a) (i32.mul (i32.mul (local.get $i) (local.get $n)) (i32.const 8))))
        ;; lim = byte offset of the diagonal entry (column i)
        (local.set $lim (i32.mul (local.get $i) (i32.const 8)))
        (local.set $viv (f64x2.splat (local.tee $vi (f64.load align=8 (i32.add (local.get $v) (local.get $lim))))))
        (local.set $acc (f64x2.splat (f64.const 0)))
        (local.set $acc1 (f64x2.splat (f64.const 0)))
        (local.set $j (i32.mul (local.get $lo) (i32.const 8)))
        (block $quads_done
          (loop $quads
            (br_if $quads_done (i32.gt_s (i32.add (local.get $j) (i32.const 32)) (local.get $lim)))
            (local.set $xv (v128.load align=8 (i32.add (local.get $row) (local.get $j))))
            (local.set $xv1 (v128.load offset=16 align=8 (i32.add (local.get $row) (local.get $j))))
            ;; acc += x·v_j ; y_j += x·v_i (entries j, j+1 in acc; j+2, j+3 in acc1)
            (local.set $acc
              (f64x2.add (local.get $acc)
                (f64x2.mul (local.get $xv) (v128.load align=8 (i32.add (local.get $v) (local.get $j))))))
            (local.set $acc1
              (f64x2.add (local.get $acc1)
                (f64x2.mul (local.get $xv1) (v128.load offset=16 align=8 (i32.add (local.get $v) (local.get $j))))))
            (v128.store align=8
              (i32.add (local.get $y) (local.get $j))
              (f64x2.add
                (v128.load align=8 (i32.add (local.get $y) (local.get $j)))
                (f64x2.mul (local.get $xv) (local.get $viv))))
            (v128.store offset=16 align=8
              (i32.add (local.get $y) (local.get $j))
              (f64x2.add
                (v128.load offset=16 align=8 (i32.add (local.get $y) (local.get $j)))
                (f64x2.mul (local.get $xv1) (local.get $viv))))
            (local.set $j (i32.add (local.get $j) (i32.const 32)))
            (br $quads)))
        (local.set $acc (f64x2.add (local.get $acc) (local.get $acc1)))
        (block $cols_done
          (loop $cols
            (br_if $cols_done (i32.gt_s (i32.add (local.get $j) (i32.const 16)) (local.get $lim)))
            (local.set $xv (v128.load align=8 (i32.add (local.get $row) (local.get $j))))
            (local.set $acc
              (f64x2.add (local.get $acc)
                (f64x2.mul (local.get $xv) (v128.load align=8 (i32.add (local.get $v) (local.get $j))))))
            (v128.store align=8
              (i32.add (local.get $y) (local.get $j))
              (f64x2.add
                (v128.load align=8 (i32.add (local.get $y) (local.get $j)))
                (f64x2.mul (local.get $xv) (local.get $viv))))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $cols)))
        (local.set $s
          (f64.add (f64x2.extract_lane 0 (local.get $acc)) (f64x2.extract_lane 1 (local.get $acc))))
        (if (i32.lt_s (local.get $j) (local.get $lim))
          (then ;; the odd last entry before the diagonal
            (local.set $x (f64.load align=8 (i32.add (local.get $row) (local.get $j))))
            (local.set $s
              (f64.add (local.get $s)
                (f64.mul (local.get $x) (f64.load align=8 (i32.add (local.get $v) (local.get $j))))))
            (f64.store align=8
              (i32.add (local.get $y) (local.get $j))
              (f64.add
                (f64.load align=8 (i32.add (local.get $y) (local.get $j)))
                (f64.mul (local.get $x) (local.get $vi))))))
        ;; diagonal: y_i += s + a[i,i]·v_i
        (f64.store align=8
          (i32.add (local.get $y) (local.get $lim))
          (f64.add
            (f64.add (f64.load align=8 (i32.add (local.get $y) (local.get $lim))) (local.get $s))
            (f64.mul (f64.load align=8 (i32.add (local.get $row) (local.get $lim))) (local.get $vi))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $each_row))))

  ;; syr2k(a, n, lo, first, last, nb, vt, wt) — the blocked tridiagonalisation's trailing
  ;; update (tridiagBlocked.ts, `syr2kJs`): the symmetric rank-2nb update A ← A − V·Wᵀ − W·Vᵀ of
  ;; the lower triangle, a matrix–matrix product, on rows first..last−1 (all of them: lo..n−1; a
  ;; worker thread takes a slice). V and W (n×nb) are given as rows vt, wt (nb×n: row p is
  ;; column p, so V[i,p] = vt[p,i]). For each such row i:
  ;;   a[i,j] −= V[i,p]·W[j,p] + W[i,p]·V[j,p]   for lo ≤ j ≤ i, for p = 0, 1, …, nb−1 in turn
  ;; Eight entries of a row stay in four registers while the nb terms are subtracted (four
  ;; independent sums keep the adder busy); the last entries of a row go two, then one at a time.
  (func (export "syr2k")
    (param $a i32) (param $n i32) (param $lo i32) (param $first i32) (param $last i32) (param $nb i32)
    (param $vt i32) (param $wt i32)
    (local $i i32) (local $row i32) (local $j i32) (local $lim i32) (local $n8 i32)
    (local $p i32) (local $off i32) (local $vrow i32) (local $wrow i32)
    (local $acc0 v128) (local $acc1 v128) (local $acc2 v128) (local $acc3 v128)
    (local $sv v128) (local $sw v128) (local $s f64)
    (local.set $n8 (i32.mul (local.get $n) (i32.const 8)))
    (local.set $i (local.get $first))
    (block $rows_done
      (loop $each_row
        (br_if $rows_done (i32.ge_s (local.get $i) (local.get $last)))
        (local.set $row (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $n8))))
        ;; V[i,p] and W[i,p] are at vrow + off − j and wrow + off − j (off = p·n·8 + j below)
        (local.set $vrow (i32.add (local.get $vt) (i32.mul (local.get $i) (i32.const 8))))
        (local.set $wrow (i32.add (local.get $wt) (i32.mul (local.get $i) (i32.const 8))))
        ;; lim = byte offset just past the diagonal entry (columns lo..i)
        (local.set $lim (i32.mul (i32.add (local.get $i) (i32.const 1)) (i32.const 8)))
        (local.set $j (i32.mul (local.get $lo) (i32.const 8)))
        ;; eight entries at a time: acc0..acc3 = a[i, j..j+7]
        (block $octs_done
          (loop $octs
            (br_if $octs_done (i32.gt_s (i32.add (local.get $j) (i32.const 64)) (local.get $lim)))
            (local.set $acc0 (v128.load align=8 (i32.add (local.get $row) (local.get $j))))
            (local.set $acc1 (v128.load offset=16 align=8 (i32.add (local.get $row) (local.get $j))))
            (local.set $acc2 (v128.load offset=32 align=8 (i32.add (local.get $row) (local.get $j))))
            (local.set $acc3 (v128.load offset=48 align=8 (i32.add (local.get $row) (local.get $j))))
            (local.set $p (i32.const 0))
            (local.set $off (local.get $j)) ;; byte offset of entry (p, j) in vt / wt
            (block $terms_done
              (loop $terms
                (br_if $terms_done (i32.ge_s (local.get $p) (local.get $nb)))
                (local.set $sv (v128.load64_splat align=8 (i32.sub (i32.add (local.get $vrow) (local.get $off)) (local.get $j))))
                (local.set $sw (v128.load64_splat align=8 (i32.sub (i32.add (local.get $wrow) (local.get $off)) (local.get $j))))
                (local.set $acc0
                  (f64x2.sub (local.get $acc0)
                    (f64x2.add
                      (f64x2.mul (local.get $sv) (v128.load align=8 (i32.add (local.get $wt) (local.get $off))))
                      (f64x2.mul (local.get $sw) (v128.load align=8 (i32.add (local.get $vt) (local.get $off)))))))
                (local.set $acc1
                  (f64x2.sub (local.get $acc1)
                    (f64x2.add
                      (f64x2.mul (local.get $sv) (v128.load offset=16 align=8 (i32.add (local.get $wt) (local.get $off))))
                      (f64x2.mul (local.get $sw) (v128.load offset=16 align=8 (i32.add (local.get $vt) (local.get $off)))))))
                (local.set $acc2
                  (f64x2.sub (local.get $acc2)
                    (f64x2.add
                      (f64x2.mul (local.get $sv) (v128.load offset=32 align=8 (i32.add (local.get $wt) (local.get $off))))
                      (f64x2.mul (local.get $sw) (v128.load offset=32 align=8 (i32.add (local.get $vt) (local.get $off)))))))
                (local.set $acc3
                  (f64x2.sub (local.get $acc3)
                    (f64x2.add
                      (f64x2.mul (local.get $sv) (v128.load offset=48 align=8 (i32.add (local.get $wt) (local.get $off))))
                      (f64x2.mul (local.get $sw) (v128.load offset=48 align=8 (i32.add (local.get $vt) (local.get $off)))))))
                (local.set $p (i32.add (local.get $p) (i32.const 1)))
                (local.set $off (i32.add (local.get $off) (local.get $n8)))
                (br $terms)))
            (v128.store align=8 (i32.add (local.get $row) (local.get $j)) (local.get $acc0))
            (v128.store offset=16 align=8 (i32.add (local.get $row) (local.get $j)) (local.get $acc1))
            (v128.store offset=32 align=8 (i32.add (local.get $row) (local.get $j)) (local.get $acc2))
            (v128.store offset=48 align=8 (i32.add (local.get $row) (local.get $j)) (local.get $acc3))
            (local.set $j (i32.add (local.get $j) (i32.const 64)))
            (br $octs)))
        ;; then two entries at a time while two remain
        (block $pairs_done
          (loop $pairs
            (br_if $pairs_done (i32.gt_s (i32.add (local.get $j) (i32.const 16)) (local.get $lim)))
            (local.set $acc0 (v128.load align=8 (i32.add (local.get $row) (local.get $j))))
            (local.set $p (i32.const 0))
            (local.set $off (local.get $j))
            (block $terms2_done
              (loop $terms2
                (br_if $terms2_done (i32.ge_s (local.get $p) (local.get $nb)))
                (local.set $acc0
                  (f64x2.sub (local.get $acc0)
                    (f64x2.add
                      (f64x2.mul
                        (v128.load64_splat align=8 (i32.sub (i32.add (local.get $vrow) (local.get $off)) (local.get $j)))
                        (v128.load align=8 (i32.add (local.get $wt) (local.get $off))))
                      (f64x2.mul
                        (v128.load64_splat align=8 (i32.sub (i32.add (local.get $wrow) (local.get $off)) (local.get $j)))
                        (v128.load align=8 (i32.add (local.get $vt) (local.get $off)))))))
                (local.set $p (i32.add (local.get $p) (i32.const 1)))
                (local.set $off (i32.add (local.get $off) (local.get $n8)))
                (br $terms2)))
            (v128.store align=8 (i32.add (local.get $row) (local.get $j)) (local.get $acc0))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $pairs)))
        ;; then the last single entry, if one remains
        (if (i32.lt_s (local.get $j) (local.get $lim))
          (then
            (local.set $s (f64.load align=8 (i32.add (local.get $row) (local.get $j))))
            (local.set $p (i32.const 0))
            (local.set $off (local.get $j))
            (block $terms1_done
              (loop $terms1
                (br_if $terms1_done (i32.ge_s (local.get $p) (local.get $nb)))
                (local.set $s
                  (f64.sub (local.get $s)
                    (f64.add
                      (f64.mul
                        (f64.load align=8 (i32.sub (i32.add (local.get $vrow) (local.get $off)) (local.get $j)))
                        (f64.load align=8 (i32.add (local.get $wt) (local.get $off))))
                      (f64.mul
                        (f64.load align=8 (i32.sub (i32.add (local.get $wrow) (local.get $off)) (local.get $j)))
                        (f64.load align=8 (i32.add (local.get $vt) (local.get $off)))))))
                (local.set $p (i32.add (local.get $p) (i32.const 1)))
                (local.set $off (i32.add (local.get $off) (local.get $n8)))
                (br $terms1)))
            (f64.store align=8 (i32.add (local.get $row) (local.get $j)) (local.get $s))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $each_row))))

  ;; pdots(vt, wt, n, lo, count, v, cw, cv) — the panel's dot products (tridiagBlocked.ts,
  ;; `panelDotsJs`): for p = 0..count−1, with vt and wt nb×n (row p = column p of V, W):
  ;;   cw[p] = Σ_{lo≤r<n} wt[p,r]·v[r]      cv[p] = Σ_{lo≤r<n} vt[p,r]·v[r]
  (func (export "pdots")
    (param $vt i32) (param $wt i32) (param $n i32) (param $lo i32) (param $count i32)
    (param $v i32) (param $cw i32) (param $cv i32)
    (local $p i32) (local $r i32) (local $end i32) (local $vrow i32) (local $wrow i32)
    (local $aw v128) (local $av v128) (local $x v128) (local $sw f64) (local $sv f64)
    (local.set $end (i32.mul (local.get $n) (i32.const 8)))
    (local.set $p (i32.const 0))
    (block $done
      (loop $each
        (br_if $done (i32.ge_s (local.get $p) (local.get $count)))
        (local.set $vrow (i32.add (local.get $vt) (i32.mul (local.get $p) (local.get $end))))
        (local.set $wrow (i32.add (local.get $wt) (i32.mul (local.get $p) (local.get $end))))
        (local.set $aw (f64x2.splat (f64.const 0)))
        (local.set $av (f64x2.splat (f64.const 0)))
        (local.set $r (i32.mul (local.get $lo) (i32.const 8)))
        (block $pairs_done
          (loop $pairs
            (br_if $pairs_done (i32.gt_s (i32.add (local.get $r) (i32.const 16)) (local.get $end)))
            (local.set $x (v128.load align=8 (i32.add (local.get $v) (local.get $r))))
            (local.set $aw
              (f64x2.add (local.get $aw) (f64x2.mul (v128.load align=8 (i32.add (local.get $wrow) (local.get $r))) (local.get $x))))
            (local.set $av
              (f64x2.add (local.get $av) (f64x2.mul (v128.load align=8 (i32.add (local.get $vrow) (local.get $r))) (local.get $x))))
            (local.set $r (i32.add (local.get $r) (i32.const 16)))
            (br $pairs)))
        (local.set $sw (f64.add (f64x2.extract_lane 0 (local.get $aw)) (f64x2.extract_lane 1 (local.get $aw))))
        (local.set $sv (f64.add (f64x2.extract_lane 0 (local.get $av)) (f64x2.extract_lane 1 (local.get $av))))
        (if (i32.lt_s (local.get $r) (local.get $end))
          (then ;; the odd last entry
            (local.set $sw (f64.add (local.get $sw)
              (f64.mul (f64.load align=8 (i32.add (local.get $wrow) (local.get $r))) (f64.load align=8 (i32.add (local.get $v) (local.get $r))))))
            (local.set $sv (f64.add (local.get $sv)
              (f64.mul (f64.load align=8 (i32.add (local.get $vrow) (local.get $r))) (f64.load align=8 (i32.add (local.get $v) (local.get $r))))))))
        (f64.store align=8 (i32.add (local.get $cw) (i32.mul (local.get $p) (i32.const 8))) (local.get $sw))
        (f64.store align=8 (i32.add (local.get $cv) (i32.mul (local.get $p) (i32.const 8))) (local.get $sv))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $each))))

  ;; pupdate(vt, wt, n, lo, count, cw, cv, y) — the panel's matrix–vector update (tridiagBlocked.ts,
  ;; `panelUpdateJs`): for p = 0, 1, …, count−1 in turn, with vt and wt nb×n as in pdots:
  ;;   y[r] −= vt[p,r]·cw[p] + wt[p,r]·cv[p]      for lo ≤ r < n
  (func (export "pupdate")
    (param $vt i32) (param $wt i32) (param $n i32) (param $lo i32) (param $count i32)
    (param $cw i32) (param $cv i32) (param $y i32)
    (local $p i32) (local $r i32) (local $end i32) (local $vrow i32) (local $wrow i32)
    (local $a f64) (local $b f64) (local $av v128) (local $bv v128)
    (local.set $end (i32.mul (local.get $n) (i32.const 8)))
    (local.set $p (i32.const 0))
    (block $done
      (loop $each
        (br_if $done (i32.ge_s (local.get $p) (local.get $count)))
        (local.set $vrow (i32.add (local.get $vt) (i32.mul (local.get $p) (local.get $end))))
        (local.set $wrow (i32.add (local.get $wt) (i32.mul (local.get $p) (local.get $end))))
        (local.set $av (f64x2.splat (local.tee $a (f64.load align=8 (i32.add (local.get $cw) (i32.mul (local.get $p) (i32.const 8)))))))
        (local.set $bv (f64x2.splat (local.tee $b (f64.load align=8 (i32.add (local.get $cv) (i32.mul (local.get $p) (i32.const 8)))))))
        (local.set $r (i32.mul (local.get $lo) (i32.const 8)))
        (block $pairs_done
          (loop $pairs
            (br_if $pairs_done (i32.gt_s (i32.add (local.get $r) (i32.const 16)) (local.get $end)))
            (v128.store align=8 (i32.add (local.get $y) (local.get $r))
              (f64x2.sub (v128.load align=8 (i32.add (local.get $y) (local.get $r)))
                (f64x2.add
                  (f64x2.mul (v128.load align=8 (i32.add (local.get $vrow) (local.get $r))) (local.get $av))
                  (f64x2.mul (v128.load align=8 (i32.add (local.get $wrow) (local.get $r))) (local.get $bv)))))
            (local.set $r (i32.add (local.get $r) (i32.const 16)))
            (br $pairs)))
        (if (i32.lt_s (local.get $r) (local.get $end))
          (then ;; the odd last entry
            (f64.store align=8 (i32.add (local.get $y) (local.get $r))
              (f64.sub (f64.load align=8 (i32.add (local.get $y) (local.get $r)))
                (f64.add
                  (f64.mul (f64.load align=8 (i32.add (local.get $vrow) (local.get $r))) (local.get $a))
                  (f64.mul (f64.load align=8 (i32.add (local.get $wrow) (local.get $r))) (local.get $b)))))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $each))))

  ;; refl(base, rows, stride, len, v, tau) — apply one Householder reflector I − τ·v·vᵀ from the
  ;; right to `rows` rows of `len` entries, the first at `base`, `stride` bytes apart
  ;; (bidiag.ts `formUt`/`formVt`, tridiag.ts `formQt`): s = τ·(row·v); row −= s·v.
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
  ;; (bdsqr.ts and tridiag.ts `rot`): p ← c·p + s·q, q ← c·q − s·p.
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
)
