# IPv4 fragmentation without conntrack: the sender's OUTPUT/POSTROUTING and the receiver's INPUT count whole
# datagrams (fragmented after POSTROUTING, reassembled before INPUT); the router counts every fragment, and
# only the first fragment carries the ICMP header (--icmp-type never matches the others; -f matches only those).
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
iptables -t raw -A PREROUTING -p icmp
iptables -A FORWARD -p icmp --icmp-type echo-request
iptables -A FORWARD -p icmp --icmp-type echo-reply
iptables -A FORWARD -p icmp -f
iptables -A FORWARD -p icmp ! -f
iptables -A FORWARD -p icmp -j ACCEPT
iptables -t mangle -A POSTROUTING -p icmp
ip netns exec c1 iptables -A OUTPUT -p icmp
ip netns exec c1 iptables -A INPUT -p icmp
ip netns exec c1 iptables -t mangle -A POSTROUTING -p icmp
ip netns exec wan iptables -t raw -A PREROUTING -p icmp
ip netns exec wan iptables -A INPUT -p icmp
ip netns exec wan iptables -A OUTPUT -p icmp
ip netns exec c1 ping -c 2 -s 3000 10.0.0.2
ip netns exec c1 ping -c 1 -s 1472 10.0.0.2
ip netns exec c1 ping -c 1 -s 1473 10.0.0.2
ip netns exec wan ping -c 1 -s 5000 172.17.0.2
iptables-save -c
ip netns exec c1 iptables-save -c
ip netns exec wan iptables-save -c
