# nc -u to a closed UDP port exits as soon as the ICMP port unreachable reaches its connected
# socket (poll reports POLLERR), not after -w: with the router's UDP timeout at 3 s, the entry of
# the datagram is still listed right after `nc -u -w 5` returns (it would have expired had nc
# waited 5 s). With -v, nc first probes with "X" datagrams and gives up silently (status 1) when
# the second write fails with ECONNREFUSED: the line on stdin is never sent. -z -u without -v
# sends nothing at all. An administratively prohibited port (REJECT icmp-admin-prohibited: a hard
# error, but EHOSTUNREACH, not ECONNREFUSED) does not fail the probe: the write after each error
# fails and sends nothing, and an error still pending when the probe ends stops nc before it
# sends its stdin (-w 1: 2 datagrams; -w 2: 2 probes and the line).
# Topology: c1 172.17.0.2 -- veth0 [host 172.17.0.1 | 10.0.0.1] up0 -- wan 10.0.0.2 (nothing listens)
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
ip -n c1 route add default via 172.17.0.1
ip -n wan addr add 10.0.0.2/24 dev eth0
ip -n wan link set eth0 up
ip -n wan route add default via 10.0.0.1
sysctl -qw net.ipv4.ip_forward=1
iptables -A FORWARD -p udp -m conntrack --ctstate NEW
iptables -A FORWARD -p icmp -m conntrack --ctstate RELATED
sysctl -qw net.netfilter.nf_conntrack_udp_timeout=3
echo x | ip netns exec c1 nc -u -w 5 -p 4100 10.0.0.2 53 || echo "rc=$?"
conntrack -L
echo y | ip netns exec c1 nc -vu -w 5 -p 4101 10.0.0.2 54 || echo "rc=$?"
ip netns exec c1 nc -zu -w 5 -p 4102 10.0.0.2 55 || echo "rc=$?"
conntrack -L
ip netns exec wan iptables -A INPUT -p udp --dport 60 -j REJECT --reject-with icmp-admin-prohibited
echo z | ip netns exec c1 nc -vu -w 1 -p 4103 10.0.0.2 60 || echo "rc=$?"
echo z | ip netns exec c1 nc -vu -w 2 -p 4104 10.0.0.2 60 || echo "rc=$?"
iptables-save -c
ip netns exec wan iptables-save -c
