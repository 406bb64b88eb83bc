#!/usr/bin/env bash
# Load test of `fahras serve` over loopback: 1,000 search requests, 8 at a time (release
# build), reporting errors and latency percentiles (examples/serve_load.rs). The same requests
# one at a time run first, as the baseline. The server's resident memory is sampled every
# second meanwhile and printed at the end (RSS over time).
#
#   benches/serve_load.sh [CORPUS_DIR] [REQUESTS] [CONCURRENCY]
#
# CORPUS_DIR defaults to ../shared/corpus/ant-jawharafm (kept beside the repository, not
# shipped with it) when present, else the sample articles in data/.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-../shared/corpus/ant-jawharafm}
[ -d "$corpus" ] || corpus=data
requests=${2:-1000}
concurrency=${3:-8}

cargo build --release --quiet --bin fahras --example serve_load
work=$(mktemp -d)
server=
sampler=
cleanup() {
    [ -n "$sampler" ] && kill "$sampler" 2>/dev/null
    [ -n "$server" ] && kill "$server" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT

target/release/fahras --index "$work/idx" ingest "$corpus" --quiet
target/release/fahras --index "$work/idx" serve --addr 127.0.0.1:0 >"$work/serve.out" &
server=$!
for _ in $(seq 100); do
    grep -q ' at http://' "$work/serve.out" && break
    sleep 0.1
done
url=$(sed -n 's/.* at \(http:[^ ]*\) .*/\1/p' "$work/serve.out")
[ -n "$url" ] || { echo "the server did not start" >&2; exit 1; }
echo "corpus: $corpus; $(head -1 "$work/serve.out")"
(
    started=$(date +%s)
    while kill -0 "$server" 2>/dev/null; do
        rss=$(awk '/^VmRSS/ {print $2}' "/proc/$server/status" 2>/dev/null) || break
        echo "$(($(date +%s) - started)) $rss" >>"$work/rss"
        sleep 1
    done
) &
sampler=$!
target/release/examples/serve_load "$url" "$requests" 1
target/release/examples/serve_load "$url" "$requests" "$concurrency"
sleep 1
awk 'NR == 1 {first = $2} {last = $2; if ($2 > max) max = $2; series = series sprintf(" %d:%.0f", $1, $2 / 1024)}
     END {printf "server RSS (MiB): first %.0f, last %.0f, max %.0f; at seconds:%s\n", first / 1024, last / 1024, max / 1024, series}' "$work/rss"
