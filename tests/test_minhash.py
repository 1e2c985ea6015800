"""Our MinHash and LSH parameters give datasketch 2's values (stored signatures stay valid)."""
from __future__ import annotations

import random

import pytest
from datasketch import MinHash
from datasketch.lsh import _optimal_param

from workers import fingerprint
from workers.minhash import minhash, optimal_bands


def test_minhash_equals_datasketch():
    rng = random.Random(3)
    for _ in range(60):
        values = [bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 30))) for _ in range(rng.randint(0, 300))]
        ref = MinHash(num_perm=128, seed=1)
        ref.update_batch(values)
        assert minhash(values, 128, 1).tolist() == ref.hashvalues.tolist()


def test_signature_of_a_text_equals_datasketch():
    text = "Ann Lee resigned as chief of staff of the Labour party on Monday, the party said. " * 3
    ref = MinHash(num_perm=128, seed=1)
    ref.update_batch(fingerprint._shingles(text))
    assert fingerprint.minhash_signature(text) == [int(v) for v in ref.hashvalues]


@pytest.mark.parametrize("threshold", [0.3, 0.5, 0.6, 0.7, 0.8, 0.9])
@pytest.mark.parametrize("num_perm", [64, 128])
def test_band_parameters_equal_datasketch(threshold, num_perm):
    assert optimal_bands(threshold, num_perm, 0.5, 0.5) == _optimal_param(threshold, num_perm, 0.5, 0.5)
