#!/usr/bin/env bash
# A single-node Slurm on this machine, for running `eigenflow sweep --executor slurm` locally and in CI.
#
#   scripts/slurm-local.sh up       install (Debian packages, if missing), configure and start munged, slurmctld, slurmd
#   scripts/slurm-local.sh down     stop the three daemons
#   scripts/slurm-local.sh status   show the daemons and `sinfo`
#
# Needs root (it writes /etc/slurm/slurm.conf and starts daemons). `up` is idempotent: running daemons
# are left alone. The node is named after `hostname -s` and declares this machine's CPUs and memory
# (from `slurmd -C`); jobs complete into a text file (jobcomp/filetxt), no accounting database.
set -euo pipefail

NODE=$(hostname -s 2>/dev/null || uname -n | cut -d. -f1)
CONF=/etc/slurm/slurm.conf
STATE=/var/spool/slurmctld
SPOOL=/var/spool/slurmd
LOGDIR=/var/log/slurm

running() { pgrep -x "$1" >/dev/null 2>&1; }  # procps is installed with the Slurm packages

install() {
  if command -v slurmctld >/dev/null && command -v slurmd >/dev/null && command -v sbatch >/dev/null && command -v munged >/dev/null && command -v pgrep >/dev/null; then return; fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq slurmctld slurmd slurm-client munge procps >/dev/null
}

configure() {
  mkdir -p /etc/slurm "$STATE" "$SPOOL" "$LOGDIR" /run/munge /var/lib/munge /var/log/munge
  if [ ! -s /etc/munge/munge.key ]; then
    dd if=/dev/urandom of=/etc/munge/munge.key bs=1 count=1024 status=none
  fi
  chown -R munge:munge /etc/munge /run/munge /var/lib/munge /var/log/munge
  chmod 700 /etc/munge /var/lib/munge /var/log/munge
  chmod 400 /etc/munge/munge.key
  chmod 755 /run/munge
  local cpus mem
  cpus=$(slurmd -C | sed -n 's/.*CPUs=\([0-9]*\).*/\1/p' | head -1)
  mem=$(slurmd -C | sed -n 's/.*RealMemory=\([0-9]*\).*/\1/p' | head -1)
  cat > "$CONF.tmp" <<CONFEOF
# Written by eigenflow scripts/slurm-local.sh: a single-node cluster on $NODE.
ClusterName=eigenflow-local
SlurmctldHost=$NODE
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$STATE
SlurmdSpoolDir=$SPOOL
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=$LOGDIR/slurmctld.log
SlurmdLogFile=$LOGDIR/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
JobCompType=jobcomp/filetxt
JobCompLoc=$LOGDIR/jobcomp.txt
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
ReturnToService=2
MaxArraySize=10001
SlurmdTimeout=300
InactiveLimit=0
KillWait=10
MpiDefault=none
NodeName=$NODE CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=local Nodes=$NODE Default=YES MaxTime=INFINITE State=UP
CONFEOF
  mv "$CONF.tmp" "$CONF"
}

wait_for() { # wait_for SECONDS COMMAND...
  local limit=$1; shift
  for _ in $(seq 1 $((limit * 5))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done
  return 1
}

up() {
  [ "$(id -u)" = 0 ] || { echo "slurm-local.sh: run as root" >&2; exit 2; }
  install
  configure
  running munged || runuser -u munge -- /usr/sbin/munged
  wait_for 10 munge -n || { echo "slurm-local.sh: munged did not start" >&2; exit 1; }
  running slurmctld || /usr/sbin/slurmctld
  wait_for 30 scontrol ping || { echo "slurm-local.sh: slurmctld did not start; see $LOGDIR/slurmctld.log" >&2; tail -20 "$LOGDIR/slurmctld.log" >&2 || true; exit 1; }
  running slurmd || /usr/sbin/slurmd -N "$NODE"
  # The node comes up idle once slurmd registers; a node left down/drained by an earlier run is resumed.
  for _ in $(seq 1 150); do
    state=$(sinfo -h -n "$NODE" -o %T 2>/dev/null || true)
    case "$state" in
      idle*|mixed*|allocated*) break ;;
      down*|drain*) scontrol update NodeName="$NODE" State=RESUME >/dev/null 2>&1 || true ;;
    esac
    sleep 0.2
  done
  state=$(sinfo -h -n "$NODE" -o %T 2>/dev/null || true)
  case "$state" in
    idle*|mixed*|allocated*) echo "slurm-local: node $NODE is $state (partition local)" ;;
    *) echo "slurm-local.sh: node $NODE is '$state'; see $LOGDIR/slurmd.log" >&2; tail -20 "$LOGDIR/slurmd.log" >&2 || true; exit 1 ;;
  esac
}

stop() { # stop NAME PIDFILE
  local pid=""
  [ -s "$2" ] && pid=$(cat "$2")
  [ -z "$pid" ] && pid=$(pgrep -x "$1" | head -1 || true)
  [ -z "$pid" ] && return 0
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.2; done
  kill -9 "$pid" 2>/dev/null || true
}

down() {
  stop slurmd /run/slurmd.pid
  stop slurmctld /run/slurmctld.pid
  stop munged /run/munge/munged.pid
  echo "slurm-local: stopped"
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) for d in munged slurmctld slurmd; do printf '%-10s %s\n' "$d" "$(running "$d" && echo running || echo stopped)"; done; sinfo 2>/dev/null || true ;;
  *) echo "usage: scripts/slurm-local.sh up|down|status" >&2; exit 2 ;;
esac
