#!/usr/bin/env bash
# A one-node Slurm cluster on this machine, for the sweep tests (and for trying
# `spin-transfer sweep --slurm` without a cluster): munged, slurmctld and
# slurmd, started directly (no systemd), with a slurm.conf written here.
# Needs root and Debian's slurm-wlm and munge packages (.ci/run installs them).
#
# A host that already has a cluster is left alone: if sinfo answers with a node
# that takes jobs (idle or mix), that cluster is used and nothing is touched;
# if a slurm.conf or daemons are there that this script did not set up, it
# refuses, saying what it found. It changes only what it set up itself: it
# writes a munge key only where there is none, rewrites only a slurm.conf that
# carries its own first line, and stops only daemons it started (their pids
# are kept in $STATE_DIR). Idempotent: it returns once sinfo shows the node
# idle, or fails saying what did not start.
#
# SLURM_CONF (Slurm's own variable) and MUNGE_KEY name other files than
# /etc/slurm/slurm.conf and /etc/munge/munge.key; START_SLURM_STATE the folder
# of its records (default /var/lib/spin-transfer-slurm).
set -euo pipefail
export PATH="$PATH:/usr/sbin:/sbin"

conf_file="${SLURM_CONF:-/etc/slurm/slurm.conf}"
key_file="${MUNGE_KEY:-/etc/munge/munge.key}"
STATE_DIR="${START_SLURM_STATE:-/var/lib/spin-transfer-slurm}"
MARK="# Written by scripts/start-slurm.sh: a one-node cluster for tests."
say() { echo "start-slurm.sh: $*"; }
fail() { echo "start-slurm.sh: $*" >&2; exit 1; }

# Whether this script wrote the slurm.conf (its first line says so).
conf_is_ours() { [ -f "$conf_file" ] && [ "$(head -n1 "$conf_file")" = "$MARK" ]; }
# Whether a daemon runs from a pid this script recorded when it started it, or
# (its slurm.conf being this script's) from the pid file that slurm.conf names.
started_here() {
  local pid=""
  if [ -s "$STATE_DIR/$1.pid" ]; then pid="$(cat "$STATE_DIR/$1.pid")"
  elif conf_is_ours && [ -s "/run/$1.pid" ]; then pid="$(cat "/run/$1.pid")"
  fi
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

# 1. A cluster that answers, with a node that takes jobs: use it as it is.
if command -v sinfo >/dev/null 2>&1; then
  usable="$(sinfo -h -N -o '%N %t' 2>/dev/null | awk '$2 == "idle" || $2 == "mix" { print; exit }' || true)"
  if [ -n "$usable" ]; then
    set -- $usable
    if conf_is_ours; then
      say "node $1 is $2 (the one-node cluster of this script, already running)"
    else
      say "a Slurm cluster answers here (node $1 is $2): using it, changing nothing"
    fi
    exit 0
  fi
fi

# 2. No usable cluster: set one up, touching nothing this script did not make.
if [ "$(id -u)" -ne 0 ]; then
  fail "no Slurm node here takes jobs (sinfo), and setting one up needs root (it writes $conf_file and starts daemons)"
fi
for tool in munged munge unmunge slurmctld slurmd sinfo scontrol; do
  command -v "$tool" >/dev/null 2>&1 || fail "$tool is missing: apt-get install slurm-wlm munge"
done
if [ -e "$conf_file" ] && ! conf_is_ours; then
  fail "$conf_file exists and was not written by this script, but sinfo shows no node that takes jobs: leaving that cluster alone (start its daemons, or point SLURM_CONF at a file of this script's)"
fi
for daemon in slurmctld slurmd; do
  if pgrep -x "$daemon" >/dev/null && ! started_here "$daemon"; then
    fail "$daemon runs already (not started by this script), but sinfo shows no node that takes jobs: leaving it alone"
  fi
done
mkdir -p "$STATE_DIR"

host="$(hostname -s 2>/dev/null || hostname)"
cpus="$(nproc)"
mem_mb="$(awk '/MemTotal/ { printf "%d", $2 / 1024 / 2 }' /proc/meminfo)"
if [ "$mem_mb" -gt 4096 ]; then mem_mb=4096; fi

# munge: a key of its own only where there is none (the munge package writes
# one on install; another cluster's key is that cluster's), then munged if
# none runs.
if [ ! -e "$key_file" ]; then
  mkdir -p "$(dirname "$key_file")"
  dd if=/dev/urandom of="$key_file" bs=1024 count=1 status=none
  chown munge:munge "$(dirname "$key_file")" "$key_file"
  chmod 700 "$(dirname "$key_file")"
  chmod 400 "$key_file"
  echo "$key_file" >"$STATE_DIR/munge-key-written"
fi
if ! pgrep -x munged >/dev/null; then
  mkdir -p /run/munge /var/lib/munge /var/log/munge
  chown munge:munge /run/munge /var/lib/munge /var/log/munge
  runuser -u munge -- munged --key-file="$key_file"
  pgrep -x -n munged >"$STATE_DIR/munged.pid" || true
fi
for _ in $(seq 1 50); do
  if munge -n </dev/null 2>/dev/null | unmunge >/dev/null 2>&1; then break; fi
  sleep 0.2
done
if ! munge -n </dev/null 2>/dev/null | unmunge >/dev/null 2>&1; then
  fail "munged does not answer (see /var/log/munge/munged.log)"
fi

# slurm.conf: this machine is the controller and the only node.
mkdir -p "$(dirname "$conf_file")" /var/spool/slurmctld /var/spool/slurmd /var/log/slurm
conf="$(cat <<EOF
${MARK}
ClusterName=spin-transfer-test
SlurmctldHost=${host}
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
ReturnToService=2
MpiDefault=none
NodeName=${host} CPUs=${cpus} RealMemory=${mem_mb} State=UNKNOWN
PartitionName=debug Nodes=${host} Default=YES MaxTime=INFINITE State=UP
EOF
)"
if [ ! -f "$conf_file" ] || [ "$(cat "$conf_file")" != "$conf" ]; then
  printf '%s\n' "$conf" >"$conf_file"
  # A daemon this script started on an older slurm.conf would disagree with the new one: stop it so it starts again below.
  for daemon in slurmd slurmctld; do
    if started_here "$daemon"; then kill "$(cat "$STATE_DIR/$daemon.pid")" 2>/dev/null || true; sleep 2; fi
  done
fi
export SLURM_CONF="$conf_file"
for daemon in slurmctld slurmd; do
  if ! pgrep -x "$daemon" >/dev/null; then
    "$daemon"
    for _ in $(seq 1 20); do pgrep -x -n "$daemon" >"$STATE_DIR/$daemon.pid" && break; sleep 0.2; done
  fi
done

state=""
for _ in $(seq 1 60); do
  state="$(sinfo -h -N -n "$host" -o '%t' 2>/dev/null | head -n1 || true)"
  case "$state" in
    idle|mix|alloc) break ;;
    down*|drain*|unk*) scontrol update NodeName="$host" State=RESUME >/dev/null 2>&1 || true ;;
  esac
  sleep 1
done
case "$state" in
  idle|mix|alloc) say "node ${host} is ${state} (${cpus} CPUs)" ;;
  *) fail "node ${host} did not become idle (state: ${state:-none}); see /var/log/slurm/" ;;
esac
