# MTU set at creation (ip link add … mtu N, a veth peer's own mtu), a receiving veth that drops frames over its
# MTU without a word (the router forwarded it: FORWARD counts it, wan's PREROUTING does not), and iputils ping -M:
# do fails locally with EMSGSIZE once the path MTU is known (nothing leaves), dont fragments, want is the default.
# Topology: c1 172.17.0.2 -- (veth0 172.17.0.1) host (up0 10.0.0.1, mtu 1500) -- wan 10.0.0.2 (eth0 mtu 1400)
ip netns add c1
ip netns add wan
ip link add veth0 mtu 1500 type veth peer name eth0 netns c1
ip link add up0 type veth peer name eth0 netns wan mtu 1400
ip addr add 172.17.0.1/16 dev veth0
ip addr add 10.0.0.1/24 dev up0
ip link set veth0 up
ip link set up0 up
ip -n c1 addr add 172.17.0.2/16 dev eth0
ip -n c1 link set eth0 up
ip -n c1 link set lo up
ip -n c1 route add default via 172.17.0.1
ip -n wan addr add 10.0.0.2/24 dev eth0
ip -n wan link set eth0 up
ip -n wan link set lo up
ip -n wan route add default via 10.0.0.1
sysctl -qw net.ipv4.ip_forward=1
iptables -A FORWARD -p icmp -o up0
iptables -A FORWARD -p icmp -i up0
iptables -A OUTPUT -p icmp
ip netns exec c1 iptables -A OUTPUT -p icmp
ip netns exec wan iptables -t raw -A PREROUTING -p icmp
ip netns exec wan iptables -A OUTPUT -p icmp
ip netns exec c1 ping -c 1 -s 1376 10.0.0.2
ip netns exec c1 ping -c 1 -W 1 -s 1377 10.0.0.2 || echo rc=$?
ip netns exec c1 ping -c 1 -W 1 -s 3000 -M dont 10.0.0.2 || echo rc=$?
ip netns exec c1 ping -c 2 -i 0.2 -s 1400 -M do 10.0.0.2 || echo rc=$?
ip link set up0 mtu 1400
ip netns exec c1 ping -c 1 -s 1400 -M do 10.0.0.2 || echo rc=$?
ip netns exec c1 ping -c 2 -i 0.2 -s 1400 -M do 10.0.0.2 || echo rc=$?
ip netns exec c1 ping -c 1 -s 1400 -M want 10.0.0.2
ip netns exec c1 ping -c 1 -s 1400 -M dont 10.0.0.2
ip -n c1 link show eth0
ip -n wan link show eth0
iptables-save -c
ip netns exec c1 iptables-save -c
ip netns exec wan iptables-save -c
