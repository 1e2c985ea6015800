"""aidewatch: staffing events from the news."""
import ctypes
import os
import sys

# spaCy's matrix products go through numpy's BLAS (workers.extract.load_pipeline): they are small
# (a few sentences at a time), so BLAS threads would only add overhead; workers scale by processes.
# Set before numpy is loaded; an explicit setting wins.
if not any(k in os.environ for k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")):
    os.environ["OPENBLAS_NUM_THREADS"] = "1"

MMAP_THRESHOLD = 32 << 20      # glibc's ceiling for M_MMAP_THRESHOLD on 64-bit
TRIM_THRESHOLD = 64 << 20


def keep_freed_memory() -> bool:
    """Have glibc's malloc keep freed blocks of up to ``MMAP_THRESHOLD`` in the heap, returning
    memory to the system only when more than ``TRIM_THRESHOLD`` is free at its top.

    By default every block over 128 KiB (the model's per-batch arrays, a page's parse tree) is
    mapped for one use and unmapped on free, so the next batch faults the same pages in again: a
    third of the page faults of a backfill and about 3 % of its CPU (bench/backfill_throughput.py).
    An explicit ``MALLOC_MMAP_THRESHOLD_`` or ``MALLOC_TRIM_THRESHOLD_`` wins; other C libraries
    are left alone. Returns whether the setting was made."""
    if not sys.platform.startswith("linux") or any(
            k in os.environ for k in ("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_")):
        return False
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return False
    if not hasattr(libc, "gnu_get_libc_version"):    # glibc only (musl's mallopt does nothing)
        return False
    m_trim_threshold, m_mmap_threshold = -1, -3
    return bool(libc.mallopt(m_mmap_threshold, MMAP_THRESHOLD)) and bool(
        libc.mallopt(m_trim_threshold, TRIM_THRESHOLD))


keep_freed_memory()
