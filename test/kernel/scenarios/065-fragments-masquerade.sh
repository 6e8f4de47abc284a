# Fragments through MASQUERADE (Docker's outbound NAT): conntrack is in use, so the router reassembles, NATs and counts the
# whole datagram, and sends it on cut as it came; the server and the client see fragments with the translated addresses.
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
iptables -t nat -A POSTROUTING -s 172.17.0.0/16 ! -o veth0 -j MASQUERADE
iptables -A FORWARD -o up0 -p icmp
iptables -A FORWARD -i up0 -m conntrack --ctstate RELATED,ESTABLISHED -p icmp
iptables -A FORWARD -p icmp -f
iptables -t mangle -A POSTROUTING -p icmp
ip netns exec wan iptables -t raw -A PREROUTING -p icmp -s 10.0.0.1
ip netns exec wan iptables -A INPUT -p icmp -s 10.0.0.1
ip netns exec c1 iptables -t raw -A PREROUTING -p icmp -s 10.0.0.2
ip netns exec c1 ping -c 2 -s 4000 10.0.0.2
ip netns exec c1 ping -c 1 -s 1000 10.0.0.2
iptables-save -c
ip netns exec wan iptables-save -c
ip netns exec c1 iptables-save -c
conntrack -L
