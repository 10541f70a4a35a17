#!/usr/bin/env python3
"""The baseline of the CPU benchmark: the Hamiltonian of MODEL.md as a
scipy.sparse CSR matrix, built the way a physicist would (Kronecker products of
single-particle and single-spin operators), and the timing of y = H @ x.

Canonical order (MODEL.md, layout): index = ((xA*N + xB)*4 + e)*2^L + m with
e = 2 bA + bB and bit j of m set when local spin j is down, so the Kronecker
factors run xA, xB, bA, bB, spin L-1, ..., spin 0 (spin 0 fastest).
Basis of one spin 1/2: 0 = up, 1 = down. electronSpin "half", sdTerms "full".

    python3 bench/scipy_csr.py --N 200 --L 4 [--reps 7] [--apply IN.f64 OUT.f64] [--no-time]
        times H @ x for a random complex128 x (unless --no-time) and prints
        one JSON object on stdout. With --apply it also reads an interleaved
        complex state (float64, canonical order) and writes H @ x the same
        way: the harness compares that with the TypeScript kernel, so the
        speed ratio is between the same operator.

scipy's CSR matvec (sparsetools) runs on one thread.
"""

import argparse
import json
import platform
import sys
import time

import numpy as np
import scipy
import scipy.sparse as sp


def kron_all(*factors):
    """Kronecker product of the factors, first one slowest, in CSR."""
    out = sp.identity(1, format="csr", dtype=np.float64)
    for f in factors:
        out = sp.kron(out, f, format="csr")
    return out


def hamiltonian(N, L, spin_start, th, jex, jsd):
    """H of MODEL.md (paper Eqs. 2 and 7) as a real CSR matrix of dimension N^2 4 2^L."""
    S = 2**L
    i_n = sp.identity(N, format="csr")
    i_2 = sp.identity(2, format="csr")
    i_s = sp.identity(S, format="csr")
    # One spin 1/2 (= Pauli/2 for electrons too: electronSpin "half").
    sz = sp.csr_matrix(np.diag([0.5, -0.5]))
    splus = sp.csr_matrix(np.array([[0.0, 1.0], [0.0, 0.0]]))  # |up><down|
    sminus = splus.T.tocsr()

    # -t_h sum_i (|i><i+1| + h.c.) on the periodic ring.
    rows = np.arange(N)
    ring = sp.csr_matrix((np.ones(N), (rows, (rows + 1) % N)), shape=(N, N))
    hop = -th * (ring + ring.T)

    def local(op, j):
        # Operator on local spin j: bit j of m, factors ordered spin L-1 ... spin 0.
        return kron_all(sp.identity(2 ** (L - 1 - j), format="csr"), op, sp.identity(2**j, format="csr"))

    # -J_ex sum_{j<L-1} S_j . S_{j+1}, open chain.
    h_chain = sp.csr_matrix((S, S))
    for j in range(L - 1):
        h_chain = h_chain - jex * (
            local(sz, j) @ local(sz, j + 1)
            + 0.5 * (local(splus, j) @ local(sminus, j + 1) + local(sminus, j) @ local(splus, j + 1))
        )

    # sigma . S_j on (electron spin) x (local spins); sigma_+- = S_+- for spin 1/2.
    def sigma_dot_s(e_op_z, e_op_p, e_op_m, j):
        return (
            sp.kron(e_op_z, local(sz, j))
            + 0.5 * (sp.kron(e_op_p, local(sminus, j)) + sp.kron(e_op_m, local(splus, j)))
        ).tocsr()

    H = (
        kron_all(hop, i_n, i_2, i_2, i_s)
        + kron_all(i_n, hop, i_2, i_2, i_s)
        + kron_all(i_n, i_n, i_2, i_2, h_chain)
    )
    for j in range(L):
        n_j = spin_start + j
        proj = sp.csr_matrix(([1.0], ([n_j], [n_j])), shape=(N, N))
        # electron A: the more significant bit of e; electron B: the less significant one.
        sa = sigma_dot_s(sp.kron(sz, i_2), sp.kron(splus, i_2), sp.kron(sminus, i_2), j)
        sb = sigma_dot_s(sp.kron(i_2, sz), sp.kron(i_2, splus), sp.kron(i_2, sminus), j)
        H = H - jsd * (kron_all(proj, i_n, sa) + kron_all(i_n, proj, sb))
    H = H.tocsr()
    H.sum_duplicates()
    H.eliminate_zeros()
    H.sort_indices()
    return H


def time_it(fn, reps):
    fn()  # warm-up
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    times.sort()
    return times


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--N", type=int, required=True)
    p.add_argument("--L", type=int, required=True)
    p.add_argument("--spinStart", type=int, default=None)
    p.add_argument("--th", type=float, default=0.5)
    p.add_argument("--Jex", type=float, default=0.2)
    p.add_argument("--Jsd", type=float, default=0.3)
    p.add_argument("--reps", type=int, default=7)
    p.add_argument("--apply", nargs=2, metavar=("IN", "OUT"))
    p.add_argument("--no-time", action="store_true")
    a = p.parse_args()
    spin_start = a.spinStart if a.spinStart is not None else a.N // 2 - a.L // 2

    t0 = time.perf_counter()
    H = hamiltonian(a.N, a.L, spin_start, a.th, a.Jex, a.Jsd)
    build_seconds = time.perf_counter() - t0
    dim = H.shape[0]
    assert dim == a.N * a.N * 4 * 2**a.L

    if a.apply:
        x = np.fromfile(a.apply[0], dtype=np.float64).view(np.complex128)
        if x.size != dim:
            sys.exit(f"state has {x.size} amplitudes, H has dimension {dim}")
        (H @ x).view(np.float64).tofile(a.apply[1])
        del x
    if a.no_time:
        json.dump({"N": a.N, "L": a.L, "dim": dim, "nnz": int(H.nnz)}, sys.stdout)
        return

    rng = np.random.default_rng(1)
    x = rng.standard_normal(dim) + 1j * rng.standard_normal(dim)
    x /= np.linalg.norm(x)
    Hc = H.astype(np.complex128)
    xr = np.ascontiguousarray(np.column_stack([x.real, x.imag]))
    ref = H @ x
    # The ways a physicist writes H psi for a complex psi; the fastest is the baseline.
    variants = {
        "real CSR @ complex128 x": lambda: H @ x,
        "complex128 CSR @ complex128 x": lambda: Hc @ x,
        "real CSR @ (dim, 2) real [Re x, Im x]": lambda: H @ xr,
    }
    results = []
    for name, fn in variants.items():
        y = fn()
        y = y[:, 0] + 1j * y[:, 1] if y.ndim == 2 else y
        err = float(np.max(np.abs(y - ref)))
        if err > 1e-12:
            sys.exit(f"variant {name!r} disagrees with H @ x by {err}")
        times = time_it(fn, a.reps)
        median = times[len(times) // 2]
        results.append({
            "name": name,
            "medianSeconds": median,
            "minSeconds": times[0],
            "maxSeconds": times[-1],
            "reps": a.reps,
            "ampsPerSecond": dim / median,
        })
    best = min(results, key=lambda r: r["medianSeconds"])
    json.dump({
        "N": a.N,
        "L": a.L,
        "dim": dim,
        "nnz": int(H.nnz),
        "nnzPerRow": H.nnz / dim,
        "csrBytes": int(H.data.nbytes + H.indices.nbytes + H.indptr.nbytes),
        "buildSeconds": build_seconds,
        "variants": results,
        "best": best,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
    }, sys.stdout)


if __name__ == "__main__":
    main()
