ip netns add a
ip netns add b
ip link add va type veth peer name vb
ip link set va netns a
ip link set vb netns b
ip -n a addr add 10.0.0.1/24 dev va
ip -n b addr add 10.0.0.2/24 dev vb
ip -n a link set va up
ip -n b link set vb up
ip -n a link set lo up
ip -n b link set lo up
ip netns exec b iptables -t raw -A PREROUTING -p icmp -j TRACE
ip netns exec b iptables -N CHK
ip netns exec b iptables -A CHK -s 10.0.0.9 -j DROP
ip netns exec b iptables -A INPUT -p icmp -j CHK
ip netns exec b iptables -A INPUT -s 10.0.0.1 -j ACCEPT
ip netns exec b iptables-save
ip netns exec b xtables-monitor --trace > /tmp/xm.trace 2>&1 &
sleep 1
ip netns exec a ping -c 1 10.0.0.2 >/dev/null
sleep 1
kill %1 || true
cat /tmp/xm.trace
