# A container reaches another one through a port published on the bridge address: DNAT, then routed back onto docker0
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
sysctl -w net.ipv4.ip_forward=1
iptables -t nat -A PREROUTING -d 172.17.0.1 -p tcp --dport 8080 -j DNAT --to-destination 172.17.0.3:80
iptables -t nat -A PREROUTING -d 172.17.0.1 -p icmp -j DNAT --to-destination 172.17.0.3
iptables -A FORWARD -i docker0 -o docker0 -m physdev --physdev-is-bridged -j ACCEPT
iptables -A FORWARD -i docker0 -o docker0 -j ACCEPT
iptables -A INPUT -i docker0 -j ACCEPT
ebtables -A INPUT -p IPv4 -j ACCEPT
ebtables -A FORWARD -p IPv4 -j ACCEPT
ip netns exec c2 nc -l -k -p 80 &
sleep 1
ip netns exec c1 nc -z 172.17.0.1 8080
ip netns exec c1 ping -c 2 -i 0.01 172.17.0.1
sleep 1
iptables-save -c
conntrack -L
ebtables -L --Lc
