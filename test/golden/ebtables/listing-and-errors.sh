t() { echo "\$ $*"; rc=0; "$@" 2>&1 || rc=$?; echo "rc=$rc"; }
ebtables -L
ebtables -t nat -L
t ebtables -t broute -L
t ebtables -A FORWARD -p IPv4 -i veth0 -o veth1 -j ACCEPT
t ebtables -A FORWARD -p ! IPv4 -j DROP
t ebtables -A FORWARD -p ARP -s 02:42:ac:11:00:02 -d ff:ff:ff:ff:ff:ff -j CONTINUE
t ebtables -A FORWARD -s 02:42:ac:11:00:00/ff:ff:ff:ff:00:00 -j RETURN
t ebtables -A FORWARD -p 0x0800 --ip-src 172.17.0.2 --ip-dst 172.17.0.0/16 --ip-proto icmp -j ACCEPT
t ebtables -A FORWARD -p IPv4 --ip-proto tcp -j ACCEPT
t ebtables -A FORWARD --logical-in docker0 --logical-out br0 -j ACCEPT
t ebtables -A FORWARD --log --log-prefix "FWD" --log-level info --log-ip -j ACCEPT
t ebtables -A FORWARD --log-prefix "X" --log -j CONTINUE
t ebtables -A INPUT --log -j ACCEPT
t ebtables -A INPUT -i ! eth0 -j ACCEPT
t ebtables -N MYCHAIN
t ebtables -A MYCHAIN -j RETURN
t ebtables -A INPUT -j MYCHAIN
t ebtables -P FORWARD DROP
t ebtables -t nat -A PREROUTING -p IPv4 -j ACCEPT
t ebtables -t broute -A BROUTING -p IPv4 -j ACCEPT
ebtables -L
ebtables -L --Lc
ebtables -L --Ln
ebtables -L --Ln --Lc
ebtables -L FORWARD
ebtables -t nat -L
t ebtables -t broute -L
ebtables-save
ebtables-save -c 2>&1 || true
t ebtables -Z
t ebtables -D FORWARD 1
t ebtables -D FORWARD -p IPv4 --ip-proto tcp -j ACCEPT
t ebtables -D FORWARD -p IPv4 --ip-proto udp -j ACCEPT
t ebtables -I FORWARD 2 -j DROP
t ebtables -A NOPE -j ACCEPT
t ebtables -A FORWARD -j NOPE
t ebtables -A FORWARD -s zz -j ACCEPT
t ebtables -A FORWARD --foo -j ACCEPT
t ebtables -t foo -L
t ebtables -P FORWARD FOO
t ebtables -X MYCHAIN
t ebtables -F
ebtables -L
t ebtables -X MYCHAIN
ebtables -L
