#!/usr/bin/env bash
# Roll an mmmbench trainer deployment back to an earlier release.
#
# Deployment layout (MMMBENCH_HOME, default /opt/mmmbench):
#
#   releases/<version>/bin/mmmbench   one directory per installed release
#   current -> releases/<version>     the release that runs
#   run/trainer.pid                   pid of the running trainer
#   trainer.args                      trainer arguments, one per line (default: --listen 127.0.0.1:8080)
#   log/trainer.log                   trainer stdout and stderr
#   log/rollback.log                  one line per rollback performed
#
# Steps: pick the target release (--to VERSION, or the newest release older than the current one), check its
# binary, stop the running trainer (SIGTERM, then SIGKILL after a grace period), switch the `current` symlink
# atomically, start the trainer from the target release, wait until it logs that it is listening.
#
# --dry-run prints every step and what is missing, changes nothing and exits 0.

set -euo pipefail

usage() {
    cat <<'EOF'
Usage: rollback.sh [--dry-run] [--home DIR] [--to VERSION] [--grace SECONDS] [--help]

Roll the mmmbench trainer back to an earlier release under $MMMBENCH_HOME (default /opt/mmmbench).

  --dry-run          print what would be done and what is missing; change nothing; exit 0
  --home DIR         deployment directory (overrides MMMBENCH_HOME)
  --to VERSION       release to roll back to (default: the newest release older than `current`)
  --grace SECONDS    how long to wait for the trainer to stop after SIGTERM (default 30)
  --help             show this help

Exit status: 0 rolled back (or dry run), 1 rollback failed, 2 bad usage.
EOF
}

home="${MMMBENCH_HOME:-/opt/mmmbench}"
dry_run=0
target=""
grace=30

