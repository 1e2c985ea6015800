#!/usr/bin/env bash
# Backfill a labelled archive through the real pipeline (embedded default), export, and score it.
#   bench/eval_pipeline.sh [EVAL_DIR]   (default: ../shared/eval)
#   EVAL_DATABASE_URL=postgresql://... bench/eval_pipeline.sh   (an empty PostgreSQL store instead of SQLite)
set -euo pipefail
cd "$(dirname "$0")/.."
EVAL=${1:-../shared/eval}
out=$(mktemp -d)
export AIDEWATCH_DATA_DIR=$out AIDEWATCH_DATABASE_URL=${EVAL_DATABASE_URL:-sqlite:///$out/eval.db} AIDEWATCH_LOG_LEVEL=WARNING OMP_NUM_THREADS=1
start=$(date +%s.%N)
aidewatch backfill "$EVAL/dev/articles.jsonl" --quiet
end=$(date +%s.%N)
aidewatch export events --format jsonl > "$out/events.jsonl"
aidewatch export articles --format jsonl > "$out/articles.jsonl"
python3 "$EVAL/score.py" --gold "$EVAL/dev/gold.jsonl" --events "$out/events.jsonl" \
    --articles "$out/articles.jsonl" --clusters "$EVAL/dev/clusters.jsonl"
echo "backfill wall time: $(python3 -c "print(f'{$end - $start:.1f}')") s; outputs in $out"
