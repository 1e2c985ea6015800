"""What importing aidewatch sets up for the process: BLAS threads and glibc's allocator."""
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CODE = "import os, aidewatch; print(aidewatch.keep_freed_memory(), os.environ.get('OPENBLAS_NUM_THREADS'))"


def _run(env: dict) -> str:
    return subprocess.run([sys.executable, "-c", CODE], env=env, cwd=ROOT, capture_output=True, text=True,
                          check=True).stdout.strip()


def test_malloc_keeps_freed_blocks_unless_the_environment_says_otherwise():
    """aidewatch sets glibc's mmap and trim thresholds at import (fewer page faults per batch) and one
    BLAS thread; an explicit MALLOC_* or thread setting is the user's choice and is left as it is."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("MALLOC_") and k not in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS")}
    linux = "True" if sys.platform.startswith("linux") else "False"
    assert _run(env) == f"{linux} 1"
    assert _run(env | {"MALLOC_TRIM_THRESHOLD_": "131072", "OPENBLAS_NUM_THREADS": "2"}) == "False 2"
