# args: --world docker-host --docker-version 20.10
# Seed 000, experiment 1: a container pings 114.114.114.114 forty times through Docker 20.10's rules.
docker run -d --name c1 busybox sleep 1d >/dev/null
iptables -Z
docker exec c1 ping -c 40 -i 0.01 114.114.114.114 | tail -2
iptables-save -c -t filter | grep -E "^\[" 
iptables-save -c -t nat | grep MASQUERADE
