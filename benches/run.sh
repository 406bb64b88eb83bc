#!/usr/bin/env bash
# The whole performance comparison in one run: fahras against tantivy with its default
# tokenizer (benches/fahras_bench.rs) on the ANT JawharaFM corpus and on a 10× copy of it, and
# against the peers of ../shared/peers (Lucene/Anserini, Xapian, SQLite FTS5, tantivy-py) on
# the same articles. Prints one markdown report; keeps everything under $OUT.
#
#   benches/run.sh [CORPUS_DIR]
#
# Environment: RUNS (ingest runs per engine, default 3), REPEATS (timed passes over the query
# mix, default 20), COPIES (size of the large corpus, default 10; 0 skips it), PEERS (default
# "anserini xapian sqlite_fts5 tantivy"; empty skips them), PEERS_DIR (default ../shared/peers;
# its setup.sh must have run), THREADS, MEMORY_MB, OUT (default /tmp/fahras-bench).
#
# Needs ../shared/ beside the repository (corpus and peers; not shipped): the tests do not.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=$(cd "${1:-../shared/corpus/ant-jawharafm}" && pwd)
out=${OUT:-/tmp/fahras-bench}
runs=${RUNS:-3}
repeats=${REPEATS:-20}
copies=${COPIES:-10}
peers=${PEERS-anserini xapian sqlite_fts5 tantivy}
peers_dir=${PEERS_DIR:-../shared/peers}
mkdir -p "$out"

cargo build --release --quiet --bin fahras --bench fahras_bench
bench=$(cargo bench --bench fahras_bench --no-run --message-format=json 2>/dev/null |
    sed -n 's/.*"executable":"\([^"]*fahras_bench[^"]*\)".*/\1/p' | tail -1)
[ -x "$bench" ] || { echo "could not find the fahras_bench executable" >&2; exit 1; }

corpora=(--corpus "$corpus")
if [ "$copies" -gt 0 ]; then
    big="$out/corpus-x$copies"
    if [ ! -d "$big" ]; then
        "$bench" repeat "$corpus" "$big.tmp" "$copies" && mv "$big.tmp" "$big"
    fi
    corpora+=(--corpus "$big")
fi

peer_args=()
if [ -n "$peers" ]; then
    plain="$out/plain-$(basename "$corpus")"
    [ -d "$plain" ] || { "$bench" plain "$corpus" "$plain.tmp" && mv "$plain.tmp" "$plain"; }
    # The query mix of fahras_bench.rs, without phrase quotes (every peer runs bag-of-words OR).
    cat > "$out/queries.tsv" <<'EOF'
q1	الترجي
q2	الإرهاب
q3	فيروس
q4	تونس
q5	لافروف
q6	يوسف الشاهد
q7	راشد الغنوشي
q8	النجم الساحلي
q9	نبيل القروي
q10	وزير الخارجية
q11	البنك المركزي
q12	كرة القدم
EOF
    rm -rf "$out/peers"
    PEERS="$peers" "$peers_dir/run_all.sh" "$plain" "$out/queries.tsv" "$out/peers" >/dev/null || true
    peer_args=(--peers "$out/peers/results.jsonl")
fi

echo "commit $(git rev-parse --short HEAD)$(git diff --quiet || echo ' (with local changes)'), $(nproc) cores"
"$bench" "${corpora[@]}" --runs "$runs" --query-repeats "$repeats" \
    --threads "${THREADS:-0}" --memory-mb "${MEMORY_MB:-256}" \
    --json "$out/report.json" "${peer_args[@]}"
