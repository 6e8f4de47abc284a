#!/usr/bin/env bash
# Runs a scenario script on the real Linux kernel, isolated in a private mount + network
# namespace (with its own /run/netns, so `ip netns add NAME` cannot collide with the host's).
# Background servers the script starts are ended when it finishes. Prints what the script
# printed, without iptables-save's date comments. Exit status: the script's.
set -euo pipefail
script=$(readlink -f "$1")
exec unshare --mount --net --propagation private bash -c '
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
  rm -f "$out"; exit $rc
' "$script"
