# LOG on every iptables table and chain (kernel 6.18): which IN=/OUT=/MAC= each hook prints for a
# forwarded packet (client -> server), a locally sent one (host -> server) and a locally received
# one (client -> host), replies included. Captured with the host's net.netfilter.nf_log_all_netns
# set to 1 for the run (then back to 0). dmesg is machine-wide: change the prefix pwR7 before
# re-capturing. The simulator runs the same script without the final sed (see log.test.ts).
ip netns add client
ip netns add server
ip link add veth-c type veth peer name eth0 netns client
ip link add veth-s type veth peer name eth0 netns server
ip link set veth-c address 02:00:00:00:01:01
ip link set veth-s address 02:00:00:00:02:01
ip -n client link set eth0 address 02:00:00:00:01:02
ip -n server link set eth0 address 02:00:00:00:02:02
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
sysctl -qw net.ipv4.ip_forward=1
for c in PREROUTING OUTPUT; do iptables -t raw -A $c -p icmp -j LOG --log-prefix "pwR7 raw/$c "; done
for c in PREROUTING INPUT FORWARD OUTPUT POSTROUTING; do iptables -t mangle -A $c -p icmp -j LOG --log-prefix "pwR7 mangle/$c "; done
for c in PREROUTING INPUT OUTPUT POSTROUTING; do iptables -t nat -A $c -p icmp -j LOG --log-prefix "pwR7 nat/$c "; done
for c in INPUT FORWARD OUTPUT; do iptables -t filter -A $c -p icmp -j LOG --log-prefix "pwR7 filter/$c "; done
ip netns exec client ping -c 1 203.0.113.2 > /dev/null
ping -c 1 203.0.113.2 > /dev/null
ip netns exec client ping -c 1 10.0.1.1 > /dev/null
dmesg | grep "pwR7" | sed 's/^\[[ 0-9.]*\] //'
