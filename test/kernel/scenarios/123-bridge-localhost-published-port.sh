# The host reaches a container through 127.0.0.1:8080 (Docker without userland proxy): OUTPUT DNAT, route_localnet, MASQUERADE by --src-type LOCAL
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
sysctl -w net.ipv4.conf.docker0.route_localnet=1
iptables -t nat -N DOCKER
iptables -t nat -A OUTPUT -m addrtype --dst-type LOCAL -j DOCKER
iptables -t nat -A POSTROUTING -o docker0 -p tcp -m addrtype --src-type LOCAL -j MASQUERADE
iptables -t nat -A DOCKER -d 127.0.0.1/32 -p tcp --dport 8080 -j DNAT --to-destination 172.17.0.2:80
iptables -A OUTPUT -o docker0 -p tcp -j ACCEPT
iptables -A INPUT -i docker0 -p tcp -m conntrack --ctstate ESTABLISHED -j ACCEPT
ip netns exec c1 nc -l -k -p 80 &
sleep 1
nc -z 127.0.0.1 8080
sleep 1
iptables-save -c
conntrack -L
ebtables -L --Lc
