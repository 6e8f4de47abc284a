# Seed 004: a compose-style network with caddy publishing 8081:80; an external host fetches the page (20.10)
# docker-version: 20.10
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
docker run -dit --name debian --rm debian:buster sleep 1000000
docker network create -o com.docker.network.bridge.name=br-ac3e0514d837 caddy-1
docker run -d --name caddy --network caddy-1 -p 8081:80 caddy:2.2.1-alpine caddy file-server --browse --root /data/static
# The image's server takes a moment to start on the real kernel.
sleep 3
ip netns exec wan curl -s -o /dev/null http://192.168.1.180:8081/
sleep 2
iptables-save -c
conntrack -L
