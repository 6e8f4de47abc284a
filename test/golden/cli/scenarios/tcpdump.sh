# tcpdump in the background with a filter; the summary comes when the job is killed.
ip netns add a
ip link add v0 type veth peer name v1 netns a
ip addr add 10.0.0.1/24 dev v0; ip link set v0 up
ip -n a addr add 10.0.0.2/24 dev v1; ip -n a link set v1 up
tcpdump -i v0 -n 'tcp port 80 or icmp' &
tcpdump -i v0 -n -e -c 1 &
ping -c 2 -i 0.5 10.0.0.2 >/dev/null
ip netns exec a nc -l -k -p 80 &
nc -z -w 1 10.0.0.2 80 && echo open
nc -z -w 1 10.0.0.2 81 || echo closed
kill %1
echo done
