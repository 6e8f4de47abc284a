# Docker 29: a rule in DOCKER-USER drops an external host's datagrams to a published port (after DNAT: it sees the container's address and port)
# docker-version: 29.7
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
docker run -d --name web -p 8080:80 -p 5353:53/udp busybox sleep 1d
# The admin's own rule: the LAN router may not reach published ports (DOCKER-USER runs first).
iptables -I DOCKER-USER -i eth0 -s 192.168.1.1 -j DROP
sleep 1
# One datagram to the published UDP port: DNAT, then dropped in DOCKER-USER.
echo hello | ip netns exec wan nc -u -w 1 192.168.1.180 5353 || true
ip netns exec wan ping -c 1 -W 1 114.114.114.114 >/dev/null
sleep 2
iptables-save -c
conntrack -L
