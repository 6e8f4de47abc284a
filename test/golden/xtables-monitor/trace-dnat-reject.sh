# DNAT in nat PREROUTING (verdict ACCEPT), REJECT in filter INPUT (verdict DROP); the filter walk sees the rewritten port
ip netns add a
ip netns add b
ip link add va type veth peer name vb
ip link set va netns a
ip link set vb netns b
ip -n a addr add 10.0.0.1/24 dev va
ip -n b addr add 10.0.0.2/24 dev vb
for n in a b; do ip -n $n link set lo up; done
ip -n a link set va up; ip -n b link set vb up
ip netns exec b iptables -t raw -A PREROUTING -j TRACE
ip netns exec b iptables -t nat -A PREROUTING -p tcp --dport 81 -j DNAT --to-destination 10.0.0.2:82
ip netns exec b iptables -A INPUT -p tcp --dport 82 -j REJECT --reject-with tcp-reset
ip netns exec b iptables -A INPUT -p icmp -j ACCEPT
ip netns exec b xtables-monitor --trace > /tmp/xm3.trace 2>&1 &
sleep 1
ip netns exec a nc -z -w 1 10.0.0.2 81 || true
ip netns exec a ping -c 1 10.0.0.2
sleep 1
kill %1 || true
cat /tmp/xm3.trace
