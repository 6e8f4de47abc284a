# Seed 000's shape: a loop of requests with sleeps, counted by iptables.
ip netns add c1
ip link add veth0 type veth peer name eth0 netns c1
ip addr add 172.17.0.1/16 dev veth0
ip link set veth0 up
ip -n c1 addr add 172.17.0.2/16 dev eth0
ip -n c1 link set eth0 up
ip -n c1 link set lo up
iptables -A INPUT -p icmp -j ACCEPT
for i in {1..2}; do
  ip netns exec c1 ping -c 1 172.17.0.1 | grep -c 'bytes from'
  sleep 2
done
iptables-save -c | grep -v '^#'
