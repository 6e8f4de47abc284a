# The per-run file system: save rules to a file, flush, restore them from it.
iptables -N WEB
iptables -A INPUT -p tcp --dport 80 -j WEB
iptables -A WEB -s 10.0.0.0/8 -j ACCEPT
iptables-save > rules.v4
iptables -F; iptables -X
iptables -S
iptables-restore < rules.v4
iptables -S
iptables-restore <<'EOF2'
*filter
:INPUT ACCEPT [0:0]
-A INPUT -i lo -j ACCEPT
COMMIT
EOF2
iptables -S INPUT
