# Seed 003, written with docker commands: Docker 20.10.7 on a fresh VM, then nginx published on
# port 80 (`docker run --name nginx -p 80:80 -d nginx`).
# docker-version: 20.10.7
dockerd &
iptables -t nat -S
iptables -t filter -S
ip route show dev docker0
docker run --name nginx -p 80:80 -d nginx
iptables -t nat -S
iptables -t filter -S
