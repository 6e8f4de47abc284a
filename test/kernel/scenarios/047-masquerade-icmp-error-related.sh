# An ICMP error for a masqueraded UDP flow is RELATED and its inner header is un-NATed
# Topology: client 10.0.1.2 -- (veth-c 10.0.1.1) host (veth-s 203.0.113.1) -- server 203.0.113.2
ip netns add client
ip netns add server
ip link add veth-c type veth peer name eth0 netns client
ip link add veth-s type veth peer name eth0 netns server
ip addr add 10.0.1.1/24 dev veth-c
ip addr add 203.0.113.1/24 dev veth-s
ip link set veth-c up
ip link set veth-s up
ip -n client link set lo up
ip -n client addr add 10.0.1.2/24 dev eth0
ip -n client link set eth0 up
ip -n client route add default via 10.0.1.1
ip -n server link set lo up
ip -n server addr add 203.0.113.2/24 dev eth0
ip -n server link set eth0 up
ip -n server route add default via 203.0.113.1
sysctl -w net.ipv4.ip_forward=1
iptables -t nat -A POSTROUTING -o veth-s -j MASQUERADE
iptables -A FORWARD -p udp -m conntrack --ctstate NEW -j ACCEPT
iptables -A FORWARD -p icmp -m conntrack --ctstate RELATED -j ACCEPT
iptables -A FORWARD -p icmp -m conntrack --ctstate RELATED -d 10.0.1.2 -j ACCEPT
echo x | ip netns exec client nc -u -w 1 -p 4011 203.0.113.2 5400 || echo refused
sleep 1
iptables-save -c
conntrack -L
