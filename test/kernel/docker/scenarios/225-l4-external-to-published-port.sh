# Docker 28.0.0 (layout L4): an external host reaches a published port through
# -m set --match-set docker-ext-bridges-v4 dst -j DOCKER and the raw direct-access DROP
# Nothing listens on the container's port: each probe is a SYN answered by a RST, so the
# packet counts do not depend on how fast two programs close a connection.
# docker-version: 28.0.0
# The host: eth0 192.168.1.180 on a LAN whose router "wan" (192.168.1.1) also answers for the
# internet (114.114.114.114, 8.8.8.8 on its lo) and plays the external client.
ip netns add wan
ip link add eth0 type veth peer name uplink netns wan
ip addr add 192.168.1.180/24 dev eth0
ip link set eth0 up
ip -n wan link set lo up
ip -n wan addr add 192.168.1.1/24 dev uplink
ip -n wan link set uplink up
ip -n wan addr add 114.114.114.114/32 dev lo
ip -n wan addr add 8.8.8.8/32 dev lo
ip route add default via 192.168.1.1
docker run -d --name web -p 8080:80 busybox sleep 1d
sleep 1
ip netns exec wan nc -z -w 2 192.168.1.180 8080 || true
ip netns exec wan ip route add 172.17.0.0/16 via 192.168.1.180
# The direct probe is dropped in raw PREROUTING, so its SYN is retransmitted: by default at 1, 2,
# 3, 4 and 5 s (tcp_syn_linear_timeouts=4 keeps the 1 s RTO), so any whole-second nc -w races a
# retransmission (-w 1 and -w 2 each counted one SYN more on a loaded machine). With linear
# timeouts off in wan the SYNs go at 0, 1 and 3 s: -w 2 gives up a second away from either, so
# the DROP counts 2 on any machine.
ip netns exec wan sysctl -q -w net.ipv4.tcp_syn_linear_timeouts=0
ip netns exec wan nc -z -w 2 172.17.0.2 80 || true
sleep 2
iptables-save -c
conntrack -L
