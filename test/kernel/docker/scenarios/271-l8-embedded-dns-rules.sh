# Docker 29: a container on a user-defined network gets the embedded DNS resolver's nat rules in its own namespace (DOCKER_OUTPUT DNAT 127.0.0.11:53 to the resolver's ports, DOCKER_POSTROUTING SNAT back to :53; tcp before udp); one on the default bridge gets none
# docker-version: 29.7
# The resolver itself lives in dockerd (not on the kernel side): the rules are compared, and a TCP
# connection to 127.0.0.11:53 walks them (DNAT to the resolver's TCP port, where nothing answers
# TCP on either side: one SYN, one RST). Name resolution through them is covered by the
# simulator's unit tests (test/unit/docker/dns.test.ts).
ip netns add wan
ip link add eth0 type veth peer name uplink netns wan
ip addr add 192.168.1.180/24 dev eth0
ip link set eth0 up
ip -n wan link set lo up
ip -n wan addr add 192.168.1.1/24 dev uplink
ip -n wan link set uplink up
ip route add default via 192.168.1.1
docker network create app
docker run -d --name a --network app busybox sleep 1d
docker run -d --name c busybox sleep 1d
ip netns exec a nc -z -w 1 127.0.0.11 53 || true
ip netns exec a iptables-save -c
ip netns exec a iptables -t nat -nvL
ip netns exec c iptables-save -c
iptables-save -c
ip netns exec a conntrack -L
