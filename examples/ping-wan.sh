# Seed 000's first experiment: a container pings a public address 40 times through Docker
# 20.10's rules. Run it with the ready-made Docker host:
#   npx packetwalk run --world docker-host --docker-version 20.10 examples/ping-wan.sh
docker run -d --name c1 busybox sleep 1d
iptables -Z
iptables -t nat -Z
docker exec c1 ping -c 40 -q 114.114.114.114
iptables-save -c -t filter
iptables-save -c -t nat
conntrack -L
