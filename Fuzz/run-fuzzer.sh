#!/usr/bin/env bash
# Builds and runs one libFuzzer target of mmmbench with AddressSanitizer (when the toolchain has it).
#
#   Fuzz/run-fuzzer.sh TARGET [SECONDS] [extra libFuzzer flags...]
#
# TARGET: wire (BenchWire frame + message decoders), plan (PlanLoader), metrics (MetricsImport.json, the seed's
# baseline_metrics.json), tls (OpenSSLHandler as server and client, on system OpenSSL). SECONDS bounds the run
# (default 60; 0 = until stopped). The corpus kept in the repository (Fuzz/corpus/TARGET) seeds a working corpus
# in .build/fuzz/TARGET/corpus; crashing inputs go to .build/fuzz/TARGET/artifacts and the script exits non-zero,
# printing the input.
#
# Environment: FUZZ_NO_SWIFT_BUILD=1 skips `swift build` (when called from `swift test`, which holds the build lock
# and has built every object already); FUZZ_SANITIZERS overrides -sanitize= (default fuzzer,address);
# FUZZ_OPTIMIZATION=-Onone compiles in about half the time (the test suite's choice), -O (default) fuzzes faster.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
target="${1:?usage: Fuzz/run-fuzzer.sh wire|plan|metrics|tls [SECONDS] [libFuzzer flags...]}"
seconds="${2:-60}"
shift $(( $# >= 2 ? 2 : 1 ))

case "$target" in
    wire)
        # BenchWire with the modules it reads frames with (BenchProtocol, BenchJSON, and BenchCore, which depends on
        # BenchJSON), compiled as one module: a prebuilt BenchCore would refer to a BenchJSON module that is not there.
        module=BenchWire; together="BenchProtocol BenchJSON BenchCore"
        harness="$root/Fuzz/WireFuzzer/WireFuzzer.swift"; binary=wire-fuzzer
        deps="Yams CYaml BenchTLS COpenSSLLifetime NIOCore NIOPosix NIOExtras NIOHTTP1 NIOEmbedded NIOConcurrencyHelpers
              _NIOBase64 _NIODataStructures Atomics _AtomicsShims DequeModule InternalCollectionsUtilities ContainersPreview
              BasicContainers CNIOAtomics CNIODarwin CNIOFreeBSD CNIOLinux CNIOLLHTTP CNIOOpenBSD CNIOPosix
              CNIOWASI CNIOWindows"
        libs="-lssl -lcrypto"; maxlen=8192; build_also="NIOEmbedded"; c_sources="" ;;
    tls)
        # BenchTLS alone (instrumented); NIO from the prebuilt objects, OpenSSL from the system (not instrumented).
        module=BenchTLS; together=""; harness="$root/Fuzz/TLSFuzzer/TLSFuzzer.swift"; binary=tls-fuzzer
        deps="COpenSSLLifetime NIOCore NIOPosix NIOEmbedded NIOConcurrencyHelpers _NIOBase64 _NIODataStructures
              Atomics _AtomicsShims DequeModule InternalCollectionsUtilities ContainersPreview BasicContainers
              CNIOAtomics CNIODarwin CNIOFreeBSD CNIOLinux CNIOOpenBSD CNIOPosix CNIOWASI CNIOWindows"
        # OpenSSL's answers as extra coverage (it is not instrumented itself): see FeatureCounters.c.
        c_sources="$root/Fuzz/TLSFuzzer/FeatureCounters.c"
        libs="-lssl -lcrypto"; maxlen=8192; build_also="NIOEmbedded" ;;
    plan|metrics)
        module=BenchCore; together="BenchJSON"; harness="$root/Fuzz/CoreFuzzer/CoreFuzzer.swift"; binary=core-fuzzer
        deps="Yams CYaml"; libs=""; maxlen=16384; build_also=""; c_sources="" ;;
    *) echo "unknown fuzz target '$target' (wire, plan, metrics, tls)" >&2; exit 2 ;;
esac

out="$root/.build/fuzz"
work="$out/$target"
mkdir -p "$work/corpus" "$work/artifacts" "$root/Fuzz/corpus/$target"
cd "$root"
if [ "${FUZZ_NO_SWIFT_BUILD:-0}" != 1 ]; then
    for build_target in "$module" $build_also; do
        swift build --target "$build_target" >/dev/null
    done
fi
bin="$root/.build/debug"
[ -d "$bin" ] || bin="$(ls -d "$root"/.build/*-linux-gnu/debug 2>/dev/null | head -1)"
[ -f "$root/.build/debug.yaml" ] || { echo "no .build/debug.yaml: build the package first" >&2; exit 2; }

# Reuse the exact module-map and include flags SwiftPM used to compile the module.
# (of every module compiled together: each brings its own C module maps).
# shellcheck disable=SC2086
python3 - "$root/.build/debug.yaml" "$out/$module.flags" "$module" $together <<'PY'
import json, sys
with open(sys.argv[1]) as f:
    lines = f.readlines()
