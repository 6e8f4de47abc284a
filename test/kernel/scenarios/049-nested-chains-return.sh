# Nested user chains three deep, RETURN at each level, RETURN in a built-in chain (the policy decides)
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
iptables -N L1
iptables -N L2
iptables -N L3
iptables -P FORWARD DROP
iptables -A FORWARD -p icmp -j L1
iptables -A FORWARD -p icmp --icmp-type echo-reply -j RETURN
iptables -A FORWARD -p icmp -j ACCEPT
iptables -A L1 -j L2
iptables -A L1 -p icmp --icmp-type echo-request
iptables -A L2 -s 203.0.113.2 -j RETURN
iptables -A L2 -j L3
iptables -A L2 -p icmp
iptables -A L3 -d 203.0.113.2 -j RETURN
iptables -A L3 -j DROP
ip netns exec client ping -c 2 -i 0.01 -W 1 203.0.113.2 || true
ip netns exec server ping -c 1 -W 1 10.0.1.2 || true
iptables-save -c
conntrack -L
