"""numpy peer for bench/linalg.ts: times the same cases and prints one JSON object.

    python3 bench/linalg_numpy.py CASES_JSON REPS

CASES_JSON is a list of [kind, a, b]: svdvals m n, svd m n, eigvalsh n 0, eigh n 0, fftconv T 0,
gemm n 0 (an n×n by n×n product).
Each figure is the best of REPS runs (one run for matrices of 4096 or more rows). The thread
count is whatever the environment gives numpy (bench/linalg.ts runs this twice: as is, and with
OPENBLAS_NUM_THREADS=OMP_NUM_THREADS=MKL_NUM_THREADS=1).
"""
import json
import sys
import time

import numpy as np


def best(f, reps):
    b = float("inf")
    for _ in range(reps):
        t = time.perf_counter()
        f()
        b = min(b, time.perf_counter() - t)
    return b


def fftconv(u, k):
    T = len(u)
    n = 1 << (2 * T - 1).bit_length()
    return np.fft.irfft(np.fft.rfft(u, n) * np.fft.rfft(k, n), n)[:T]


def main():
    cases = json.loads(sys.argv[1])
    reps = int(sys.argv[2])
    rng = np.random.default_rng(0)
    out = {"numpy": np.__version__}
    try:
        from threadpoolctl import threadpool_info

        out["blas"] = [(i.get("internal_api"), i.get("num_threads")) for i in threadpool_info()]
    except Exception:
        pass
    for kind, a, b in cases:
        key = f"{kind}/{a}x{b}"
        r = 1 if a >= 4096 else reps
        if kind in ("svdvals", "svd"):
            x = rng.standard_normal((a, b))
            f = (lambda: np.linalg.svd(x, compute_uv=False)) if kind == "svdvals" else (lambda: np.linalg.svd(x, full_matrices=False))
        elif kind in ("eigvalsh", "eigh"):
            x = rng.standard_normal((a, a))
            x = x + x.T
            f = (lambda: np.linalg.eigvalsh(x)) if kind == "eigvalsh" else (lambda: np.linalg.eigh(x))
        elif kind == "gemm":
            x = rng.standard_normal((a, a))
            y = rng.standard_normal((a, a))
            f = lambda: x @ y
        elif kind == "fftconv":
            u = rng.standard_normal(a)
            k = rng.standard_normal(a)
            f = lambda: fftconv(u, k)
        else:
            raise ValueError(f"unknown case {kind}")
        out[key] = best(f, r)
    print(json.dumps(out))


main()
