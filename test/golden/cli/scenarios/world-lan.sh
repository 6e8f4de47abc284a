# packetwalk run --world lan: the host on a LAN, the internet behind the gateway.
ip -4 -br addr
ip route
ping -c 1 8.8.8.8
ip netns exec lanhost ping -c 1 192.168.1.180 | tail -2
