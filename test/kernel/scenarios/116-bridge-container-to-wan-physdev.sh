# Routed traffic from a bridge port keeps PHYSIN in FORWARD (physdev), MASQUERADE to the uplink
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
ip netns add inet
ip link add eth0 type veth peer name eth0 netns inet
ip addr add 192.168.1.10/24 dev eth0
ip link set eth0 up
ip -n inet link set lo up
ip -n inet addr add 192.168.1.1/24 dev eth0
ip -n inet addr add 198.51.100.7/32 dev lo
ip -n inet link set eth0 up
ip route add default via 192.168.1.1
sysctl -w net.ipv4.ip_forward=1
iptables -t nat -A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE
iptables -A FORWARD -m physdev --physdev-in veth1 -j ACCEPT
iptables -A FORWARD -m physdev --physdev-out veth1 -j ACCEPT
iptables -A FORWARD -o docker0 -j ACCEPT
ebtables -A INPUT -p IPv4 --ip-dst 198.51.100.7 -j ACCEPT
ebtables -A OUTPUT -p IPv4 --ip-src 198.51.100.7 -j ACCEPT
ip netns exec c1 ping -c 3 -i 0.01 198.51.100.7
ip netns exec c2 ping -c 2 -i 0.01 198.51.100.7
iptables-save -c
conntrack -L
ebtables -L --Lc
