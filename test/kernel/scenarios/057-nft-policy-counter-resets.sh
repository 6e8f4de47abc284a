# iptables-nft built-in chain policy counters: when the kernel restarts them. iptables-nft sends
# each -P as a chain update carrying counters 0/0 (nft_chain_set with the command's zeroed
# xt_counters), so EVERY -P restarts that chain's policy counter, same policy or not, and gives a
# chain created by -A (no counters, never counts) counters from then on. -Z and a restore's
# `:CHAIN POLICY [p:b]` line set them too (to 0, or to [p:b] with -c); rule edits, other chains'
# -P, listings and -N/-X of user chains leave them alone; -X deleting the (empty, ACCEPT) base
# chain loses them, and the chain -A creates again has none. Legacy is 043 (every commit zeroes).
# Topology: peer 10.9.0.2 (eth0) -- (eth0 10.9.0.1) v
ip netns add v
ip netns add peer
ip link add eth0 netns v type veth peer name eth0 netns peer
ip -n v addr add 10.9.0.1/24 dev eth0
ip -n v link set eth0 up
ip -n peer addr add 10.9.0.2/24 dev eth0
ip -n peer link set eth0 up
# -A creates INPUT without counters: the ping's echo request takes the policy uncounted
ip netns exec v iptables -A INPUT -p tcp
ip netns exec peer ping -c 1 10.9.0.1 >/dev/null
ip netns exec v iptables-save -c -t filter
# -P gives INPUT counters: 2 pings count
ip netns exec v iptables -P INPUT ACCEPT
ip netns exec peer ping -c 2 -i 0.2 10.9.0.1 >/dev/null
ip netns exec v iptables-save -c -t filter
# the same -P again: INPUT back to 0
ip netns exec v iptables -P INPUT ACCEPT
ip netns exec v iptables-save -c -t filter
# -P on OUTPUT (created now, with counters) leaves INPUT's 1 packet alone; so do rule edits,
# -F INPUT and FORWARD's -P
ip netns exec peer ping -c 1 10.9.0.1 >/dev/null
ip netns exec v iptables -P OUTPUT ACCEPT
ip netns exec v iptables -P FORWARD DROP
ip netns exec v iptables -P FORWARD ACCEPT
ip netns exec v iptables -A INPUT -p udp
ip netns exec v iptables -D INPUT -p udp
ip netns exec v iptables -I INPUT -p udp
ip netns exec v iptables -R INPUT 1 -p udp
ip netns exec v iptables -F INPUT
ip netns exec v iptables -A INPUT -p tcp
ip netns exec v iptables-save -c -t filter
# -Z OUTPUT and -Z INPUT 1 (a rule) leave INPUT's policy counter; -Z zeroes every chain
ip netns exec v iptables -Z OUTPUT
ip netns exec peer ping -c 1 10.9.0.1 >/dev/null
ip netns exec v iptables -Z INPUT 1
ip netns exec v iptables-save -c -t filter
ip netns exec v iptables -Z
ip netns exec v iptables-save -c -t filter
# restore --noflush naming INPUT: 0 without -c (OUTPUT, not named, keeps its packet)
ip netns exec peer ping -c 1 10.9.0.1 >/dev/null
ip netns exec v iptables-restore --noflush <<'EOF'
*filter
:INPUT ACCEPT [7:700]
COMMIT
EOF
ip netns exec v iptables-save -c -t filter
# with -c the given counters; `-` keeps OUTPUT's policy and still sets its counters
ip netns exec peer ping -c 1 10.9.0.1 >/dev/null
ip netns exec v iptables-restore -c --noflush <<'EOF'
*filter
:INPUT ACCEPT [7:700]
:OUTPUT - [3:300]
COMMIT
EOF
ip netns exec v iptables-save -c -t filter
# listings, -C, and -N/-X of a user chain change nothing
ip netns exec peer ping -c 1 10.9.0.1 >/dev/null
ip netns exec v iptables -L INPUT -n >/dev/null
ip netns exec v iptables -S >/dev/null
ip netns exec v iptables -C INPUT -p tcp
ip netns exec v iptables -N FOO
ip netns exec v iptables -X FOO
ip netns exec v iptables-save -c -t filter
# -P DROP then -P ACCEPT: 0 (no packet in between)
ip netns exec v iptables -P INPUT DROP
ip netns exec v iptables -P INPUT ACCEPT
ip netns exec v iptables-save -c -t filter
# -F then -X deletes the empty ACCEPT base chains: INPUT's counters go with it; the INPUT that
# -A creates again counts nothing until a -P
ip netns exec peer ping -c 1 10.9.0.1 >/dev/null
ip netns exec v iptables -F
ip netns exec v iptables -X
ip netns exec v iptables -A INPUT -p tcp
ip netns exec peer ping -c 1 10.9.0.1 >/dev/null
ip netns exec v iptables-save -c -t filter
ip netns exec v iptables -P INPUT ACCEPT
ip netns exec peer ping -c 1 10.9.0.1 >/dev/null
ip netns exec v iptables-save -c -t filter
