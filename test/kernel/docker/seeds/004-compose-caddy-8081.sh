# Seed 004, written with docker commands: a debian and an nginx container on the default bridge,
# then docker-compose's network `caddy-1` (its bridge br-ac3e0514d837) with caddy publishing 8081:80.
# docker-version: 20.10
docker run -dit --name debian --rm debian:buster sleep 1000000
docker run -dit --name nginx --rm nginx:1.19-alpine
docker network create -o com.docker.network.bridge.name=br-ac3e0514d837 caddy-1
docker run -d --name caddy --network caddy-1 -p 8081:80 caddy:2.2.1-alpine caddy file-server --browse --root /data/static
docker inspect caddy | grep '"IPAddress": "172'
ip route show dev br-ac3e0514d837
iptables -t nat -S
iptables -t filter -S
