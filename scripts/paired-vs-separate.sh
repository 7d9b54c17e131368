#!/usr/bin/env bash
# Does the interleaved A/B collection decide with fewer jobs than two separate collections?
#
# On the demo's reference trainer (work scale 0.03 as the baseline, 0.015 as the candidate: the optimization halves
# the work), for each number of days of the seed's matrix (9 jobs a day):
#   - A/B: `mmmbench canary` (every job against both trainers back to back, ABBA; paired analysis);
#   - separate: a baseline collection, then a candidate collection, one after the other (as two phases would run),
#     compared job by job (`compare`, matched job ids) and as independent samples (`compare --unpaired`).
# Prints, per design, the duration change with its 95 % interval and the verdict of the seed's duration target
# (-40 %): decided = the whole interval on one side of it. Success and cost targets are off (the seed's rounding
# makes these short jobs cost $0).
#
# DRIFT=1 simulates what interleaving is for: the machine's load changes between the two phases. Two busy-loop
# processes (bounded by `timeout`, ended by PID) run during the whole A/B collection (both sides see them alike) and
# during the baseline collection only (the candidate is measured later, on a quiet machine).
#
# Usage: [DRIFT=1] scripts/paired-vs-separate.sh [MMMBENCH_BINARY] [DAYS ...]   (default: .build/debug/mmmbench, 1 2 3)
set -euo pipefail
bin="${1:-.build/debug/mmmbench}"
shift || true
days_list=("${@:-1 2 3}")
[ -x "$bin" ] || { echo "no mmmbench binary at $bin (swift build first)" >&2; exit 2; }
work="$(mktemp -d)"
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$work"; return 0; }
trap cleanup EXIT

start_trainer() {  # $1 = work scale, $2 = variable that receives the URL (no subshell: the PID must be kept)
    local log="$work/trainer-$1.log"
    "$bin" trainer --listen 127.0.0.1:0 --work-scale "$1" --log-level warning >"$log" 2>&1 &
    pids+=($!)
    for _ in $(seq 1 600); do
        if grep -q "trainer listening on " "$log"; then
            printf -v "$2" '%s' "$(sed -n 's/.*trainer listening on \([^ ]*\).*/\1/p' "$log" | head -1)"
            return 0
        fi
        sleep 0.1
    done
    echo "trainer did not start" >&2
    exit 2
}
start_trainer 0.03 base_url
start_trainer 0.015 cand_url
printf 'job_gap_seconds: 0\nday_gap_seconds: 0\n' >"$work/plan.yaml"
targets=(--target duration=-40% --target success=off --target cost=off)

burners=()
load_on() {
    [ "${DRIFT:-0}" = 1 ] || return 0
    for _ in 1 2; do timeout 900 sh -c 'while :; do :; done' & burners+=($!); pids+=($!); done
}
load_off() {
    for pid in "${burners[@]}"; do kill "$pid" 2>/dev/null || true; done
    burners=()
}

summary() {  # $1 = comparison.json; prints "change [lower, upper] verdict"
    python3 - "$1" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
overall = next(r for r in c["rows"] if r["scope"] == "overall")
d = overall["duration"]
j = next((j for j in c["judgements"] if j["name"] == "duration"), {})
print(f'{d["change_percent"]:+.1f} % [{d["lower_percent"]:+.1f}, {d["upper_percent"]:+.1f}] '
      f'{j.get("outcome", "?")} ({c["design"]}, {overall["baseline"]["successful"]} jobs a side)')
PY
}

echo "| days | design | trainer requests | duration change [95 % interval] -> duration target -40 % |"
echo "|---|---|---:|---|"
for days in ${days_list[*]}; do
    run="$work/d$days"
    mkdir -p "$run"
    load_on
    "$bin" canary --baseline "$base_url" --candidate "$cand_url" --plan "$work/plan.yaml" --days "$days" \
        --time-scale 0 --out "$run/ab" "${targets[@]}" >"$run/ab.log" 2>&1 || true
    load_off
    printf 'days: %s\njob_gap_seconds: 0\nday_gap_seconds: 0\n' "$days" >"$run/plan.yaml"
    load_on
    "$bin" collect --trainer-url "$base_url" --plan "$run/plan.yaml" --db "$run/base.sqlite" --time-scale 0 \
        >"$run/base.log" 2>&1
    load_off
    "$bin" collect --trainer-url "$cand_url" --plan "$run/plan.yaml" --db "$run/cand.sqlite" --time-scale 0 \
        >"$run/cand.log" 2>&1
    "$bin" compare "$run/base.sqlite" "$run/cand.sqlite" --out "$run/matched" "${targets[@]}" >/dev/null 2>&1 || true
    "$bin" compare "$run/base.sqlite" "$run/cand.sqlite" --unpaired --out "$run/unpaired" "${targets[@]}" \
        >/dev/null 2>&1 || true
    jobs=$((days * 9 * 2))
    echo "| $days | A/B interleaved (canary) | $jobs | $(summary "$run/ab/comparison.json") |"
    echo "| $days | two collections, matched job ids | $jobs | $(summary "$run/matched/comparison.json") |"
    echo "| $days | two collections, independent samples | $jobs | $(summary "$run/unpaired/comparison.json") |"
done
