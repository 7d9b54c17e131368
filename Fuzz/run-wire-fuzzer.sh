#!/usr/bin/env bash
# Builds and runs the libFuzzer entry point for the BenchWire frame + message decoders.
#
#   Fuzz/run-wire-fuzzer.sh [RUNS] [extra libFuzzer flags...]
#
# RUNS defaults to 200000 (bounded, for CI); pass -1 to fuzz until stopped. Crashes are written to
# .build/wire-fuzzer/artifacts/. Uses the debug build of the package's dependencies in .build (it runs
# `swift build --target BenchWire` first) and compiles Sources/BenchWire together with the harness with
# -sanitize=fuzzer, so only BenchWire itself is coverage-instrumented.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
runs="${1:-200000}"
shift || true
out="$root/.build/wire-fuzzer"
mkdir -p "$out/corpus" "$out/artifacts"

cd "$root"
swift build --target BenchWire >/dev/null
bin="$(swift build --show-bin-path)"

# Reuse the exact module-map and include flags SwiftPM used to compile BenchWire.
python3 - "$root/.build/debug.yaml" "$out/flags" <<'PY'
import json, sys
args = None
with open(sys.argv[1]) as f:
    lines = f.readlines()
for i, line in enumerate(lines):
    if '"C.BenchWire-' in line and line.rstrip().endswith('.module":'):
        for follow in lines[i:i + 20]:
            if follow.strip().startswith("args:"):
                args = json.loads(follow.strip()[len("args:"):])
                break
        break
if args is None:
    sys.exit("BenchWire compile command not found in debug.yaml")
keep, i = [], 0
while i < len(args):
    if args[i] == "-Xcc" and i + 1 < len(args):
        keep += args[i:i + 2]; i += 2
    elif args[i] == "-I" and i + 1 < len(args):
        keep += args[i:i + 2]; i += 2
    else:
        i += 1
with open(sys.argv[2], "w") as f:
    f.write("\n".join(keep) + "\n")
PY

# The dependency objects BenchWire needs, as an archive: the linker pulls only the members it uses.
rm -f "$out/libwiredeps.a"
deps="BenchTLS NIOCore NIOPosix NIOExtras NIOHTTP1 NIOEmbedded NIOConcurrencyHelpers _NIOBase64 _NIODataStructures
      Atomics _AtomicsShims DequeModule InternalCollectionsUtilities ContainersPreview BasicContainers
      CNIOAtomics CNIODarwin CNIOFreeBSD CNIOLinux CNIOLLHTTP CNIOOpenBSD CNIOPosix CNIOWASI CNIOWindows"
objects=()
for dep in $deps; do
    if [ -d "$bin/$dep.build" ]; then
        while IFS= read -r -d '' object; do objects+=("$object"); done \
            < <(find "$bin/$dep.build" -name '*.o' -print0)
    fi
done
ar rcs "$out/libwiredeps.a" "${objects[@]}"

mapfile -t flags < "$out/flags"
mapfile -t sources < <(find "$root/Sources/BenchWire" -name '*.swift' | sort)
swiftc -sanitize=fuzzer -parse-as-library -module-name WireFuzzer -g -O \
    -module-cache-path "$out/ModuleCache" "${flags[@]}" \
    "${sources[@]}" "$root/Fuzz/WireFuzzer/WireFuzzer.swift" \
    "$out/libwiredeps.a" -lssl -lcrypto \
    -o "$out/wire-fuzzer"

# Seed corpus: valid frames of several message types.
python3 - "$out/corpus" <<'PY'
import json, struct, sys, os
seeds = [
    {"type": "bye", "reason": "done"},
    {"type": "heartbeat", "sent_at_ms": 1, "running": [{"task_id": "t", "attempt": 1}]},
    {"type": "ack", "task": {"task_id": "baseline-1-1-US", "attempt": 1}, "status": "committed"},
    {"type": "hello", "protocol_version": 1, "agent_id": "a", "slots": 2, "labels": {"r": "eu"},
     "running": [], "queued_results": [], "software": "x"},
    {"type": "assign", "task": {"task_id": "t", "attempt": 2}, "kind": "train", "lease_ms": 1000,
     "timeout_ms": 5000, "payload": {"a": [1, 2.5, None, True, "s"]}},
    {"type": "result", "task": {"task_id": "t", "attempt": 1}, "outcome": {"ok": False},
     "finished_at": "2025-03-01T12:00:00.5+01:00"},
]
for index, message in enumerate(seeds):
    body = json.dumps(message).encode()
    with open(os.path.join(sys.argv[1], f"seed-{index}"), "wb") as f:
        f.write(struct.pack(">I", len(body)) + body)
PY

echo "wire-fuzzer: $runs runs (corpus $out/corpus, crashes in $out/artifacts)"
"$out/wire-fuzzer" -runs="$runs" -max_len=8192 -artifact_prefix="$out/artifacts/" "$@" "$out/corpus"
