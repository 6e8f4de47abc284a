# Container pings the bridge address: iptables INPUT with IN=docker0, ebtables INPUT
# Topology: containers c1 172.17.0.2 (veth1) and c2 172.17.0.3 (veth2) on bridge docker0 172.17.0.1
ip netns add c1
ip netns add c2
ip link add docker0 type bridge
ip addr add 172.17.0.1/16 dev docker0
ip link set docker0 up
ip link add veth1 type veth peer name eth0 netns c1
ip link set veth1 master docker0
ip link set veth1 up
ip link add veth2 type veth peer name eth0 netns c2
ip link set veth2 master docker0
ip link set veth2 up
ip -n c1 link set lo up
ip -n c1 addr add 172.17.0.2/16 dev eth0
ip -n c1 link set eth0 up
ip -n c1 route add default via 172.17.0.1
ip -n c2 link set lo up
ip -n c2 addr add 172.17.0.3/16 dev eth0
ip -n c2 link set eth0 up
ip -n c2 route add default via 172.17.0.1
iptables -A INPUT -i docker0 -p icmp -m conntrack --ctstate NEW -j ACCEPT
iptables -A INPUT -i docker0 -p icmp -j ACCEPT
iptables -t mangle -A PREROUTING -m physdev --physdev-in veth1 -p icmp -j ACCEPT
ebtables -A INPUT -p IPv4 -i veth1 -j ACCEPT
ip netns exec c1 ping -c 3 -i 0.01 172.17.0.1
iptables-save -c
conntrack -L
ebtables -L --Lc
