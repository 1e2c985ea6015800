"""MinHash signatures and LSH band parameters, the same values as datasketch 2's (``MinHash`` with
its default ``affine32`` scheme and ``sha1_hash32``; ``MinHashLSH``'s parameter choice), without
importing datasketch: its package imports SciPy's integrators, about a CPU-second of every
process start. Stored signatures and band keys stay valid (tests/test_minhash.py compares both).
"""
from __future__ import annotations

import hashlib
from functools import lru_cache
from typing import Iterable

import numpy as np

_FMIX32 = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35), np.uint32(16))
_MAX_HASH = np.uint32(0xFFFFFFFF)


@lru_cache(maxsize=8)
def permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The (a, b) of each affine permutation h -> a*h + b mod 2**32 (a odd: a bijection),
    drawn as datasketch 2 draws them."""
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


def _fmix32(hv: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer (a bijection that spreads structured inputs)."""
    s1, m1, s2, m2, s3 = _FMIX32
    hv = hv ^ (hv >> s1)
    hv = hv * m1
    hv = hv ^ (hv >> s2)
    hv = hv * m2
    return hv ^ (hv >> s3)


def minhash(values: Iterable[bytes], num_perm: int = 128, seed: int = 1) -> np.ndarray:
    """The MinHash of a set of byte strings (first 4 bytes of SHA-1, little-endian, as the
    element hash): ``num_perm`` uint32 values."""
    a, b = permutations(num_perm, seed)
    sha1 = hashlib.sha1
    hv = np.frombuffer(b"".join([sha1(v).digest()[:4] for v in values]), dtype="<u4").astype(np.uint32)
    if not hv.size:
        return np.full(num_perm, _MAX_HASH, dtype=np.uint32)
    phv = _fmix32(hv).reshape(-1, 1) * a + b
    return phv.min(axis=0)


def _integral(f, lo: float, hi: float) -> float:
    """Integral of ``f`` over [lo, hi] by Gauss-Legendre quadrature with 65 nodes: exact (to
    rounding) for the polynomials of degree <= 129 integrated here."""
    x, w = _nodes()
    half = (hi - lo) / 2
    return float(half * np.dot(w, f(half * x + (hi + lo) / 2)))


@lru_cache(maxsize=1)
def _nodes():
    return np.polynomial.legendre.leggauss(65)


@lru_cache(maxsize=32)
def optimal_bands(threshold: float, num_perm: int, fp_weight: float = 0.5,
                  fn_weight: float = 0.5) -> tuple[int, int]:
    """(bands, rows) minimising the weighted false positive and negative probabilities, as
    datasketch's ``MinHashLSH`` chooses them (num_perm <= 128: the quadrature is exact)."""
    best, opt = float("inf"), (0, 0)
    for b in range(1, num_perm + 1):
        for r in range(1, num_perm // b + 1):
            fp = _integral(lambda s: 1 - (1 - s ** r) ** b, 0.0, threshold)
            fn = _integral(lambda s: (1 - s ** r) ** b, threshold, 1.0)
            error = fp * fp_weight + fn * fn_weight
            if error < best:
                best, opt = error, (b, r)
    return opt
