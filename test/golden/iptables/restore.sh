t() { echo "\$ $*"; rc=0; "$@" 2>&1 || rc=$?; echo "rc=$rc"; }
echo "=== iptables"
t iptables-restore <<'R'
*filter
-A INPUT -j ACCEPT
R
t iptables-restore <<'R'
*filter
-A INPUT -j ACCEPT
COMMIT
*nat
-A FOO -j ACCEPT
COMMIT
R
t iptables-restore <<'R'
*filter
:INPUT ACCEPT [0:0]
-A INPUT -s 1.2.3.400 -j ACCEPT
COMMIT
R
t iptables-restore <<'R'
-A INPUT -j ACCEPT
R
t iptables-restore <<'R'
*filter
*nat
COMMIT
R
t iptables-restore <<'R'
*foo
COMMIT
R
t iptables-restore <<'R'
*filter
:INPUT FOO [0:0]
COMMIT
R
t iptables-restore <<'R'
*filter
:X - [0:0]
-A INPUT -j X
-A X -j Y
COMMIT
R
t iptables-restore --test <<'R'
*filter
-A INPUT -j ACCEPT
COMMIT
R
t iptables-restore <<'R'
*filter
junk
COMMIT
R
t iptables-restore --noflush <<'R'
*filter
:X - [0:0]
-A INPUT -j X
COMMIT
R
t iptables-restore --noflush <<'R'
*filter
:X - [0:0]
COMMIT
R
iptables-save -c

echo "=== iptables-legacy"
t iptables-legacy-restore <<'R'
*filter
-A INPUT -j ACCEPT
R
t iptables-legacy-restore <<'R'
*filter
-A INPUT -j ACCEPT
COMMIT
*nat
-A FOO -j ACCEPT
COMMIT
R
t iptables-legacy-restore <<'R'
*filter
:INPUT ACCEPT [0:0]
-A INPUT -s 1.2.3.400 -j ACCEPT
COMMIT
R
t iptables-legacy-restore <<'R'
-A INPUT -j ACCEPT
R
t iptables-legacy-restore <<'R'
*filter
*nat
COMMIT
R
t iptables-legacy-restore <<'R'
*foo
COMMIT
R
t iptables-legacy-restore <<'R'
*filter
:INPUT FOO [0:0]
COMMIT
R
t iptables-legacy-restore <<'R'
*filter
:X - [0:0]
-A INPUT -j X
-A X -j Y
COMMIT
R
t iptables-legacy-restore --test <<'R'
*filter
-A INPUT -j ACCEPT
COMMIT
R
t iptables-legacy-restore <<'R'
*filter
junk
COMMIT
R
t iptables-legacy-restore --noflush <<'R'
*filter
:X - [0:0]
-A INPUT -j X
COMMIT
R
t iptables-legacy-restore --noflush <<'R'
*filter
:X - [0:0]
COMMIT
R
iptables-legacy-save -c


