#!/usr/bin/env bash
# Slowloris against `fahras serve`, on loopback only and bounded: CONNECTIONS clients each send
# a request's headers one byte every 2 s for at most SECONDS, while one ordinary client asks
# /search once a second. Reports how long the server kept the slow connections (it closes a
# connection that has not sent its headers within 10 s) and what the ordinary client got.
#
#   benches/slowloris.sh [CONNECTIONS] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
connections=${1:-300}
seconds=${2:-40}
cargo build --release --quiet --bin fahras
work=$(mktemp -d)
server=
cleanup() {
    [ -n "$server" ] && kill "$server" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
target/release/fahras --index "$work/idx" ingest data --quiet
target/release/fahras --index "$work/idx" serve --addr 127.0.0.1:0 >"$work/serve.out" 2>"$work/serve.err" &
server=$!
for _ in $(seq 100); do
    grep -q ' at http://' "$work/serve.out" && break
    sleep 0.1
done
port=$(sed -n 's/.* at http:\/\/127.0.0.1:\([0-9]*\)\/.*/\1/p' "$work/serve.out")
[ -n "$port" ] || { echo "the server did not start" >&2; exit 1; }
python3 - "$port" "$connections" "$seconds" <<'PY'
import socket, sys, threading, time, urllib.request, statistics
port, count, seconds = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
request = b"GET /search?q=%D8%AA%D8%B4%D9%8A%D9%86 HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: " + b"a" * 4000
lifetimes, refused = [], 0
def slow():
    global refused
    start = time.time()
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
    except OSError:
        refused += 1
        return
    s.settimeout(0.1)
    for byte in request:
        if time.time() - start > seconds:
            break
        try:
            s.sendall(bytes([byte]))
            if s.recv(1, socket.MSG_PEEK) == b"":
                break  # closed by the server
        except socket.timeout:
            pass
        except OSError:
            break
        time.sleep(2)
    lifetimes.append(time.time() - start)
    s.close()
threads = [threading.Thread(target=slow) for _ in range(count)]
for t in threads:
    t.start()
latencies, failures = [], 0
started = time.time()
while time.time() - started < seconds:
    t0 = time.time()
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/search?q=%D8%AA%D8%B4%D9%8A%D9%86", timeout=30) as r:
            r.read()
        latencies.append((time.time() - t0) * 1000)
    except Exception as e:
        failures += 1
    time.sleep(1)
for t in threads:
    t.join()
print(f"slow clients: {count}, refused at connect: {refused}; kept by the server for "
      f"median {statistics.median(lifetimes):.1f} s, max {max(lifetimes):.1f} s (of {seconds:.0f} s tried)")
print(f"ordinary client: {len(latencies)} answered, {failures} failed; latency ms "
      f"median {statistics.median(latencies):.1f}, max {max(latencies):.1f}")
PY
echo "server still running: $(kill -0 "$server" 2>/dev/null && echo yes || echo no); its stderr: $(wc -l <"$work/serve.err") lines"
