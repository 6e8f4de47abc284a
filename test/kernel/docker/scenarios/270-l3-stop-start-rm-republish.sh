# Docker 20.10: stop, start, rm -f and a new container on the same published port; each stop/rm kills the docker-proxy and deletes the port's rules, so the last proxy can listen on 8080 and the host fetches the page through it
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
docker run -d --name web -p 8080:80 nginx
sleep 1
docker stop web
docker start web
sleep 1
docker rm -f web
docker run -d --name web2 -p 8080:80 nginx
# docker-proxy and the image's server take a moment to start on the real kernel.
sleep 3
curl -s -o /dev/null http://127.0.0.1:8080/
sleep 2
iptables-save -c
conntrack -L
