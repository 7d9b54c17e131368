#!/usr/bin/env bash
# The canary gate of the seed's phase 2 for pipelines without Kubernetes (with Kubernetes and Argo Rollouts, see
# deploy/kubernetes/canary/). For each traffic step (default: the seed's 20 %, 50 %, 100 %):
#
#   1. --set-weight CMD is run with the step's percentage appended (your platform's traffic split, e.g.
#      'gcloud run services update-traffic mmm-trainer --to-tags candidate=');
#   2. `mmmbench canary` measures the baseline and the candidate side by side and judges the candidate against the
#      plan's targets (its reports go to OUT/step-PCT/, its database to OUT/canary-PCT.sqlite);
#   3. pass (exit 0): next step. Anything else: the traffic goes back to the baseline (--set-weight CMD 0) and the
#      script stops with mmmbench's status; on a failed gate mmmbench itself has run --on-fail CMD (e.g. the
#      rollback script).
#
# Usage:
#   deploy/canary.sh --baseline URL --candidate URL [--steps "20 50 100"] [--set-weight CMD] [--on-fail CMD]
#                    [--plan FILE] [--out DIR] [--time-scale F]
#
# Exit status: 0 every step passed (the candidate carries the last step's traffic), 1 a gate failed, 2 a gate was
# inconclusive (nothing rolled back: rerun, or decide from the report), 64 usage or input error, other: mmmbench's.
# MMMBENCH names the binary (default: mmmbench in PATH).
set -euo pipefail

mmmbench=${MMMBENCH:-mmmbench}
baseline="" candidate="" steps="20 50 100" set_weight="" on_fail="" plan="" out="canary" time_scale=""

usage() {
    sed -n '/^# Usage:/,/^# Exit status/p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 64
}

while [ $# -gt 0 ]; do
    case "$1" in
        --baseline) baseline=${2:-}; shift 2 || usage ;;
        --candidate) candidate=${2:-}; shift 2 || usage ;;
        --steps) steps=${2:-}; shift 2 || usage ;;
        --set-weight) set_weight=${2:-}; shift 2 || usage ;;
        --on-fail) on_fail=${2:-}; shift 2 || usage ;;
        --plan) plan=${2:-}; shift 2 || usage ;;
        --out) out=${2:-}; shift 2 || usage ;;
        --time-scale) time_scale=${2:-}; shift 2 || usage ;;
        -h|--help) usage ;;
        *) echo "canary.sh: unknown argument '$1'" >&2; usage ;;
    esac
done
[ -n "$baseline" ] && [ -n "$candidate" ] || { echo "canary.sh: --baseline and --candidate are required" >&2; usage; }
for step in $steps; do
    case "$step" in
        ''|*[!0-9]*) echo "canary.sh: --steps takes percentages, got '$step'" >&2; exit 64 ;;
    esac
    [ "$step" -ge 1 ] && [ "$step" -le 100 ] || { echo "canary.sh: step $step is not in 1..100" >&2; exit 64; }
done

set_traffic() {
    if [ -n "$set_weight" ]; then
        echo "canary.sh: candidate traffic -> $1 %"
        sh -c "$set_weight \"\$1\"" set-weight "$1"
    fi
}

mkdir -p "$out"
for step in $steps; do
    set_traffic "$step"
    arguments=(canary --baseline "$baseline" --candidate "$candidate" --db "$out/canary-$step.sqlite"
               --out "$out/step-$step")
    [ -z "$plan" ] || arguments+=(--plan "$plan")
    [ -z "$time_scale" ] || arguments+=(--time-scale "$time_scale")
    [ -z "$on_fail" ] || arguments+=(--on-fail "$on_fail")
    echo "canary.sh: step $step %: $mmmbench ${arguments[*]}"
    status=0
    "$mmmbench" "${arguments[@]}" || status=$?
    case "$status" in
        0) echo "canary.sh: step $step %: pass" ;;
        1) echo "canary.sh: step $step %: FAIL (reports in $out/step-$step)" >&2 ;;
        2) echo "canary.sh: step $step %: inconclusive (reports in $out/step-$step)" >&2 ;;
        *) echo "canary.sh: step $step %: mmmbench canary exited $status" >&2 ;;
    esac
    if [ "$status" -ne 0 ]; then
        set_traffic 0
        exit "$status"
    fi
done
echo "canary.sh: every step passed ($steps)"
