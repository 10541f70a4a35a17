#!/usr/bin/env bash
# A one-node Slurm cluster on this machine, for the sweep tests (and for trying
# `spin-transfer sweep --slurm` without a cluster): munged, slurmctld and
# slurmd, started directly (no systemd), with a slurm.conf written here.
# Needs root and Debian's slurm-wlm and munge packages (.ci/run installs them).
# Idempotent: what is already running is left alone; it returns once sinfo
# shows the node idle, or fails saying what did not start.
set -euo pipefail

if [ "$(id -u)" -ne 0 ]; then
  echo "start-slurm.sh: run it as root (it writes /etc/munge, /etc/slurm and starts daemons)" >&2
  exit 1
fi
for tool in munged slurmctld slurmd sinfo scontrol; do
  if ! command -v "$tool" >/dev/null 2>&1 && [ ! -x "/usr/sbin/$tool" ]; then
    echo "start-slurm.sh: $tool is missing: apt-get install slurm-wlm munge" >&2
    exit 1
  fi
done
export PATH="$PATH:/usr/sbin:/sbin"

host="$(hostname -s 2>/dev/null || hostname)"
cpus="$(nproc)"
mem_mb="$(awk '/MemTotal/ { printf "%d", $2 / 1024 / 2 }' /proc/meminfo)"
if [ "$mem_mb" -gt 4096 ]; then mem_mb=4096; fi

# munge: a 1024-byte key, owned by munge, readable by it alone.
mkdir -p /etc/munge /run/munge /var/lib/munge /var/log/munge
if [ ! -s /etc/munge/munge.key ] || [ "$(stat -c %s /etc/munge/munge.key)" -ne 1024 ]; then
  dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
fi
chown munge:munge /etc/munge /etc/munge/munge.key /run/munge /var/lib/munge /var/log/munge
chmod 700 /etc/munge
chmod 400 /etc/munge/munge.key
chmod 755 /run/munge
if ! pgrep -x munged >/dev/null; then
  runuser -u munge -- munged
fi
for _ in $(seq 1 50); do
  if munge -n </dev/null 2>/dev/null | unmunge >/dev/null 2>&1; then break; fi
  sleep 0.2
done
if ! munge -n </dev/null 2>/dev/null | unmunge >/dev/null 2>&1; then
  echo "start-slurm.sh: munged does not answer (see /var/log/munge/munged.log)" >&2
  exit 1
fi

# slurm.conf: this machine is the controller and the only node.
mkdir -p /etc/slurm /var/spool/slurmctld /var/spool/slurmd /var/log/slurm
conf="$(cat <<EOF
# Written by scripts/start-slurm.sh: a one-node cluster for tests.
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
changed=0
if [ ! -f /etc/slurm/slurm.conf ] || [ "$(cat /etc/slurm/slurm.conf)" != "$conf" ]; then
  printf '%s\n' "$conf" >/etc/slurm/slurm.conf
  changed=1
fi

if [ "$changed" -eq 1 ]; then
  # A daemon running on an older slurm.conf would disagree with the new one: stop
  # the ones this script started (by their pid files) so they start again below.
  for pidfile in /run/slurmd.pid /run/slurmctld.pid; do
    if [ -s "$pidfile" ]; then kill "$(cat "$pidfile")" 2>/dev/null || true; fi
  done
  sleep 2
fi
if ! pgrep -x slurmctld >/dev/null; then slurmctld; fi
if ! pgrep -x slurmd >/dev/null; then slurmd; fi

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
  idle|mix|alloc) echo "start-slurm.sh: node ${host} is ${state} (${cpus} CPUs)" ;;
  *)
    echo "start-slurm.sh: node ${host} did not become idle (state: ${state:-none}); see /var/log/slurm/" >&2
    exit 1
    ;;
esac
