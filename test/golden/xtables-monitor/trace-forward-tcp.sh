ip netns add a
ip netns add r
ip netns add b
ip link add va type veth peer name ra
ip link add vb type veth peer name rb
ip link set va netns a
ip link set ra netns r
ip link set rb netns r
ip link set vb netns b
ip -n a addr add 10.0.0.1/24 dev va
ip -n r addr add 10.0.0.254/24 dev ra
ip -n r addr add 10.0.1.254/24 dev rb
ip -n b addr add 10.0.1.2/24 dev vb
for n in a r b; do ip -n $n link set lo up; done
ip -n a link set va up; ip -n r link set ra up; ip -n r link set rb up; ip -n b link set vb up
ip -n a route add default via 10.0.0.254
ip -n b route add default via 10.0.1.254
ip netns exec r sysctl -qw net.ipv4.ip_forward=1
ip netns exec r iptables -t raw -A PREROUTING -p tcp -j TRACE
ip netns exec r iptables -t mangle -A FORWARD -j MARK --set-mark 1
ip netns exec r iptables -N CHK
ip netns exec r iptables -A CHK -p tcp
ip netns exec r iptables -A CHK -j RETURN
ip netns exec r iptables -N G
ip netns exec r iptables -A G -j LOG --log-prefix "g "
ip netns exec r iptables -A FORWARD -j CHK
ip netns exec r iptables -A FORWARD -p tcp -g G
ip netns exec r iptables -P FORWARD DROP
ip netns exec r iptables -t nat -A POSTROUTING -o rb -j MASQUERADE
ip netns exec r xtables-monitor --trace > /tmp/xm2.trace 2>&1 &
sleep 1
ip netns exec a nc -z -w 1 10.0.1.2 80 || true
sleep 1
kill %1 || true
cat /tmp/xm2.trace
