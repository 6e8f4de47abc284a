# Seed 001, experiment 3, rebuilt: a container pings a WAN address through MASQUERADE (same LOG
# rules). Captured once with the host's nf_log_all_netns=1; change the S4 prefixes before re-capturing.
# Kernel 6.18 logs forwarded packets at POSTROUTING with IN=<input device> and MAC= (ip_output
# passes skb->dev as indev). Tested in ../seed001.test.ts; differences from the seed: ../SEED001.md.
ip netns add wan
ip link add ens33 type veth peer name eth0 netns wan
ip link set ens33 address 00:0c:29:ec:1c:2d
ip -n wan link set eth0 address 00:50:56:f7:bd:36
ip addr add 192.168.0.10/24 dev ens33
ip link set ens33 up
ip -n wan addr add 192.168.0.2/24 dev eth0
ip -n wan addr add 114.114.114.114/32 dev lo
ip -n wan link set lo up
ip -n wan link set eth0 up
ip route add default via 192.168.0.2
sysctl -qw net.ipv4.ip_forward=1
iptables -t nat -A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE
ip netns add c1
ip netns add c2
ip link add docker0 type bridge
ip link set docker0 address 02:42:ff:e7:b5:d2
ip addr add 172.17.0.1/16 dev docker0
ip link set docker0 up
ip link add veth1 type veth peer name eth0 netns c1
ip link add veth2 type veth peer name eth0 netns c2
ip link set veth1 master docker0
ip link set veth2 master docker0
ip link set veth1 up
ip link set veth2 up
ip -n c1 link set eth0 address 02:42:ac:11:00:02
ip -n c2 link set eth0 address 02:42:ac:11:00:03
ip -n c1 addr add 172.17.0.2/16 dev eth0
ip -n c2 addr add 172.17.0.3/16 dev eth0
ip -n c1 link set eth0 up
ip -n c2 link set eth0 up
ip -n c1 route add default via 172.17.0.1
ip -n c2 route add default via 172.17.0.1
ebtables -t nat -I PREROUTING -p IPv4 --log --log-prefix 'S4eb/nat-PREROUTE' --log-level debug
ebtables -t nat -I OUTPUT -p IPv4 --log --log-prefix 'S4eb/nat-OUTPUT' --log-level debug
ebtables -t nat -I POSTROUTING -p IPv4 --log --log-prefix 'S4eb/nat-POSTROUTE' --log-level debug
ebtables -t filter -I INPUT -p IPv4 --log --log-prefix 'S4eb/filter-input' --log-level debug
ebtables -t filter -I OUTPUT -p IPv4 --log --log-prefix 'S4eb/filter-output' --log-level debug
ebtables -t filter -I FORWARD -p IPv4 --log --log-prefix 'S4eb/filter-forward' --log-level debug
iptables -t raw -I PREROUTING -p icmp -j LOG --log-prefix 'S4ipt/raw-PREROUTE' --log-level debug
iptables -t mangle -I PREROUTING -p icmp -j LOG --log-prefix 'S4ipt/mangle-PREROUTE' --log-level debug
iptables -t nat -I PREROUTING -p icmp -j LOG --log-prefix 'S4ipt/nat-PREROUTE' --log-level debug
iptables -t mangle -I FORWARD -p icmp -j LOG --log-prefix 'S4ipt/mangle-FORWARD' --log-level debug
iptables -t filter -I FORWARD -p icmp -j LOG --log-prefix 'S4ipt/filter-FORWARD' --log-level debug
iptables -t mangle -I INPUT -p icmp -j LOG --log-prefix 'S4ipt/mangle-INPUT' --log-level debug
iptables -t filter -I INPUT -p icmp -j LOG --log-prefix 'S4ipt/filter-INPUT' --log-level debug
iptables -t raw -I OUTPUT -p icmp -j LOG --log-prefix 'S4ipt/raw-OUTPUT' --log-level debug
iptables -t mangle -I OUTPUT -p icmp -j LOG --log-prefix 'S4ipt/mangle-OUTPUT' --log-level debug
iptables -t nat -I OUTPUT -p icmp -j LOG --log-prefix 'S4ipt/nat-OUTPUT' --log-level debug
iptables -t filter -I OUTPUT -p icmp -j LOG --log-prefix 'S4ipt/filter-OUTPUT' --log-level debug
iptables -t mangle -I POSTROUTING -p icmp -j LOG --log-prefix 'S4ipt/mangle-POSTROUTE' --log-level debug
iptables -t nat -I POSTROUTING -p icmp -j LOG --log-prefix 'S4ipt/nat-POSTROUTE' --log-level debug
ip netns exec c1 ping -c 1 114.114.114.114 > /dev/null
dmesg | grep -E "S4(eb|ipt)/"
