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
# The direct probe is dropped in raw PREROUTING: the SYN is sent at 0 s and retransmitted at
# 1 s (the initial RTO). -w 2 sits between the retransmissions (1 s and 3 s), so the count is
# 2 on any machine; -w 1 raced the first retransmission and gave 1 or 2.
ip netns exec wan nc -z -w 2 172.17.0.2 80 || true
sleep 2
iptables-save -c
conntrack -L
