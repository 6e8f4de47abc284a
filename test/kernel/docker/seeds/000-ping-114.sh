# Seed 000, written with docker commands: a container on the default bridge pings
# 114.114.114.114 40 times after `iptables -Z` (Docker 20.10's rules, layout L3).
# docker-version: 20.10
ip netns add wan
ip link add eth0 type veth peer name uplink netns wan
ip addr add 192.168.1.180/24 dev eth0
ip link set eth0 up
ip -n wan link set lo up
ip -n wan addr add 192.168.1.1/24 dev uplink
ip -n wan link set uplink up
ip -n wan addr add 114.114.114.114/32 dev lo
ip route add default via 192.168.1.1
docker run -d --name simple1 busybox sleep 1d
iptables -Z
docker exec simple1 ping -c 40 -i 0.01 114.114.114.114 >/dev/null
iptables-save -c
