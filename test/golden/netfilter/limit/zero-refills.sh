# xt_limit after -Z (kernel 6.18): iptables-legacy -Z commits the whole table and iptables-nft -Z
# replaces each rule to zero its counter, so with either the bucket is full again (1 match after).
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
iptables -t nat -A POSTROUTING -o veth-s -p tcp -j MASQUERADE
iptables-legacy -A INPUT -p icmp -m limit --limit 1/min --limit-burst 1 -j ACCEPT
iptables -A OUTPUT -p icmp -m limit --limit 1/min --limit-burst 1 -j ACCEPT
ip netns exec client ping -c 2 -i 0.01 10.0.1.1 > /dev/null
iptables-legacy -Z
iptables -Z
ip netns exec client ping -c 2 -i 0.01 10.0.1.1 > /dev/null
iptables-legacy-save -c | grep limit
iptables-save -c | grep limit
