# LOG on every iptables table and chain with bridge-nf-call-iptables=0 (kernel 6.18): bridged
# packets skip iptables entirely (c1 -> c2 logs nothing); the others as in bridged-every-chain.sh:
# IN=/OUT=/PHYSIN=/PHYSOUT=/MAC= for a bridged packet (c1 -> c2), a packet routed out of the
# bridge and back (c1 -> server), one the host receives from the bridge (c1 -> host) and one it
# sends into it (host -> c2). Captured with the host's net.netfilter.nf_log_all_netns set to 1
# for the run (then back to 0). dmesg is machine-wide: change the prefix pwN7 before re-capturing.
ip netns add c1
ip netns add c2
ip netns add server
ip link add br0 type bridge
ip link set br0 address 02:00:00:00:00:01
ip link set br0 up
ip addr add 172.18.0.1/16 dev br0
ip link add veth1 type veth peer name eth0 netns c1
ip link add veth2 type veth peer name eth0 netns c2
ip link set veth1 master br0
ip link set veth2 master br0
ip link set veth1 up
ip link set veth2 up
ip -n c1 link set eth0 address 02:42:ac:12:00:02
ip -n c2 link set eth0 address 02:42:ac:12:00:03
ip -n c1 addr add 172.18.0.2/16 dev eth0
ip -n c2 addr add 172.18.0.3/16 dev eth0
ip -n c1 link set eth0 up
ip -n c2 link set eth0 up
ip -n c1 route add default via 172.18.0.1
ip link add veth-s type veth peer name eth0 netns server
ip link set veth-s address 02:00:00:00:02:01
ip -n server link set eth0 address 02:00:00:00:02:02
ip addr add 203.0.113.1/24 dev veth-s
ip link set veth-s up
ip -n server addr add 203.0.113.2/24 dev eth0
ip -n server link set eth0 up
ip -n server route add default via 203.0.113.1
sysctl -qw net.ipv4.ip_forward=1
sysctl -qw net.bridge.bridge-nf-call-iptables=0
for c in PREROUTING OUTPUT; do iptables -t raw -A $c -p icmp -j LOG --log-prefix "pwN7 raw/$c "; done
for c in PREROUTING INPUT FORWARD OUTPUT POSTROUTING; do iptables -t mangle -A $c -p icmp -j LOG --log-prefix "pwN7 mangle/$c "; done
for c in PREROUTING INPUT OUTPUT POSTROUTING; do iptables -t nat -A $c -p icmp -j LOG --log-prefix "pwN7 nat/$c "; done
for c in INPUT FORWARD OUTPUT; do iptables -t filter -A $c -p icmp -j LOG --log-prefix "pwN7 filter/$c "; done
ip netns exec c1 ping -c 1 172.18.0.3 > /dev/null
ip netns exec c1 ping -c 1 203.0.113.2 > /dev/null
ip netns exec c1 ping -c 1 172.18.0.1 > /dev/null
ping -c 1 172.18.0.3 > /dev/null
dmesg | grep "pwN7" | sed 's/^\[[ 0-9.]*\] //'
