# A smaller MTU on the way: a DF datagram gets ICMP frag-needed from the router (mtu = 1400, counted in the
# router's OUTPUT, before FORWARD); the sender learns the path MTU and fragments its next datagrams itself
# (iputils ping: IP_PMTUDISC_WANT), also in a later ping; the receiver's replies (no DF) are cut at its MTU.
# Topology: c1 172.17.0.2 -- (veth0 172.17.0.1, mtu 1500) host (up0 10.0.0.1, mtu 1400) -- wan 10.0.0.2 (mtu 1400)
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
ip link set up0 mtu 1400
ip -n wan link set eth0 mtu 1400
iptables -A FORWARD -p icmp
iptables -A FORWARD -p icmp --icmp-type echo-request
iptables -A OUTPUT -p icmp
iptables -A OUTPUT -p icmp --icmp-type fragmentation-needed
iptables -A INPUT -p icmp
ip netns exec c1 iptables -A INPUT -p icmp --icmp-type fragmentation-needed
ip netns exec c1 iptables -A OUTPUT -p icmp
ip netns exec wan iptables -t raw -A PREROUTING -p icmp
ip netns exec wan iptables -A OUTPUT -p icmp
ip netns exec c1 ping -c 2 -s 1450 10.0.0.2 || echo rc=$?
ip netns exec c1 ping -c 2 -s 1450 10.0.0.2 || echo rc=$?
ip netns exec c1 ping -c 2 -s 1300 10.0.0.2
ip netns exec c1 ping -c 1 -s 1372 10.0.0.2
ip netns exec c1 ping -c 1 -s 1373 10.0.0.2
ip netns exec wan ping -c 1 -s 1450 172.17.0.2
ip link show up0
ip -n wan addr show eth0
iptables-save -c
ip netns exec c1 iptables-save -c
ip netns exec wan iptables-save -c