while [[ $# -gt 0 ]]; do
    case "$1" in
        --dry-run) dry_run=1 ;;
        --home)
            [[ $# -ge 2 ]] || { echo "rollback: --home needs a directory" >&2; exit 2; }
            home="$2"; shift ;;
        --to)
            [[ $# -ge 2 ]] || { echo "rollback: --to needs a version" >&2; exit 2; }
            target="$2"; shift ;;
        --grace)
            [[ $# -ge 2 && "$2" =~ ^[0-9]+$ ]] || { echo "rollback: --grace needs a whole number of seconds" >&2; exit 2; }
            grace="$2"; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "rollback: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
    esac
    shift
done

releases="$home/releases"
current_link="$home/current"
pid_file="$home/run/trainer.pid"
args_file="$home/trainer.args"
log_dir="$home/log"
trainer_log="$log_dir/trainer.log"
problems=0

say() { printf '%s\n' "$*"; }
step() { if [[ $dry_run -eq 1 ]]; then say "would: $*"; else say "rollback: $*"; fi; }
missing() {
    problems=$((problems + 1))
    if [[ $dry_run -eq 1 ]]; then say "missing: $*"; else say "rollback: $*" >&2; exit 1; fi
}

[[ $dry_run -eq 1 ]] && say "dry run: nothing will be changed (MMMBENCH_HOME=$home)"

# 1. The current release.
current=""
if [[ -L "$current_link" ]]; then
    current="$(basename "$(readlink "$current_link")")"
    say "current release: $current"
elif [[ -e "$current_link" ]]; then
    missing "$current_link exists but is not a symlink"
else
    missing "no current release ($current_link is not a symlink to releases/<version>)"
fi

# 2. The target release.
installed=()
if [[ -d "$releases" ]]; then
    while IFS= read -r name; do
        [[ -n "$name" ]] && installed+=("$name")
    done < <(find "$releases" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | sort -V)
    say "installed releases: ${installed[*]:-none}"
else
    missing "no releases directory ($releases)"
fi
if [[ -z "$target" ]]; then
    # The newest release that sorts before the current one (or, without a current one, the newest).
    for name in "${installed[@]+"${installed[@]}"}"; do
        if [[ -z "$current" ]]; then
            target="$name"
        elif [[ "$name" != "$current" && "$(printf '%s\n%s\n' "$name" "$current" | sort -V | head -n 1)" == "$name" ]]; then
            target="$name"
        fi
    done
fi
if [[ -z "$target" ]]; then
    missing "no earlier release to roll back to"
elif [[ "$target" == "$current" ]]; then
    missing "release $target is already current"
else
    say "target release: $target"
fi
binary="$releases/${target:-<version>}/bin/mmmbench"
if [[ -n "$target" && ! -x "$binary" ]]; then
    missing "no executable trainer binary at $binary"
fi

# 3. Trainer arguments.
trainer_args=(--listen 127.0.0.1:8080)
if [[ -f "$args_file" ]]; then
    trainer_args=()
    while IFS= read -r line; do
        [[ -n "$line" && "$line" != \#* ]] && trainer_args+=("$line")
    done < "$args_file"
fi
say "trainer arguments: ${trainer_args[*]}"

# 4. Stop the running trainer.
running_pid=""
if [[ -f "$pid_file" ]]; then
    running_pid="$(tr -dc '0-9' < "$pid_file")"
    if [[ -n "$running_pid" ]] && kill -0 "$running_pid" 2>/dev/null \
        && tr '\0' ' ' < "/proc/$running_pid/cmdline" 2>/dev/null | grep -q 'mmmbench trainer'; then
        step "stop trainer pid $running_pid (SIGTERM, SIGKILL after ${grace}s)"
    else
        say "pid file $pid_file names no running trainer; nothing to stop"
        running_pid=""
    fi
else
    say "no pid file ($pid_file); no trainer to stop"
fi

# 5-6. Switch and start.
step "point $current_link at releases/${target:-<version>} (atomic rename)"
step "start $binary trainer ${trainer_args[*]} >> $trainer_log, pid into $pid_file"
step "wait until the trainer logs 'trainer listening'"

if [[ $dry_run -eq 1 ]]; then
    if [[ $problems -gt 0 ]]; then
        say "dry run: $problems problem(s) above would stop a real rollback"
    else
        say "dry run: rollback from ${current:-none} to $target is possible"
    fi
    exit 0
fi

if [[ -n "$running_pid" ]]; then
    kill -TERM "$running_pid" 2>/dev/null || true
    for ((waited = 0; waited < grace * 10; waited++)); do
        kill -0 "$running_pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$running_pid" 2>/dev/null; then
        say "rollback: trainer $running_pid ignored SIGTERM for ${grace}s; sending SIGKILL"
        kill -KILL "$running_pid" 2>/dev/null || true
    fi
fi

mkdir -p "$(dirname "$pid_file")" "$log_dir"
ln -sfn "releases/$target" "$current_link.rollback-tmp"
mv -T "$current_link.rollback-tmp" "$current_link"

log_offset=0
[[ -f "$trainer_log" ]] && log_offset="$(stat -c %s "$trainer_log")"
nohup "$current_link/bin/mmmbench" trainer "${trainer_args[@]}" >> "$trainer_log" 2>&1 < /dev/null &
new_pid=$!
echo "$new_pid" > "$pid_file"

for ((waited = 0; waited < 300; waited++)); do
    if tail -c +"$((log_offset + 1))" "$trainer_log" 2>/dev/null | grep -q 'trainer listening on'; then
        printf '%s rolled back from %s to %s, pid %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "${current:-none}" \
            "$target" "$new_pid" >> "$log_dir/rollback.log"
        say "rollback: release $target running as pid $new_pid"
        exit 0
    fi
    if ! kill -0 "$new_pid" 2>/dev/null; then
        say "rollback: trainer from release $target exited during start; see $trainer_log" >&2
        exit 1
    fi
    sleep 0.1
done
say "rollback: trainer from release $target did not report listening within 30s; see $trainer_log" >&2
exit 1
