# args: --world docker-host --docker-version 20.10
# Seed 000, experiment 2: a container fetches a web page twice; each fetch is one DNS query and
# one SYN through MASQUERADE (the nat table sees only a flow's first packet): [4:238].
docker run -d --name c1 busybox sleep 1d >/dev/null
iptables -Z
docker exec c1 sh -c 'for i in {1..2}; do wget -q -O /dev/null http://www.baidu.com; sleep 2; done'
iptables-save -c -t nat | grep MASQUERADE
