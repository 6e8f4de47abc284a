# nat OUTPUT DNAT: the later tables at OUTPUT see the rewritten destination; MARK shows from the rule that sets it
ip link set lo up
iptables -t raw -A OUTPUT -p icmp -j TRACE
iptables -t nat -A OUTPUT -p icmp -d 127.0.0.2 -j DNAT --to-destination 127.0.0.3
iptables -t mangle -A OUTPUT -p icmp -j MARK --set-mark 5
iptables -A OUTPUT -p icmp -j ACCEPT
xtables-monitor --trace > /tmp/xm4.trace 2>&1 &
sleep 1
ping -c 1 127.0.0.2 > /dev/null
sleep 1
kill %1 || true
cat /tmp/xm4.trace
