"""LAPACK peer for bench/dqds.ts: times dlasq1 (dqds, what dgesdd runs for values only) from the
OpenBLAS library that numpy ships, on bidiagonals written by the caller.

    python3 bench/dqds_lapack.py DIR REPS

DIR holds NAME.d and NAME.e (float64, native byte order) for each case; for each, the best of REPS
calls is printed as JSON {NAME: seconds}, and the singular values are written to NAME.lapack.
dlasq1 is single-threaded (no BLAS calls), so the thread count does not matter.
"""
import ctypes
import glob
import json
import os
import sys
import time

import numpy as np


def lapack_dlasq1():
    libs = glob.glob(os.path.join(os.path.dirname(np.__file__), "..", "numpy.libs", "libscipy_openblas64_*.so"))
    if not libs:
        raise SystemExit("numpy's bundled OpenBLAS (scipy_openblas64) not found")
    lib = ctypes.CDLL(libs[0])
    f = lib.scipy_dlasq1_64_  # 64-bit integer interface, Fortran calling convention

    def dlasq1(d, e):
        n = len(d)
        d, e, work = d.copy(), np.append(e, 0.0), np.zeros(4 * n)
        nn, info = ctypes.c_int64(n), ctypes.c_int64(0)
        ptr = lambda a: a.ctypes.data_as(ctypes.c_void_p)
        f(ctypes.byref(nn), ptr(d), ptr(e), ptr(work), ctypes.byref(info))
        if info.value != 0:
            raise SystemExit(f"dlasq1 INFO = {info.value}")
        return d

    return dlasq1


def main():
    root, reps = sys.argv[1], int(sys.argv[2])
    dlasq1 = lapack_dlasq1()
    out = {}
    for path in sorted(glob.glob(os.path.join(root, "*.d"))):
        name = os.path.basename(path)[:-2]
        d = np.fromfile(path, dtype=np.float64)
        e = np.fromfile(os.path.join(root, name + ".e"), dtype=np.float64)
        best = float("inf")
        for _ in range(reps):
            t = time.perf_counter()
            s = dlasq1(d, e)
            best = min(best, time.perf_counter() - t)
        s.tofile(os.path.join(root, name + ".lapack"))
        out[name] = best
    print(json.dumps(out))


main()
