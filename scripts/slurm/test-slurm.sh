#!/usr/bin/env bash
# Runs a small quadratic sweep under a real single-node Slurm on this machine and checks it against the
# same sweep run locally. As root it installs Debian's slurmctld, slurmd, slurm-client and munge when
# missing; it starts its own munged, slurmctld and slurmd (a generated slurm.conf, private ports and
# folders under a temporary directory), submits scripts/slurm/sweep.sbatch as a 4-task job array and the
# collecting job after it, waits, compares DIR/summary.csv with the local sweep's (every column but the
# elapsed time), and stops every daemon it started, by process id. Where Slurm cannot be started it
# fails with the reason. Exit 0: the summaries agree.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
fail() { echo "test-slurm: $*" >&2; exit 1; }

if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v sbatch >/dev/null || ! command -v munged >/dev/null; then
  [ "$(id -u)" = 0 ] || fail "Slurm is not installed and this is not root: run 'apt-get install slurmctld slurmd slurm-client munge' as root."
  echo "test-slurm: installing Debian's slurmctld, slurmd, slurm-client and munge (once)..." >&2
  packages="slurmctld slurmd slurm-client munge"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $packages >/dev/null 2>&1 ||
    { apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $packages >/dev/null 2>&1; } ||
    fail "apt-get install $packages failed."
fi
[ "$(id -u)" = 0 ] || fail "slurmd must run as root to start jobs: run this script as root."

work=$(mktemp -d /tmp/labelnoise-slurm.XXXXXX)
chmod 755 "$work"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT

host=$(hostname -s)
port=$((20000 + RANDOM % 20000))
mkdir -p "$work/state" "$work/spool" "$work/munge"
chmod 755 "$work/munge"
key=/etc/munge/munge.key
[ -r "$key" ] || { dd if=/dev/urandom bs=1 count=1024 of="$work/munge/munge.key" 2>/dev/null; key=$work/munge/munge.key; }
if [ "$key" != /etc/munge/munge.key ]; then chmod 400 "$key"; fi
socket=$work/munge/munge.socket
munged --foreground --force --socket="$socket" --key-file="$key" --pid-file="$work/munge/munged.pid" \
  --log-file="$work/munge/munged.log" --seed-file="$work/munge/munged.seed" >"$work/munge/munged.out" 2>&1 &
pids+=($!)

cat >"$work/slurm.conf" <<CONF
ClusterName=labelnoise-test
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$socket
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
NodeName=$host NodeAddr=127.0.0.1 CPUs=$(nproc) RealMemory=1000 State=UNKNOWN
PartitionName=test Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$work/slurm.conf
for _ in $(seq 50); do [ -S "$socket" ] && break; sleep 0.2; done
[ -S "$socket" ] || fail "munged did not start: $(tail -3 "$work/munge/munged.log" 2>/dev/null)"

slurmctld -D -i -f "$SLURM_CONF" >"$work/slurmctld.out" 2>&1 &
pids+=($!)
slurmd -D -f "$SLURM_CONF" -N "$host" >"$work/slurmd.out" 2>&1 &
pids+=($!)
ready=""
for _ in $(seq 150); do
  if sinfo -h -o "%T" 2>/dev/null | grep -qE "^(idle|mixed|allocated)"; then ready=1; break; fi
  sleep 0.2
done
[ -n "$ready" ] || fail "Slurm did not come up (sinfo: $(sinfo -h -o '%T' 2>&1 | head -1); slurmctld: $(tail -2 "$work/slurmctld.log" "$work/slurmctld.out" 2>/dev/null | tr '\n' ' '); slurmd: $(tail -2 "$work/slurmd.log" "$work/slurmd.out" 2>/dev/null | tr '\n' ' '))"

./labelnoise --version >/dev/null # built once, before the tasks start
sweep=(--model quadratic --data "sparse:d=20,n=10,r=2,seed=1" --noise pm:1 --lr 0.005,0.01 --seed 0,1 --batch 1 --steps 2000 --eval-every 500)
start=$(date +%s)
job=$(sbatch --parsable --chdir="$root" --output="$work/task-%a.out" --array=0-3 --cpus-per-task=1 scripts/slurm/sweep.sbatch "${sweep[@]}" --out "$work/slurm-sweep")
collect=$(sbatch --parsable --chdir="$root" --output="$work/collect.out" --dependency=afterok:"$job" scripts/slurm/sweep.sbatch "${sweep[@]}" --out "$work/slurm-sweep")
echo "test-slurm: submitted array job $job (4 tasks) and collecting job $collect" >&2
for _ in $(seq 900); do
  [ -z "$(squeue -h -j "$job,$collect" 2>/dev/null)" ] && break
  sleep 1
done
[ -z "$(squeue -h -j "$job,$collect" 2>/dev/null)" ] || fail "the jobs did not finish in 15 minutes: $(squeue -h -j "$job,$collect" | head -3)"
[ -f "$work/slurm-sweep/summary.csv" ] || fail "the collecting job wrote no summary.csv ($(cat "$work"/collect.out "$work"/task-*.out 2>/dev/null | tail -5 | tr '\n' ' '))"
echo "test-slurm: Slurm ran the sweep in $(( $(date +%s) - start )) s" >&2

./labelnoise sweep "${sweep[@]}" --out "$work/local-sweep" >/dev/null
./labelnoise sweep --collect "$work/local-sweep" >/dev/null
drop_elapsed() { awk -F, 'BEGIN{OFS=","} {NF=NF-1; print}' "$1"; }
if ! diff <(drop_elapsed "$work/slurm-sweep/summary.csv") <(drop_elapsed "$work/local-sweep/summary.csv") >"$work/diff.txt"; then
  cat "$work/diff.txt" >&2
  fail "the Slurm sweep's summary differs from the local sweep's"
fi
finished=$(grep -c ",finished," "$work/slurm-sweep/summary.csv" || true)
[ "$finished" = 4 ] || fail "$finished of 4 points finished under Slurm"
cat "$work/slurm-sweep/summary.csv"
echo "test-slurm: 4 points under Slurm match the local sweep (every column but elapsed_s)"
