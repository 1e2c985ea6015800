#!/usr/bin/env bash
# Backfill labelled archives through the real pipeline (embedded default), export, and score them,
# over all and per source kind.
#   bench/eval_pipeline.sh [SET ...]            (default: dev devb, under ../shared/eval)
#   EVAL=/path/to/eval bench/eval_pipeline.sh dev
#   EVAL_DATABASE_URL=postgresql://... bench/eval_pipeline.sh dev   (an empty PostgreSQL store instead of SQLite)
set -euo pipefail
cd "$(dirname "$0")/.."
EVAL=${EVAL:-../shared/eval}
sets=("$@"); [ ${#sets[@]} -gt 0 ] || sets=(dev devb)
for set in "${sets[@]}"; do
  out=$(mktemp -d)
  export AIDEWATCH_DATA_DIR=$out AIDEWATCH_DATABASE_URL=${EVAL_DATABASE_URL:-sqlite:///$out/eval.db} AIDEWATCH_LOG_LEVEL=WARNING OMP_NUM_THREADS=1
  echo "== $set"
  start=$(date +%s.%N)
  aidewatch backfill "$EVAL/$set/articles.jsonl" --quiet || true
  end=$(date +%s.%N)
  aidewatch export events --format jsonl > "$out/events.jsonl"
  aidewatch export articles --format jsonl > "$out/articles.jsonl"
  python3 "$EVAL/score.py" --gold "$EVAL/$set/gold.jsonl" --events "$out/events.jsonl" \
      --articles "$out/articles.jsonl" --clusters "$EVAL/$set/clusters.jsonl"
  python3 "$EVAL/kinds.py" --gold "$EVAL/$set/gold.jsonl" --events "$out/events.jsonl"
  echo "backfill wall time: $(python3 -c "print(f'{$end - $start:.1f}')") s; outputs in $out"
done
