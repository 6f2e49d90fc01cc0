#!/usr/bin/env bash
# End-to-end test of scripts/slurm/rmspec-slurm against a real single-node Slurm cluster
# (Debian's slurm-wlm and munge, started by scripts/slurm/local-cluster in a temporary directory
# and stopped, with its files removed, whatever happens). Run by `make slurm-test`, as root.
#
# A: a study is submitted (a 4-task array and a merge job with afterok), and the merged document
#    is compared byte for byte with a single-process `rmspec spectrum --json`.
# B: the same study in a new directory; task 2 is cancelled with scancel while its rmspec runs
#    and leaves no partial; partial 4 is then cut short (as a bad copy would leave it); resubmit
#    cancels the stranded merge job and reruns exactly shards 2 and 4 (1 and 3, valid, are not
#    touched); the merge is again byte-identical to the single run.
#
# The study: 128×256, 2400 trials, he, arithmetic and orthogonal, 4 shards of 600 trials (a few
# seconds each, long enough to be caught mid-run). The calibrated bulk test runs with one
# replicate at level 0.5 (--bulk-replicates 1 --bulk-level 0.5): the merge recomputes the bulk
# calibration (R runs of the whole study's Gaussian trials; docs/scale-out.md), so the default
# R = 19 would make each merge cost about 6 times the whole study, while R = 1 keeps `bulk_fit`
# in the compared bytes at a 19th of the cost.
#
# Environment: RMSPEC (the binary; default target/debug/rmspec), SLURM_TEST_TIMEOUT (seconds,
# default 420: every wait gives up at that deadline with a message).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
RMSPEC=${RMSPEC:-$root/target/debug/rmspec}
deadline=$((SECONDS + ${SLURM_TEST_TIMEOUT:-420}))
cluster_tool=$root/scripts/slurm/local-cluster
slurm_tool=$root/scripts/slurm/rmspec-slurm
# shellcheck disable=SC2054 # the commas belong to --strategy's value
STUDY=(--m 128 --n 256 --trials 2400 --strategy he,arithmetic,orthogonal --seed 11 --bins 50
    --bulk-replicates 1 --bulk-level 0.5)
SHARDS=4
passed=0

fail() {
    echo "slurm-test: FAILED: $*" >&2
    echo "slurm-test: $passed passed, 1 failed"
    exit 1
}

pass() {
    passed=$((passed + 1))
    echo "slurm-test: ok - $* (${SECONDS}s)"
}

# Polls `$@` every 0.2 s until it succeeds; fails with `what` at the deadline.
wait_until() {
    local what=$1
    shift
    until "$@"; do
        [ "$SECONDS" -lt "$deadline" ] || fail "timed out after ${SECONDS}s waiting for $what"
        sleep 0.2
    done
}

job_gone() { [ -z "$(squeue -h -j "$1" -o %i 2>/dev/null)" ]; }

