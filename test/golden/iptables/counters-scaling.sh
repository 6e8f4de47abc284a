echo "=== iptables"
iptables-restore -c <<'R'
*filter
:INPUT ACCEPT [123456:99999999]
:FORWARD DROP [5:300]
:OUTPUT ACCEPT [99999:100000]
:DOCKER - [0:0]
[1:84] -A INPUT -s 127.0.0.1 -j ACCEPT
[100000:1000000000] -A INPUT -d 10.1.2.3 -j DOCKER
[9999500:9999499999] -A INPUT -j ACCEPT
[12345678901:123456789012345] -A FORWARD -j DOCKER
[0:0] -A DOCKER -j RETURN
COMMIT
R
echo "rc=$?"
iptables -L -v
iptables -L -v -n -x
iptables -L DOCKER -v --line-numbers
iptables -S INPUT
iptables -S -v
iptables -S INPUT 2
iptables-save -c
iptables-save -t filter
echo "--- empty nat L"
iptables -t nat -L
echo "--- save after L"
iptables-save
echo "--- -L INPUT -n with -Z"
iptables -L INPUT -n -v -Z
iptables -L INPUT -n -v
echo "=== iptables-legacy"
iptables-legacy-restore -c <<'R'
*filter
:INPUT ACCEPT [123456:99999999]
:FORWARD DROP [5:300]
:OUTPUT ACCEPT [99999:100000]
:DOCKER - [0:0]
[1:84] -A INPUT -s 127.0.0.1 -j ACCEPT
[100000:1000000000] -A INPUT -d 10.1.2.3 -j DOCKER
[9999500:9999499999] -A INPUT -j ACCEPT
[12345678901:123456789012345] -A FORWARD -j DOCKER
[0:0] -A DOCKER -j RETURN
COMMIT
R
echo "rc=$?"
iptables-legacy -L -v
iptables-legacy -L -v -n -x
iptables-legacy -L DOCKER -v --line-numbers
iptables-legacy -S INPUT
iptables-legacy -S -v
iptables-legacy -S INPUT 2
iptables-legacy-save -c
iptables-legacy-save -t filter
echo "--- empty nat L"
iptables-legacy -t nat -L
echo "--- save after L"
iptables-legacy-save
echo "--- -L INPUT -n with -Z"
iptables-legacy -L INPUT -n -v -Z
iptables-legacy -L INPUT -n -v

