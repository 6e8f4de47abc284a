ip link set lo up
ip netns add a
ip netns add b
ip link add ra type veth peer name va netns a
ip link add rb type veth peer name vb netns b
ip addr add 10.0.1.1/24 dev ra
ip addr add 10.0.2.1/24 dev rb
ip link set ra up
ip link set rb up
ip -n a link set lo up
ip -n a addr add 10.0.1.2/24 dev va
ip -n a link set va up
ip -n a route add default via 10.0.1.1
ip -n b link set lo up
ip -n b addr add 10.0.2.2/24 dev vb
ip -n b link set vb up
ip -n b route add default via 10.0.2.1
sysctl -q -w net.ipv4.ip_forward=1
iptables -t nat -A POSTROUTING -o rb -j MASQUERADE
conntrack -E &
sleep 0.3
ip netns exec b nc -l -p 80 >/dev/null &
sleep 0.2
ip netns exec a nc -z -w 1 10.0.2.2 80
ip netns exec a ping -c 1 -q 10.0.2.2 > /dev/null
echo x | ip netns exec a nc -u -w 1 10.0.2.2 53 || true
conntrack -D -p icmp >/dev/null 2>&1
sleep 0.3
kill %1
