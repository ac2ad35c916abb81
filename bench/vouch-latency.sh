#!/usr/bin/env bash
# Times a report right after a write while `tally serve` watches: serve runs over CORPUS with a copy of INDEX_DIR's
# index; N times, one call line is appended to a transcript and `tally daily --json` (30 days) runs at once; then three
# runs with nothing new. The transcript is truncated back and the copy deleted at the end.
# usage: bench/vouch-latency.sh TALLY CORPUS INDEX_DIR [N]
set -euo pipefail
tally=$1 corpus=$2 index_dir=$3 n=${4:-5}
work=$(mktemp -d)
server=
trap '[ -n "$server" ] && kill -TERM "$server" 2>/dev/null; rm -rf "$work"' EXIT
cp -r "$index_dir" "$work/data"
mkdir -m 700 "$work/run" "$work/home"
export TALLY_DATA_DIR=$work/data CLAUDE_CONFIG_DIR=$corpus HOME=$work/home TZ=UTC XDG_RUNTIME_DIR=$work/run NO_COLOR=1
"$tally" serve --port 0 > "$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 1 600); do grep -q "commands ask this server" "$work/serve.log" && break; sleep 0.5; done
file=$(find "$corpus/projects" -name '*.jsonl' | sort | sed -n 1p)
size=$(stat -c %s "$file")
line=$(grep -m1 '"type":"assistant"' "$file")
for i in $(seq 1 "$n"); do
  id=$(printf 'vouchlatency%06d' "$i")
  printf '%s\n' "$line" | sed -E "s/\"id\":\"msg_[^\"]*\"/\"id\":\"msg_$id\"/; s/\"requestId\":\"[^\"]*\"/\"requestId\":\"req_$id\"/; s/\"timestamp\":\"[^\"]*\"/\"timestamp\":\"2026-11-20T12:00:00.000Z\"/g" >> "$file"
  /usr/bin/time -f "after an append: %e s" "$tally" daily --json --timezone UTC --since 2026-10-22 --until 2026-11-20 > /dev/null
  sleep 1
done
for _ in 1 2 3; do /usr/bin/time -f "nothing new: %e s" "$tally" daily --json --timezone UTC --since 2026-10-22 --until 2026-11-20 > /dev/null; done
kill -TERM "$server"; wait "$server" || true
server=
truncate -s "$size" "$file"