job_state() { scontrol show job "$1" 2>/dev/null | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p' | head -n 1; }

# The pid of the rmspec process running shard $2/$SHARDS of study directory $1 (none: empty).
shard_pid() {
    local cmdline pid
    for cmdline in /proc/[0-9]*/cmdline; do
        pid=${cmdline#/proc/}
        pid=${pid%/cmdline}
        if { tr '\0' ' ' <"$cmdline"; } 2>/dev/null | grep -qF -- "--shard $2/$SHARDS --output $1/parts/part-$2.json"; then
            echo "$pid"
            return 0
        fi
    done
}

# Prints a job id from rmspec-slurm's output $1: the line starting with $2 (array or merge).
job_id() { awk -v what="$2" '$1 == what { print $2 }' <<<"$1"; }

# Waits for the merge job $1 of study $2 and checks its document against the single run.
check_merged() {
    wait_until "merge job $1 of $2" job_gone "$1"
    [ "$(job_state "$1")" = COMPLETED ] || fail "merge job $1 ended $(job_state "$1"): $(cat "$2"/logs/merge."$1".log)"
    cmp "$work/single.json" "$2/study.json" || fail "$2/study.json differs from the single-process run"
    pass "merged document of $2 is byte-identical to the single-process run"
}

[ "$(id -u)" -eq 0 ] || fail "must run as root (it installs and starts slurmctld, slurmd and munged)"
[ -x "$RMSPEC" ] || fail "no rmspec binary at $RMSPEC (build it, or set RMSPEC)"
work=$(mktemp -d /tmp/rmspec-slurm-test.XXXXXX)
chmod 755 "$work" # munged wants every directory above its socket searchable by all
cleanup() {
    "$cluster_tool" stop "$work/cluster" || echo "slurm-test: stopping the cluster failed" >&2
    rm -rf "$work"
}
trap cleanup EXIT
trap 'fail "interrupted"' INT TERM

"$cluster_tool" install || fail "could not install slurm-wlm and munge"
"$cluster_tool" start "$work/cluster" || fail "the cluster did not start"
# shellcheck source=/dev/null
source "$work/cluster/env"
pass "single-node cluster up: $(sinfo -h -N -o '%N %t %c CPUs')"

RAYON_NUM_THREADS=2 "$RMSPEC" spectrum "${STUDY[@]}" --json >"$work/single.json"
pass "single-process reference run"

# A: submit, merge, compare.
out=$("$slurm_tool" submit "$work/a" --shards "$SHARDS" --rmspec "$RMSPEC" -- "${STUDY[@]}")
echo "$out"
array=$(job_id "$out" array)
merge=$(job_id "$out" merge)
{ [ -n "$array" ] && [ -n "$merge" ]; } || fail "submit printed no job ids"
grep -qx "array $array shards 1-$SHARDS" <<<"$out" || fail "submit did not submit shards 1-$SHARDS"
check_merged "$merge" "$work/a"
"$RMSPEC" merge --validate "$work"/a/parts/part-{1..4}.json >/dev/null || fail "the partials of A do not validate"
pass "all $SHARDS partials of A validate"

# B: cancel a task mid-run, damage another partial, resubmit only those.
b=$work/b
out=$("$slurm_tool" submit "$b" --shards "$SHARDS" --rmspec "$RMSPEC" -- "${STUDY[@]}")
echo "$out"
array=$(job_id "$out" array)
merge=$(job_id "$out" merge)
shard_running() { [ -n "$(shard_pid "$b" 2)" ]; }
wait_until "shard 2 of B to run" shard_running
pid=$(shard_pid "$b" 2)
[ ! -e "$b/parts/part-2.json" ] || fail "shard 2 finished before it could be cancelled"
scancel "${array}_2"
process_gone() { ! [ -r "/proc/$pid/cmdline" ] || [ -z "$(tr -d '\0' <"/proc/$pid/cmdline" 2>/dev/null)" ]; }
wait_until "the cancelled shard's rmspec (pid $pid) to end" process_gone
wait_until "the other shards of array $array" job_gone "$array"
[ "$(job_state "${array}_2")" = CANCELLED ] || fail "task ${array}_2 is $(job_state "${array}_2"), not CANCELLED"
[ ! -e "$b/parts/part-2.json" ] || fail "the cancelled shard left a partial"
for k in 1 3 4; do [ -f "$b/parts/part-$k.json" ] || fail "shard $k of B wrote no partial"; done
merge_stranded() { [ "$(squeue -h -j "$merge" -o %r 2>/dev/null)" = DependencyNeverSatisfied ]; }
wait_until "merge job $merge to be marked DependencyNeverSatisfied" merge_stranded
pass "task ${array}_2 cancelled mid-run (pid $pid): no partial; merge job $merge stranded"

head -c 10000 "$b/parts/part-4.json" >"$work/cut" && mv "$work/cut" "$b/parts/part-4.json"
before=$(stat -c '%n %i %y' "$b"/parts/part-{1,3}.json)
out=$("$slurm_tool" resubmit "$b")
echo "$out"
grep -qx "cancelled merge job $merge (it waited for shards that failed)" <<<"$out" ||
    fail "resubmit did not cancel the stranded merge job"
grep -qx "array [0-9]* shards 2,4" <<<"$out" || fail "resubmit did not rerun exactly shards 2 and 4"
job_gone "$merge" || fail "merge job $merge is still queued"
pass "resubmit reruns shards 2 (missing) and 4 (cut short) only"
check_merged "$(job_id "$out" merge)" "$b"
[ "$(stat -c '%n %i %y' "$b"/parts/part-{1,3}.json)" = "$before" ] || fail "valid partials 1 and 3 were rewritten"
[ -f "$b/parts/part-4.json.invalid" ] || fail "the invalid partial was not kept aside"
pass "valid partials 1 and 3 were not rerun"
[ "$("$slurm_tool" resubmit "$b")" = "all $SHARDS shards valid and study.json exists: nothing to resubmit" ] ||
    fail "a complete study was resubmitted"
pass "a complete study is not resubmitted"

echo "slurm-test: all checks passed in ${SECONDS}s"
echo "slurm-test: $passed passed, 0 failed"
