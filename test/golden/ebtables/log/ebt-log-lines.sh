# ebt_log lines (--log, --log-ip) for bridged ICMP and UDP. Captured with the host's
# net.netfilter.nf_log_all_netns set to 1 for the run (then back to 0): the kernel logs from a
# non-initial namespace only then. The simulator runs it in its host namespace, where logging is on.
# dmesg is machine-wide and keeps earlier runs: change the two prefixes before re-capturing.
ip netns add c1
ip netns add c2
ip link add br0 type bridge
ip link set br0 up
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
sysctl -qw net.bridge.bridge-nf-call-iptables=0
ebtables -A FORWARD -p IPv4 --log --log-prefix "pwLogF" --log-level debug --log-ip -j ACCEPT
ebtables -t nat -A PREROUTING -p IPv4 --log --log-prefix "pwLogP" -j ACCEPT
ip netns exec c1 ping -c 1 172.18.0.3 > /dev/null
ip netns exec c2 nc -u -l -p 5353 &
sleep 0.2
echo hi | ip netns exec c1 nc -u -w 1 172.18.0.3 5353 || true
dmesg | grep -E "pwLog[FP]" | sed 's/^\[[ 0-9.]*\] //'
