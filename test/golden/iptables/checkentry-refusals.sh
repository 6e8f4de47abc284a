t() { echo "\$ $*"; rc=0; "$@" 2>&1 || rc=$?; echo "rc=$rc"; }
t iptables -A INPUT -j REJECT --reject-with tcp-reset
t iptables -A INPUT ! -p tcp -j REJECT --reject-with tcp-reset
t iptables -I INPUT -p udp -j REJECT --reject-with tcp-rst
t iptables -A INPUT -p tcp -j REJECT --reject-with tcp-reset
t iptables -R INPUT 1 -j REJECT --reject-with tcp-reset
t iptables -t mangle -A INPUT -j REJECT
t iptables -t nat -A PREROUTING -j REJECT --reject-with tcp-reset
t iptables -A INPUT -j CONNMARK --set-mark 1
t iptables -A INPUT -j NOTRACK
t iptables -t nat -A PREROUTING -j MASQUERADE
t iptables -t nat -N D
t iptables -t nat -A D -j MASQUERADE
t iptables -t nat -A PREROUTING -j D
t iptables -N C
t iptables -R INPUT 1 -j C
t iptables -R INPUT 1 -j INPUT
t iptables -S
t iptables-restore <<'EOF2'
*filter
-A FORWARD -j REJECT --reject-with tcp-reset
COMMIT
EOF2
t iptables-legacy -A INPUT -j REJECT --reject-with tcp-reset
t iptables-legacy -A INPUT ! -p tcp -j REJECT --reject-with tcp-reset
t iptables-legacy -I INPUT -p udp -j REJECT --reject-with tcp-rst
t iptables-legacy -A INPUT -p tcp -j REJECT --reject-with tcp-reset
t iptables-legacy -R INPUT 1 -j REJECT --reject-with tcp-reset
t iptables-legacy -t mangle -A INPUT -j REJECT
t iptables-legacy -t nat -A PREROUTING -j REJECT --reject-with tcp-reset
t iptables-legacy -A INPUT -j CONNMARK --set-mark 1
t iptables-legacy -A INPUT -j NOTRACK
t iptables-legacy -t nat -A PREROUTING -j MASQUERADE
t iptables-legacy -t nat -N D
t iptables-legacy -t nat -A D -j MASQUERADE
t iptables-legacy -t nat -A PREROUTING -j D
t iptables-legacy -N C
t iptables-legacy -R INPUT 1 -j C
t iptables-legacy -R INPUT 1 -j INPUT
t iptables-legacy -S
t iptables-legacy-restore <<'EOF2'
*filter
-A FORWARD -j REJECT --reject-with tcp-reset
COMMIT
EOF2
