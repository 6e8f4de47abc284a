# Two busybox containers on docker0 (Docker 20.10, layout L3): the container's `ip addr`, `ip link`
# and `ip route` as busybox's ip applet prints them, with the ifindexes dockerd leaves (both veth
# ends made in the host, the container's end moved in: eth0 keeps the host's index), and busybox
# ping from one container to the other (seq from 0, busybox's statistics), as seed 001 shows.
# docker-version: 20.10
docker run -d --name c1 busybox sleep 1d
docker run -d --name c2 busybox sleep 1d
sleep 3
docker exec c1 ip addr
docker exec c2 ip link
docker exec c1 ip route
ip link show docker0
iptables -Z
docker exec c1 ping -c 2 172.17.0.3
docker exec c1 ping -c 1 -W 1 172.17.0.99 || true
iptables-save -c -t filter
