t() { echo "\$ $*"; rc=0; "$@" 2>&1 || rc=$?; echo "rc=$rc"; }
t iptables -A INPUT -m iprange --src-range 10.0.0.5-10.0.0.1 -j ACCEPT
t iptables -A INPUT -m iprange ! --src-range 200.0.0.5-10.0.0.1 --dst-range 1.1.1.9-1.1.1.1 -j ACCEPT
t iptables -A INPUT -m iprange --src-range 10.0.0.1-200.0.0.1 --dst-range 1.1.1.1-1.1.1.1 -j ACCEPT
t iptables -D INPUT -m iprange --src-range 10.0.0.5-10.0.0.1 -j ACCEPT
t iptables -S INPUT
t iptables -L INPUT -n
t iptables-restore --noflush <<'EOF2'
*filter
-A INPUT -m iprange --dst-range 10.0.0.9-10.0.0.8 -j DROP
COMMIT
EOF2
t iptables-legacy -A INPUT -m iprange --src-range 10.0.0.5-10.0.0.1 -j ACCEPT
t iptables-legacy -A INPUT -m iprange ! --src-range 200.0.0.5-10.0.0.1 --dst-range 1.1.1.9-1.1.1.1 -j ACCEPT
t iptables-legacy -S INPUT
t iptables-legacy -L INPUT -n
