# An alpine container pings the WAN (Docker 29, layout L8): busybox ping's output, and the
# container's `ip addr` with the ifindex Docker 28+ gives (the container's end made in the
# container's namespace: 2: eth0@ifN) and no IPv6 on eth0 (from 26.1 dockerd sets disable_ipv6 on an
# interface of an IPv4-only network); docker0 keeps the random MAC dockerd gives it.
# docker-version: 29.0
ip netns add wan
ip link add eth0 type veth peer name uplink netns wan
ip addr add 192.168.1.180/24 dev eth0
ip link set eth0 up
ip -n wan link set lo up
ip -n wan addr add 192.168.1.1/24 dev uplink
ip -n wan link set uplink up
ip -n wan addr add 114.114.114.114/32 dev lo
ip route add default via 192.168.1.1
docker run -d --name c1 alpine sleep 1d
sleep 3
ip link show docker0
docker exec c1 ip addr
docker exec c1 ip -4 addr show eth0
iptables -Z
docker exec c1 ping -c 3 -i 0.2 114.114.114.114
docker exec c1 ping -q -c 2 -i 0.2 114.114.114.114
iptables-save -c -t nat
