# A veth whose peer has a smaller MTU refuses the frame: a locally sent ping gets ENOBUFS from sendmsg, and
# iputils sends the same probe again every interval while oom_count x min(interval/2, 500 ms) < -W, then prints
# "ping: sendmsg: No buffer space available" (every attempt crosses OUTPUT and POSTROUTING; the peer sees none).
# Topology: host v0 10.0.0.1 (mtu 1500) -- a v1 10.0.0.2 (mtu 1400)
ip netns add a
ip link add v0 type veth peer name v1 netns a
ip addr add 10.0.0.1/24 dev v0
ip link set v0 up
ip -n a addr add 10.0.0.2/24 dev v1
ip -n a link set v1 up
ip -n a link set v1 mtu 1400
iptables -A OUTPUT -p icmp
iptables -t mangle -A POSTROUTING -p icmp -o v0
ip netns exec a iptables -t raw -A PREROUTING -p icmp
ping -c 1 -W 1 10.0.0.2
ping -c 1 -W 1 -s 1377 10.0.0.2 || echo rc=$?
ping -c 2 -W 2 -s 1377 10.0.0.2 || echo rc=$?
ping -c 3 -i 0.2 -W 1 -s 1377 10.0.0.2 || echo rc=$?
ping -c 1 -W 1 -s 1376 10.0.0.2
ping -c 1 -W 1 -s 3000 10.0.0.2 || echo rc=$?
iptables-save -c
ip netns exec a iptables-save -c
