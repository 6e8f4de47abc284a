# Route MTUs (ip route add … mtu [lock] N): a local datagram over its route's MTU is fragmented by the sender (OUTPUT counts it
# whole, the router each fragment); a router honours its own route's MTU when forwarding (frag-needed with mtu = 1000),
# which the sender learns on top of its route's; ip route / ip route get show them.
# Topology: c1 172.17.0.2 -- (veth0 172.17.0.1) host (up0 10.0.0.1) -- wan 10.0.0.2, all device MTUs 1500
ip netns add c1
ip netns add wan
ip link add veth0 type veth peer name eth0 netns c1
ip link add up0 type veth peer name eth0 netns wan
ip addr add 172.17.0.1/16 dev veth0
ip addr add 10.0.0.1/24 dev up0
ip link set veth0 up
ip link set up0 up
ip -n c1 addr add 172.17.0.2/16 dev eth0
ip -n c1 link set eth0 up
ip -n c1 link set lo up
ip -n c1 route add default via 172.17.0.1 mtu 1300
ip -n c1 route add 10.9.0.0/24 via 172.17.0.1 mtu lock 1200
ip -n c1 route add 10.8.0.0/24 dev eth0 mtu 9000
ip -n wan addr add 10.0.0.2/24 dev eth0
ip -n wan link set eth0 up
ip -n wan link set lo up
ip -n wan route add default via 10.0.0.1
ip route add 10.0.0.128/25 via 10.0.0.2 mtu 1000
sysctl -qw net.ipv4.ip_forward=1
ip -n c1 route
ip route
ip -n c1 route get 10.0.0.2
ip route get 10.0.0.130
iptables -A FORWARD -p icmp
iptables -A FORWARD -p icmp -f
ip netns exec c1 iptables -A OUTPUT -p icmp
ip netns exec c1 ping -c 1 -s 1400 10.0.0.2
ip netns exec c1 ping -c 1 -s 1000 10.0.0.130 || echo rc=$?
ip -n c1 route get 10.0.0.130
iptables-save -c
ip netns exec c1 iptables-save -c
ip -n c1 route add 10.7.0.0/24 via 172.17.0.1 mtu 67 || echo rc=$?
ip -n c1 route add 10.7.0.0/24 via 172.17.0.1 mtu 70000 || echo rc=$?
