#!/usr/bin/env bash
# Runs a scenario script on the real Linux kernel, isolated in a private mount + network + PID
# namespace (with its own /run/netns, so `ip netns add NAME` cannot collide with the host's).
# Background servers the script starts are ended when it finishes: the PID namespace dies with
# its first process, so none outlives the run (a stand-in started in the script's own namespace,
# say docker-proxy, used to: hundreds of them and their namespaces piled up on the oracle
# machine), and when the runner is killed (a test's timeout) unshare kills that first process.
# Prints what the script printed, without iptables-save's date comments. Exit status: the script's.
#
# Load: the recordings are an idle machine's runs, where a background server is listening well
# within the script's `sleep 1` and a server closes its side of a connection within the 40 ms
# delayed-ACK timer (so its ACK rides on its FIN). On a loaded machine (CI runs the unit, kernel
# and browser suites at once on 2 cores) a process can wait on the run queue for longer than
# that: a python server was seen not listening 1 s after its start, and nc servers closed late.
# So the programs that serve or wait on sockets (nc, python3 and the stand-ins it runs, curl,
# xtables-monitor) run at real-time priority (SCHED_FIFO 1) where that is allowed, else at
# nice -20: a PATH directory holds wrappers that exec the real program so. Nothing else is
# raised, on purpose: a write to net.ipv4.ip_forward spins (rtnl_trylock, restart_syscall) while
# a namespace being torn down holds the rtnl lock, and a raised spinner starves the kernel worker
# it waits for (two real-time sysctls were seen holding both cores for minutes).
# PACKETWALK_ORACLE_PRIORITY=rt|nice|none forces one (to try the suite as a machine without the
# permission runs it).
set -euo pipefail
script=$(readlink -f "$1")
want=${PACKETWALK_ORACLE_PRIORITY:-}
prio=''
if [ "$want" != none ] && [ "$want" != nice ] && chrt -f 1 true 2>/dev/null; then prio='chrt -f 1'
elif [ "$want" != none ] && [ "$(nice -n -20 nice 2>/dev/null)" = -20 ]; then prio='nice -n -20'
fi
raised=$(mktemp -d)
if [ -n "$prio" ]; then
  for tool in nc python3 curl xtables-monitor; do
    real=$(command -v "$tool" || true)
    [ -n "$real" ] && printf '#!/bin/sh\nexec %s %s "$@"\n' "$prio" "$real" >"$raised/$tool" && chmod +x "$raised/$tool"
  done
fi
PATH="$raised:$PATH" exec unshare --mount --net --pid --fork --kill-child --mount-proc --propagation private bash -c '
  mkdir -p /run/netns && mount -t tmpfs tmpfs /run/netns
  ip link set lo up
  out=$(mktemp)
  rc=0
  bash -e "$0" >"$out" 2>&1 </dev/null || rc=$?
  for ns in $(ip netns list | cut -d" " -f1); do
    for p in $(ip netns pids "$ns"); do kill "$p" 2>/dev/null || true; done
  done
  jobs -p | xargs -r kill 2>/dev/null || true
  grep -v -E "^# (Generated|Completed|Warning)" "$out" || true
  rm -rf "$out" "$1"; exit $rc
' "$script" "$raised"
