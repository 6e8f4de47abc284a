# Docker 28.0.0 (layout L4): isolation between two bridges, both in docker-ext-bridges-v4
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
docker run -d --name c1 busybox sleep 1d
docker network create app
docker run -d --name c2 --network app busybox sleep 1d
docker exec c2 ping -c 2 -i 0.2 -W 1 172.17.0.2 || true
docker exec c1 ping -c 1 114.114.114.114
sleep 2
iptables-save -c
conntrack -L
