"""aidewatch: staffing events from the news."""
import os

# spaCy's matrix products go through numpy's BLAS (workers.extract.load_pipeline): they are small
# (a few sentences at a time), so BLAS threads would only add overhead; workers scale by processes.
# Set before numpy is loaded; an explicit setting wins.
if not any(k in os.environ for k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")):
    os.environ["OPENBLAS_NUM_THREADS"] = "1"
