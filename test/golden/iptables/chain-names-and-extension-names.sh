t() { echo "\$ $*"; rc=0; "$@" 2>&1 || rc=$?; echo "rc=$rc"; }
t iptables -N LOG
t iptables -N NFLOG
t iptables -N MASQUERADE
t iptables -N recent
t iptables -A INPUT -j FOOBAR
t iptables -A INPUT -m foobar
t iptables -S
t iptables-legacy -N LOG
t iptables-legacy -N NFLOG
t iptables-legacy -N MASQUERADE
t iptables-legacy -N recent
t iptables-legacy -A INPUT -j FOOBAR
t iptables-legacy -A INPUT -m foobar
t iptables-legacy -S
