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
ip netns exec a iptables -t raw -A OUTPUT -p icmp -j TRACE
ip netns exec a iptables -t mangle -A OUTPUT -j MARK --set-mark 0x2a
ip netns exec a iptables -A OUTPUT -p icmp --icmp-type echo-request -j ACCEPT
ip netns exec a iptables -t nat -A POSTROUTING -p icmp -j ACCEPT
ip netns exec a xtables-monitor --trace > /tmp/xm4.trace 2>&1 &
sleep 1
ip netns exec a ping -c 1 10.0.0.2 > /dev/null
sleep 1
kill %1 || true
cat /tmp/xm4.trace