keep = []
for module in sys.argv[3:]:
    args = None
    for i, line in enumerate(lines):
        if f'"C.{module}-' in line and line.rstrip().endswith('.module":'):
            for follow in lines[i:i + 20]:
                if follow.strip().startswith("args:"):
                    args = json.loads(follow.strip()[len("args:"):])
                    break
            break
    if args is None:
        sys.exit(f"{module} compile command not found in debug.yaml")
    i = 0
    while i < len(args):
        # A unit is `-I DIR`, `-Xcc FLAG`, or `-Xcc -I -Xcc DIR`; a unit another module already brought is skipped.
        if args[i:i + 3] == ["-Xcc", "-I", "-Xcc"] and i + 3 < len(args):
            unit = args[i:i + 4]
        elif args[i] in ("-Xcc", "-I") and i + 1 < len(args):
            unit = args[i:i + 2]
        else:
            i += 1
            continue
        if unit not in keep:
            keep.append(unit)
        i += len(unit)
with open(sys.argv[2], "w") as f:
    f.write("\n".join(arg for unit in keep for arg in unit) + "\n")
PY

sanitizers="${FUZZ_SANITIZERS:-fuzzer,address}"
optimization="${FUZZ_OPTIMIZATION:--O}"
exe="$out/$binary-${sanitizers//,/-}$optimization"
mapfile -t sources < <(find "$root/Sources/$module" -name '*.swift' | sort)
for extra in $together; do
    mapfile -t -O "${#sources[@]}" sources < <(find "$root/Sources/$extra" -name '*.swift' | sort)
done
stale=0
[ -x "$exe" ] || stale=1
# shellcheck disable=SC2086
for source in "${sources[@]}" "$harness" $c_sources "$0"; do
    [ "$source" -nt "$exe" ] && stale=1
done
if [ "$stale" = 1 ]; then
    # The dependency objects as an archive: the linker pulls only the members it uses.
    rm -f "$out/$binary-deps.a"
    objects=()
    for dep in $deps; do
        if [ -d "$bin/$dep.build" ]; then
            while IFS= read -r -d '' object; do objects+=("$object"); done \
                < <(find "$bin/$dep.build" -name '*.o' -print0)
        fi
    done
    ar rcs "$out/$binary-deps.a" "${objects[@]}"
    mapfile -t flags < "$out/$module.flags"
    # The modules compiled together are one module: copies of the sources without the imports between them.
    if [ -n "$together" ]; then
        rm -rf "$out/$binary-src"; mkdir -p "$out/$binary-src"
        copies=()
        for source in "${sources[@]}"; do
            copy="$out/$binary-src/$(basename "$(dirname "$source")")-$(basename "$source")"
            grep -vE "^import ($(echo "$together" | tr ' ' '|'))$" "$source" > "$copy"
            copies+=("$copy")
        done
        sources=("${copies[@]}")
    fi
    c_objects=()
    for c_source in $c_sources; do
        c_object="$out/$binary-$(basename "$c_source" .c).o"
        "$(dirname "$(command -v swiftc)")/clang" -c -O1 "$c_source" -o "$c_object"
        c_objects+=("$c_object")
    done
    echo "fuzz: compiling $binary with -sanitize=$sanitizers" >&2
    # shellcheck disable=SC2086
    swiftc -sanitize="$sanitizers" -parse-as-library -module-name "${binary//-/_}" -package-name mmmbench \
        -g "$optimization" \
        -module-cache-path "$out/ModuleCache" "${flags[@]}" "${sources[@]}" "$harness" \
        "${c_objects[@]}" "$out/$binary-deps.a" $libs -o "$exe.tmp"
    mv "$exe.tmp" "$exe"
fi

echo "fuzz $target: ${seconds}s (corpus Fuzz/corpus/$target + $work/corpus, crashes in $work/artifacts)" >&2
rm -f "$work"/artifacts/*
status=0
# Swift's backtracer off: after a trap under ASan it hung (an ASan report inside its memory server), holding the
# output pipe open for an hour; libFuzzer prints the stack itself.
MMMBENCH_FUZZ_TARGET="$target" ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0}" \
    SWIFT_BACKTRACE="${SWIFT_BACKTRACE:-enable=no}" "$exe" \
    -max_total_time="$seconds" -max_len="$maxlen" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$work/artifacts/" "$@" "$work/corpus" "$root/Fuzz/corpus/$target" || status=$?
for crash in "$work"/artifacts/*; do
    [ -f "$crash" ] || continue
    echo "fuzz $target: FINDING $crash" >&2
    echo "input (hex): $(od -An -tx1 -v "$crash" | tr -d ' \n' | head -c 4000)" >&2
    echo "input (text): $(head -c 2000 "$crash" | tr -c '[:print:]\n' '.')" >&2
    [ "$status" != 0 ] || status=1
done
exit "$status"
