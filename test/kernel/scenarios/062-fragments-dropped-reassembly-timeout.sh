# A router that drops later fragments (iptables -f -j DROP): the receiver holds the first fragment for 30 s
# (net.ipv4.ipfrag_time), then answers "fragment reassembly time exceeded" (ICMP time exceeded, code 1),
# which the router counts and forwards back to the sender; INPUT never sees the datagram.
# Topology: c1 172.17.0.2 -- (veth0 172.17.0.1) host (up0 10.0.0.1) -- wan 10.0.0.2, all MTUs 1500
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
ip -n c1 route add default via 172.17.0.1
ip -n wan addr add 10.0.0.2/24 dev eth0
ip -n wan link set eth0 up
ip -n wan link set lo up
ip -n wan route add default via 10.0.0.1
sysctl -qw net.ipv4.ip_forward=1
iptables -A FORWARD -p icmp -f -j DROP
iptables -A FORWARD -p icmp --icmp-type time-exceeded
iptables -A FORWARD -p icmp
ip netns exec wan iptables -t raw -A PREROUTING -p icmp
ip netns exec wan iptables -A INPUT -p icmp
ip netns exec wan iptables -A OUTPUT -p icmp --icmp-type time-exceeded
ip netns exec c1 ping -c 1 -W 35 -s 3000 10.0.0.2 || echo rc=$?
iptables-save -c
ip netns exec wan iptables-save -c
