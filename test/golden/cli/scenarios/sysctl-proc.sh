# sysctl and /proc/sys are the same keys.
sysctl net.ipv4.ip_forward
echo 1 > /proc/sys/net/ipv4/ip_forward
sysctl -n net.ipv4.ip_forward
sysctl -w net.ipv4.conf.all.route_localnet=1 >/dev/null
cat /proc/sys/net/ipv4/conf/all/route_localnet
sysctl -w net.ipv4.nope=1 || echo "status $?"
