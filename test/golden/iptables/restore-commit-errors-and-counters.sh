t() { echo "\$ $*"; rc=0; "$@" 2>&1 || rc=$?; echo "rc=$rc"; }
t iptables-restore <<'R'
*filter
:A - [0:0]
:B - [0:0]
-A INPUT -j A
-A A -j B
-A B -j A
COMMIT
R
t iptables-restore <<'R'
*filter
-A INPUT -j DNAT --to-destination 1.2.3.4
COMMIT
R
t iptables-restore <<'R'
*filter
-A INPUT -j ACCEPT
-I INPUT 5 -j DROP
COMMIT
R
t iptables-restore -c <<'R'
*nat
:PREROUTING ACCEPT [3:180]
:POSTROUTING ACCEPT [0:0]
[7:420] -A PREROUTING -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.0.0.2:8080
COMMIT
R
iptables-save -c -t nat
t iptables-restore --noflush <<'R'
*nat
-A POSTROUTING -o eth0 -j MASQUERADE
COMMIT
R
iptables-save -c -t nat
t iptables-legacy-restore <<'R'
*filter
:A - [0:0]
:B - [0:0]
-A INPUT -j A
-A A -j B
-A B -j A
COMMIT
R
t iptables-legacy-restore <<'R'
*filter
-A INPUT -j DNAT --to-destination 1.2.3.4
COMMIT
R
t iptables-legacy-restore <<'R'
*filter
-A INPUT -j ACCEPT
-I INPUT 5 -j DROP
COMMIT
R
t iptables-legacy-restore -c <<'R'
*nat
:PREROUTING ACCEPT [3:180]
:POSTROUTING ACCEPT [0:0]
[7:420] -A PREROUTING -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.0.0.2:8080
COMMIT
R
iptables-legacy-save -c -t nat
t iptables-legacy-restore --noflush <<'R'
*nat
-A POSTROUTING -o eth0 -j MASQUERADE
COMMIT
R
iptables-legacy-save -c -t nat

