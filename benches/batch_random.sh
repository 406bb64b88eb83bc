#!/usr/bin/env bash
# Batch queries on random input (issue 17 item 12): QUERIES queries of random Arabic letters
# (a fixed seed, so the same batch each run with the same awk), three in four of 1 to 12
# words, one in four a pasted page of 100 to 3,000 words (up to about 20 KB), run by
# `fahras query --queries` (release build, TREC output). Reports queries per second, the best
# of RUNS runs, and how many queries were left out (more than 256 words: refused).
#
#   benches/batch_random.sh [CORPUS_DIR] [QUERIES]
#
# CORPUS_DIR defaults to ../shared/corpus/ant-jawharafm (kept beside the repository, not
# shipped with it) when present, else the sample articles in data/. INDEX=DIR uses an index
# already made instead; FAHRAS=PATH another binary (an older build, to compare); RUNS
# (default 3).
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-../shared/corpus/ant-jawharafm}
[ -d "$corpus" ] || corpus=data
queries=${2:-400}
runs=${RUNS:-3}

if [ -z "${FAHRAS:-}" ]; then
    cargo build --release --quiet --bin fahras
fi
fahras=${FAHRAS:-target/release/fahras}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
index=${INDEX:-$work/idx}
[ -n "${INDEX:-}" ] || "$fahras" --index "$index" ingest "$corpus" --quiet

awk -v n="$queries" 'BEGIN {
    srand(17)
    split("ا ب ت ث ج ح خ د ذ ر ز س ش ص ض ط ظ ع غ ف ق ك ل م ن ه و ي ة ى ء أ إ ؤ ئ", letter, " ")
    for (q = 1; q <= n; q++) {
        words = rand() < 0.75 ? 1 + int(rand() * 12) : 100 + int(rand() * 2901)
        line = ""
        for (w = 0; w < words; w++) {
            len = 2 + int(rand() * 8)
            word = ""
            for (c = 0; c < len; c++) word = word letter[1 + int(rand() * 37)]
            line = line (w ? " " : "") word
        }
        printf "r%d\t%s\n", q, line
    }
}' >"$work/queries.tsv"
echo "index: $index; $queries random queries, $(wc -c <"$work/queries.tsv") bytes"

best=
for _ in $(seq "$runs"); do
    started=$(date +%s.%N)
    "$fahras" --index "$index" query --queries "$work/queries.tsv" >/dev/null 2>"$work/stderr" || true
    ended=$(date +%s.%N)
    rate=$(echo "$queries / ($ended - $started)" | bc -l)
    echo "run: $(printf '%.1f' "$rate") queries/s"
    if [ -z "$best" ] || [ "$(echo "$rate > $best" | bc -l)" = 1 ]; then best=$rate; fi
done
echo "best: $(printf '%.1f' "$best") queries/s ($(grep -c 'left out' "$work/stderr" || true) queries left out)"
