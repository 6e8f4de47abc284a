t() { echo "\$ $*"; rc=0; "$@" 2>&1 || rc=$?; echo "rc=$rc"; }
t iptables-save -t raw
t iptables -t raw -S
t iptables -t nat -F
t iptables -t nat -X
t iptables -t nat -Z
t iptables -t mangle -nvL
iptables-save
t iptables-legacy-save -t raw
t iptables-legacy -t mangle -F
iptables-legacy-save
t iptables -v -A INPUT -s 1.2.3.4 -j ACCEPT
t iptables -P FORWARD DROP
t iptables -nvL FORWARD
t iptables -N Y
t iptables -A INPUT -j Y
t iptables -E Y Z
iptables -S
