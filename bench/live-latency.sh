#!/bin/bash
# Starts tally live (demo data) in a pty, then writes a new session's usage line and times until the frame shows it.
# Usage: TALLY=path/to/tally bench/live-latency.sh RUN-ID (uses a scratch HOME in /tmp/livehome2; run `tally live --demo` there once first).
P=/tmp/livehome2/.local/share/tally/demo/claude/projects
rm -f /tmp/live3.typescript
(HOME=/tmp/livehome2 TERM=xterm-256color COLUMNS=200 script -qfec "timeout --preserve-status -s INT 30 ${TALLY:-/tmp/tally/tally} live --demo --refresh 3600" /tmp/live3.typescript > /dev/null 2>&1 &)
sleep 8
mkdir -p $P/-tmp-zzprobe$1
now=$(date -u +%Y-%m-%dT%H:%M:%S.000Z)
line="{\"type\":\"assistant\",\"sessionId\":\"probe-$1\",\"cwd\":\"/tmp/zzprobe$1\",\"uuid\":\"u-probe-$1\",\"timestamp\":\"$now\",\"message\":{\"id\":\"msg_probe_$1\",\"model\":\"claude-sonnet-4-5-20250929\",\"role\":\"assistant\",\"content\":[],\"usage\":{\"input_tokens\":10,\"output_tokens\":20}}}"
t0=$(date +%s%N)
echo "$line" > $P/-tmp-zzprobe$1/probe-$1.jsonl
while ! grep -a -q "zzprobe$1" /tmp/live3.typescript; do sleep 0.01; t=$(date +%s%N); [ $(( (t-t0)/1000000 )) -gt 10000 ] && { echo "not seen in 10 s"; break; }; done
t1=$(date +%s%N); echo "frame with the new call after $(( (t1-t0)/1000000 )) ms"
sleep 1; pkill -INT -x tally; sleep 1
