# REJECT (icmp-port-unreachable) of a forwarded SYN; the error walks OUTPUT
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
iptables -A FORWARD -m conntrack --ctstate INVALID -j DROP
iptables -A FORWARD -p tcp --dport 80 -j REJECT
iptables -A OUTPUT -p icmp --icmp-type destination-unreachable -j ACCEPT
ip netns exec client nc -z -w 1 203.0.113.2 80 || echo refused
sleep 1
iptables-save -c
conntrack -L
