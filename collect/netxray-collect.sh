#!/bin/sh
# netxray-collect.sh: read-only network diagnostic collector for one OpenStack Neutron node.
#
# Runs as root on the node, changes nothing (only reads; tcpdump runs with -p, no promiscuous
# mode) and writes one netxray-<host>-<UTC time>.tar.xz whose tree reads like a sosreport (sos
# 4.5+ file names and sos_reports/manifest.json), plus extras sos lacks under
# sos_commands/netxray/. It never copies secrets: Neutron configs are reduced to the keys that
# describe the data plane.
#
# usage: sh netxray-collect.sh [--out DIR] [options]
#   --out DIR              where the tarball goes (default .)
#   --ovs-exec 'PREFIX'    run OVS tools through PREFIX, e.g. 'docker exec openvswitch_vswitchd'
#   --virsh-exec 'PREFIX'  run virsh through PREFIX, e.g. 'docker exec nova_libvirt'
#   --timeout SECONDS      per-command timeout (default 30)
#   --max-size BYTES       size cap per collected file (default 26214400 = 25 MiB)
#   --max-namespaces N     collect at most N network namespaces (default 0 = all)
#   --pcap IFACE[@NETNS]   capture on IFACE (in NETNS); repeatable
#   --pcap-seconds N       capture duration (default 5)
#   --pcap-filter EXPR     tcpdump filter for every capture
#   --name NAME            host name used in the bundle (default: hostname)
#   --no-tar               leave the directory, do not build the tarball
#   --sysroot DIR          read copied files (configs, conf.db, DHCP files) under DIR (tests)
#   --version, --help
set -u

VERSION=0.1.0
OUT=.
OVS_EXEC=
VIRSH_EXEC=
TIMEOUT=30
MAX_SIZE=26214400
MAX_NS=0
PCAPS=
PCAP_SECONDS=5
PCAP_FILTER=
NAME=
TAR=1
SYSROOT=
CMDLINE="$0 $*"

usage() { sed -n '/^# usage:/,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//'; }
die() { echo "netxray-collect: $*" >&2; exit 2; }
need() { [ $# -ge 2 ] || die "$1 needs a value"; }

while [ $# -gt 0 ]; do
  case $1 in
    --out) need "$@"; OUT=$2; shift 2 ;;
    --out=*) OUT=${1#*=}; shift ;;
    --ovs-exec) need "$@"; OVS_EXEC=$2; shift 2 ;;
    --ovs-exec=*) OVS_EXEC=${1#*=}; shift ;;
    --virsh-exec) need "$@"; VIRSH_EXEC=$2; shift 2 ;;
    --virsh-exec=*) VIRSH_EXEC=${1#*=}; shift ;;
    --timeout) need "$@"; TIMEOUT=$2; shift 2 ;;
    --timeout=*) TIMEOUT=${1#*=}; shift ;;
    --max-size) need "$@"; MAX_SIZE=$2; shift 2 ;;
    --max-size=*) MAX_SIZE=${1#*=}; shift ;;
    --max-namespaces) need "$@"; MAX_NS=$2; shift 2 ;;
    --max-namespaces=*) MAX_NS=${1#*=}; shift ;;
    --pcap) need "$@"; PCAPS="$PCAPS $2"; shift 2 ;;
    --pcap=*) PCAPS="$PCAPS ${1#*=}"; shift ;;
    --pcap-seconds) need "$@"; PCAP_SECONDS=$2; shift 2 ;;
    --pcap-seconds=*) PCAP_SECONDS=${1#*=}; shift ;;
    --pcap-filter) need "$@"; PCAP_FILTER=$2; shift 2 ;;
    --pcap-filter=*) PCAP_FILTER=${1#*=}; shift ;;
    --name) need "$@"; NAME=$2; shift 2 ;;
    --name=*) NAME=${1#*=}; shift ;;
    --no-tar) TAR=0; shift ;;
    --sysroot) need "$@"; SYSROOT=${2%/}; shift 2 ;;
    --sysroot=*) SYSROOT=${1#*=}; SYSROOT=${SYSROOT%/}; shift ;;
    --version) echo "netxray-collect $VERSION"; exit 0 ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown argument: $1 (see --help)" ;;
  esac
done
for v in "$TIMEOUT" "$MAX_SIZE" "$MAX_NS" "$PCAP_SECONDS"; do
  case $v in ''|*[!0-9]*) die "not a number: $v" ;; esac
done
[ "$(id -u)" = 0 ] || echo "netxray-collect: warning: not root, much will be missing" >&2

# --- helpers ----------------------------------------------------------------------------------
now() { t=$(date +%s.%N); case $t in *N) date +%s ;; *) echo "$t" ;; esac; }
utc() { t=$(date -u +%Y-%m-%dT%H:%M:%S.%NZ); case $t in *N*) date -u +%Y-%m-%dT%H:%M:%SZ ;; *) echo "$t" ;; esac; }
have() { command -v "$1" >/dev/null 2>&1; }
# mangle CMD: sos's file name for a command line (sos/report/plugins/__init__.py
# _mangle_command): drop a leading /bin/ /sbin/ /usr/bin/ /usr/sbin/, runs of characters
# outside [A-Za-z0-9_-./] become '_', '/' becomes '.', strip leading/trailing ' ._-'.
mangle() {
  printf '%s\n' "$1" | sed -e 's#^/\(usr/\)\{0,1\}s\{0,1\}bin/##' \
    -e 's#[^A-Za-z0-9_./-][^A-Za-z0-9_./-]*#_#g' -e 's#/#.#g' \
    -e 's#^[ ._-]*##' -e 's#[ ._-]*$##' | cut -c1-255
}
jstr() { printf '"%s"' "$(printf '%s' "$1" | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/	/\\t/g')"; }
jwords() { # JSON array of the words of $1
  out=; set -f
  for w in $1; do out="$out${out:+, }$(jstr "$w")"; done
  set +f; printf '[%s]' "$out"
}

HOST=${NAME:-$(hostname 2>/dev/null || cat /proc/sys/kernel/hostname)}
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
BASE=netxray-$HOST-$STAMP
mkdir -p "$OUT" || die "cannot create $OUT"
OUT=$(cd "$OUT" && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/netxray-collect.XXXXXX") || die "mktemp failed"
trap 'rm -rf "$WORK"' EXIT
ROOT=$WORK/$BASE
M=$WORK/manifest.d
mkdir -p "$ROOT/sos_reports" "$M"
T_START=$(now)
START_HUMAN=$(date -u '+%Y-%m-%d %H:%M:%S')
PLUGINS=

# plugin NAME: start a plugin section (timing for the manifest)
plugin() {
  PLUG=$1
  PLUGINS="$PLUGINS $1"
  : >"$M/$1.cmds"; : >"$M/$1.files"
  now >"$M/$1.start"
}
plugin_end() { now >"$M/$PLUG.end"; }

# capped: first MAX_SIZE+1 bytes of stdin; drains the rest so the command is not killed by
# SIGPIPE and its own return code is recorded
capped() { head -c $((MAX_SIZE + 1)); cat >/dev/null; }
# execute: run $exe under the timeout when there is one, stderr to $errf if set, else with stdout
execute() {
  if have timeout; then set -- timeout "$TIMEOUT" sh -c "$exe"; else set -- sh -c "$exe"; fi
  if [ -n "$errf" ]; then "$@" </dev/null 2>"$errf"; else "$@" </dev/null 2>&1; fi
}
# run SUBDIR PREFIX CMD [err]: run CMD (through PREFIX if set) with the timeout and size cap and
# store its stdout+stderr as sos_commands/$PLUG[/SUBDIR]/<mangled CMD>. The manifest entry
# keeps the return code, so absent (127, no file), failed (non-zero) and empty can be told apart.
# With "err", stderr goes to a sibling <name>.err (kept only when not empty) instead: for
# commands whose unbuffered stderr would land in the middle of their buffered stdout (conntrack
# -L prints its summary line on stderr).
run() {
  sub=$1 pre=$2 cmd=$3 errf=
  dir=sos_commands/$PLUG${sub:+/$sub}
  mkdir -p "$ROOT/$dir"
  rel=$dir/$(mangle "$cmd")
  i=1; base=$rel
  while [ -e "$ROOT/$rel" ]; do rel=$base.$i; i=$((i + 1)); done
  [ "${4:-}" = err ] && errf=$ROOT/$rel.err
  exe=$cmd; [ -n "$pre" ] && exe="$pre $cmd"
  s=$(now)
  { execute; echo $? >"$WORK/rc"; } | capped >"$ROOT/$rel"
  e=$(now)
  rc=$(cat "$WORK/rc")
  if [ -n "$errf" ] && { [ ! -s "$errf" ] || [ "$rc" = 126 ] || [ "$rc" = 127 ]; }; then rm -f "$errf"; fi
  trunc=false
  if [ "$(wc -c <"$ROOT/$rel")" -gt "$MAX_SIZE" ]; then
    head -c "$MAX_SIZE" "$ROOT/$rel" >"$WORK/trunc" && mv "$WORK/trunc" "$ROOT/$rel"
    trunc=true
  fi
  fp=$(jstr "$rel")
  if [ "$rc" = 126 ] || [ "$rc" = 127 ]; then rm -f "$ROOT/$rel"; fp=null; fi
  # word-split the command line on purpose, without globbing
  # shellcheck disable=SC2086
  { set -f; set -- $cmd; set +f; }
  printf '{"command": %s, "parameters": %s, "exec": %s, "filepath": %s, "truncated": %s, "return_code": %s, "priority": 10, "start_time": %s, "end_time": %s, "run_time": %s, "tags": []}\n' \
    "$(jstr "$1")" "$(shift; jwords "$*")" "$(jstr "$exe")" "$fp" "$trunc" "$rc" "$s" "$e" \
    "$(echo "$s $e" | awk '{printf "%.6f", $2 - $1}')" >>"$M/$PLUG.cmds"
  LAST=$ROOT/$rel
}
# out SUBDIR PREFIX CMD: like run, and print the output (only when the command succeeded).
out() { run "$@"; [ "$rc" = 0 ] && [ -f "$LAST" ] && cat "$LAST"; }

# record_file SPEC REL: a copied file in the manifest
record_file() {
  printf '{"specification": %s, "files_copied": [%s], "tags": []}\n' "$(jstr "$1")" "$(jstr "$2")" >>"$M/$PLUG.files"
}
# copy SRC [PREFIX]: copy a file to the same path in the bundle (tail kept when over the cap;
# through PREFIX, e.g. a container exec, when given).
copy() {
  src=$1 pre=${2:-}
  rel=${src#"$SYSROOT"}; rel=${rel#/}
  if [ -n "$pre" ]; then
    src=/$rel
    mkdir -p "$ROOT/$(dirname "$rel")"
    sh -c "$pre cat $src" 2>/dev/null | tail -c "$MAX_SIZE" >"$ROOT/$rel" || true
    [ -s "$ROOT/$rel" ] || { rm -f "$ROOT/$rel"; return 0; }
  else
    [ -f "$src" ] && [ -r "$src" ] || return 0
    mkdir -p "$ROOT/$(dirname "$rel")"
    tail -c "$MAX_SIZE" "$src" >"$ROOT/$rel"
  fi
  record_file "/$rel" "$rel"
}

# --- host identity ----------------------------------------------------------------------------
plugin host
run "" "" "hostname"
run "" "" "uptime"
plugin_end
plugin date
run "" "" "date"
run "" "" "date --utc"
plugin_end
plugin kernel
run "" "" "uname -a"
run "" "" "sysctl -a"
plugin_end
if have dpkg; then plugin dpkg; run "" "" "dpkg -l"; plugin_end; fi
if have rpm; then plugin rpm; run "" "" "rpm -qa"; plugin_end; fi

# --- openvswitch ------------------------------------------------------------------------------
O=$OVS_EXEC
plugin openvswitch
run "" "$O" "ovs-vsctl -t 5 show"
run "" "$O" "ovs-vsctl -t 5 list Open_vSwitch"
run "" "$O" "ovs-vsctl -t 5 list manager"
run "" "$O" "ovs-vsctl -t 5 list interface"
run "" "$O" "ovs-vsctl -t 5 list bridge"
run "" "$O" "ovs-vsctl -t 5 list datapath"
run "" "$O" "ovs-vsctl -t 5 get Open_vSwitch . other_config"
OFVERSION=$(out "" "$O" "ovs-ofctl -t 5 --version")
for c in "ovs/route/show" "tnl/arp/show" "tnl/ports/show -v" "ofproto/list-tunnels" "bfd/show" \
         "upcall/show" "bond/list" "coverage/show"; do
  run "" "$O" "ovs-appctl $c"
done
BRIDGES=$(out "" "$O" "ovs-vsctl -t 5 list-br")
for dp in $(out "" "$O" "ovs-appctl dpctl/dump-dps"); do
  for c in "dpctl/show -s" "dpctl/dump-flows -m" "dpctl/dump-conntrack -m" "dpctl/ct-stats-show -m"; do
    run "" "$O" "ovs-appctl $c $dp"
  done
done
for br in $BRIDGES; do
  for c in "ovs-appctl fdb/show" "ovs-appctl fdb/stats-show" "ovs-appctl dpif/show-dp-features" \
           "ovs-ofctl dump-flows" "ovs-ofctl dump-ports-desc" "ovs-ofctl dump-ports" \
           "ovs-ofctl show" "ovs-ofctl dump-groups"; do
    run "" "$O" "$c $br"
  done
  # the OpenFlow versions the bridge allows (sos: get_flow_versions), else the tool's range
  protos=$(out "" "$O" "ovs-vsctl -t 5 list bridge $br" | sed -n 's/^protocols *: *\[\(.*\)\]/\1/p' | tr -d '",')
  if [ -z "$protos" ]; then
    range=$(printf '%s\n' "$OFVERSION" | sed -n 's/.*OpenFlow versions 0x\([0-9a-f]*\):0x\([0-9a-f]*\).*/\1 \2/p')
    # shellcheck disable=SC2086
    [ -n "$range" ] && protos=$(set -- $range; v=$1; while [ "$v" -le "$2" ]; do echo "OpenFlow1$((v - 1))"; v=$((v + 1)); done)
  fi
  for p in OpenFlow10 OpenFlow11 OpenFlow12 OpenFlow13 OpenFlow14 OpenFlow15; do
    # shellcheck disable=SC2086  # one word per protocol
    case " $(printf '%s ' $protos)" in *" $p "*) ;; *) continue ;; esac
    for c in show dump-groups dump-flows dump-ports-desc; do run "" "$O" "ovs-ofctl -O $p $c $br"; done
  done
done
for f in /usr/local/etc/openvswitch/conf.db /etc/openvswitch/conf.db /var/lib/openvswitch/conf.db; do
  if [ -n "$O" ]; then copy "$f" "$O"; else copy "$SYSROOT$f"; fi
done
if [ -z "$O" ]; then for f in "$SYSROOT"/var/log/openvswitch/*.log; do copy "$f"; done; fi
plugin_end

# --- networking -------------------------------------------------------------------------------
plugin networking
run "" "" "ip -o addr"
run "" "" "ip route show table all"
run "" "" "ip -6 route show table all"
run "" "" "ip -4 rule list"
run "" "" "ip -6 rule list"
run "" "" "ip -s -d link"
run "" "" "ip -d address"
run "" "" "ip -s -s neigh show"
run "" "" "ip neigh show nud noarp"
run "" "" "tc -s qdisc show"
run "" "" "bridge -s -s -d link show"
run "" "" "bridge -s -s -d -t fdb show"
run "" "" "bridge -d vlan show"
run "" "" "ss -peaonmi"
run "" "" "iptables-save"
run "" "" "ip6tables-save"
for d in /sys/class/net/*; do
  dev=${d##*/}
  case $dev in '*') continue ;; esac
  case $dev in lo|tap*|qvb*|qvo*|qbr*|ovs-netdev|ovs-system) continue ;; esac
  [ -e "/sys/class/net/$dev/device" ] || [ -e "/sys/class/net/$dev/phys_port_id" ] || case $dev in eth*|en*|bond*) ;; *) continue ;; esac
  run "" "" "ethtool $dev"
  run "" "" "ethtool -i $dev"
  run "" "" "ethtool -k $dev"
done
NSLIST=$(out "" "" "ip netns" | awk '{print $1}')
NS_ALL=$(printf '%s\n' "$NSLIST" | grep -c .)
if [ "$MAX_NS" -gt 0 ]; then
  NS_DO=$(printf '%s\n' "$NSLIST" | head -n "$MAX_NS")
else
  NS_DO=$NSLIST
fi
NS_DONE=$(printf '%s\n' "$NS_DO" | grep -c .)
for ns in $NS_DO; do
  x="ip netns exec $ns"
  for c in "ip -d address show" "ip route show table all" "ip -s -s neigh show" "ip -4 rule list" \
           "ip -6 rule list" "sysctl -a" "iptables-save" "ip6tables-save" "ss -peaonmi"; do
    run "namespaces/$ns" "" "$x $c"
  done
done
plugin_end

# --- conntrack --------------------------------------------------------------------------------
plugin conntrack
run "" "" "conntrack -L -o extended" err
run "" "" "conntrack -S"
for ns in $NS_DO; do
  run "" "" "ip netns exec $ns conntrack -L -o extended" err
  run "" "" "ip netns exec $ns conntrack -S"
done
plugin_end

# --- libvirt / virsh --------------------------------------------------------------------------
DOMS=
if [ -n "$VIRSH_EXEC" ] || have virsh; then
  plugin virsh
  DOMS=$(out "" "$VIRSH_EXEC" "virsh -r list --all" | awk 'NR > 2 && $2 != "" {print $2}')
  for d in $DOMS; do
    run "" "$VIRSH_EXEC" "virsh -r dumpxml $d"
    run "" "$VIRSH_EXEC" "virsh -r dominfo $d"
  done
  plugin_end
fi
plugin libvirt
for f in "$SYSROOT"/etc/libvirt/qemu/*.xml "$SYSROOT"/run/libvirt/qemu/*.xml; do copy "$f"; done
plugin_end

# --- neutron: data-plane configuration only, never secrets ------------------------------------
# Keys kept (whitelist); anything that looks like a credential is dropped even if listed.
KEEP='host|agent_mode|local_ip|tunnel_types|l2_population|arp_responder|enable_distributed_routing|firewall_driver|bridge_mappings|integration_bridge|tunnel_bridge|int_peer_patch_port|tun_peer_patch_port|datapath_type|vhostuser_socket_dir|of_interface|ovsdb_interface|ovsdb_connection|explicitly_egress_direct|global_physnet_mtu|path_mtu|physical_network_mtus|network_vlan_ranges|flat_networks|vni_ranges|vxlan_group|type_drivers|tenant_network_types|mechanism_drivers|extension_drivers|interface_driver|router_distributed|l3_ha|dvr_base_mac|base_mac|enable_security_group|enable_ipset|dhcp_driver|enable_isolated_metadata|force_metadata|enable_metadata_proxy|vxlan_udp_port|tunnel_csum|dont_fragment|physical_interface_mappings|enable_vxlan|l2_population|core_plugin|service_plugins|dhcp_agents_per_network|max_l3_agents_per_router|external_network_bridge|handle_internal_only_routers|ovn_l3_scheduler|enable_distributed_floating_ip'
sanitize() { # sanitize SRC: print the section headers and whitelisted keys of an ini file
  printf '# netxray: network-relevant keys of %s only; everything else removed\n' "/${1#"$SYSROOT"/}"
  sed -n -e '/^[[:space:]]*\[/p' \
    -e "/^[[:space:]]*\($(echo "$KEEP" | sed 's/|/\\|/g')\)[[:space:]]*=/p" "$1" |
    grep -Eiv '^[[:space:]]*[a-z0-9_]*(password|secret|key|token|transport_url|connection)[a-z0-9_]*[[:space:]]*=|://[^/]*@'
}
plugin openstack_neutron
S=$SYSROOT
for f in "$S"/etc/neutron/neutron.conf "$S"/etc/neutron/l3_agent.ini "$S"/etc/neutron/dhcp_agent.ini \
         "$S"/etc/neutron/plugins/ml2/ml2_conf.ini "$S"/etc/neutron/plugins/ml2/openvswitch_agent.ini \
         "$S"/etc/neutron/plugins/ml2/linuxbridge_agent.ini "$S"/etc/neutron/plugins/ml2/sriov_agent.ini \
         "$S"/etc/neutron/metadata_agent.ini "$S"/etc/kolla/neutron-*/*.ini "$S"/etc/kolla/neutron-*/neutron.conf; do
  if [ ! -f "$f" ] || [ ! -r "$f" ]; then continue; fi
  rel=${f#"$S"}; rel=${rel#/}
  mkdir -p "$ROOT/$(dirname "$rel")"
  sanitize "$f" >"$ROOT/$rel"
  record_file "/$rel" "$rel"
done
for f in "$S"/var/lib/neutron/dhcp/*/* "$S"/var/lib/neutron/ha_confs/*/state; do
  case $f in */pid) continue ;; esac
  copy "$f"
done
plugin_end

# --- netxray extras (what sos lacks) ----------------------------------------------------------
plugin netxray
for t in Port Interface Bridge Open_vSwitch; do run "" "$O" "ovs-vsctl -t 5 list $t"; done
for br in $BRIDGES; do
  run "" "$O" "ovs-ofctl --names dump-flows $br"
  run "" "$O" "ovs-ofctl -O OpenFlow13 --names dump-flows $br"
  run "" "$O" "ovs-ofctl -O OpenFlow13 dump-groups $br"
  run "" "$O" "ovs-appctl fdb/show $br"
done
run "" "$O" "ovs-appctl dpctl/dump-conntrack -m"
for d in $DOMS; do run "" "$VIRSH_EXEC" "virsh -r domiflist $d"; done
run "" "" "ip -j -d address show"
run "" "" "ip -j route show table all"
run "" "" "ip -j rule list"
run "" "" "ip -j neigh show"
for ns in $NS_DO; do
  x="ip netns exec $ns"
  for c in "ip -d address show" "ip route show table all" "ip rule list" "ip neigh show" \
           "iptables-save" "ip -j -d address show" \
           "ip -j route show table all" "ip -j rule list" "ip -j neigh show"; do
    run "namespaces/$ns" "" "$x $c"
  done
  run "namespaces/$ns" "" "$x conntrack -L -o extended" err
done

# optional short captures, all at once, each with a JSON sidecar
if [ -n "$PCAPS" ]; then
  have tcpdump || die "--pcap needs tcpdump"
  mkdir -p "$ROOT/sos_commands/netxray/pcap"
  for spec in $PCAPS; do
    ifc=${spec%@*}; ns=; case $spec in *@*) ns=${spec#*@} ;; esac
    nm=$(mangle "${ns:+${ns}_}$ifc")
    pre=; [ -n "$ns" ] && pre="ip netns exec $ns"
    (
      s=$(utc)
      # -p: no promiscuous mode, the collector must not change interface flags
      # shellcheck disable=SC2086
      timeout -s INT "$PCAP_SECONDS" $pre tcpdump -p -n -U -i "$ifc" -w "$ROOT/sos_commands/netxray/pcap/$nm.pcap" \
        ${PCAP_FILTER:+"$PCAP_FILTER"} >"$WORK/pcap-$nm.log" 2>&1
      prc=$?; [ $prc = 124 ] && prc=0
      e=$(utc)
      n=$(sed -n 's/^\([0-9]*\) packets\{0,1\} captured.*/\1/p' "$WORK/pcap-$nm.log")
      printf '{"node": %s, "interface": %s, "namespace": %s, "start": %s, "end": %s, "seconds": %s, "filter": %s, "packets": %s, "return_code": %s, "command": %s}\n' \
        "$(jstr "$HOST")" "$(jstr "$ifc")" "$(jstr "$ns")" "$(jstr "$s")" "$(jstr "$e")" "$PCAP_SECONDS" \
        "$(jstr "$PCAP_FILTER")" "${n:-null}" "$prc" \
        "$(jstr "${pre:+$pre }tcpdump -p -n -U -i $ifc -w $nm.pcap${PCAP_FILTER:+ $PCAP_FILTER}")" \
        >"$ROOT/sos_commands/netxray/pcap/$nm.json"
      [ -s "$ROOT/sos_commands/netxray/pcap/$nm.pcap" ] || rm -f "$ROOT/sos_commands/netxray/pcap/$nm.pcap"
    ) &
  done
  wait
  for j in "$ROOT"/sos_commands/netxray/pcap/*.json; do
    [ -f "$j" ] || continue
    record_file "${j%.json}.pcap" "${j#"$ROOT"/}"
  done
fi
plugin_end

# --- root files, as sos lays them out ---------------------------------------------------------
echo "netxray-collect: $VERSION" >"$ROOT/version.txt"
for l in hostname:host/hostname uname:kernel/uname_-a date:date/date ip_addr:networking/ip_-o_addr \
         ip_route:networking/ip_route_show_table_all; do
  [ -f "$ROOT/sos_commands/${l#*:}" ] && ln -s "sos_commands/${l#*:}" "$ROOT/${l%%:*}"
done

# --- manifest (sos_reports/manifest.json shape) -----------------------------------------------
T_END=$(now)
join() { sed '$!s/$/,/' "$1"; }
{
  printf '{\n"version": %s,\n"cmdline": %s,\n' "$(jstr "netxray-collect $VERSION")" "$(jstr "$CMDLINE")"
  printf '"start_time": %s,\n"end_time": %s,\n' "$(jstr "$START_HUMAN")" "$(jstr "$(date -u '+%Y-%m-%d %H:%M:%S')")"
  printf '"run_time": %s,\n"compression": %s,\n' "$(echo "$T_START $T_END" | awk '{printf "%.6f", $2 - $1}')" "$(jstr "$([ $TAR = 1 ] && echo xz)")"
  printf '"policy": %s,\n' "$(jstr "$(sed -n 's/^PRETTY_NAME="\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' /etc/os-release 2>/dev/null)")"
  printf '"components": {"report": {\n"sysroot": "/", "preset": "netxray", "profiles": [],\n'
  printf '"netxray": {"host": %s, "ovs_exec": %s, "virsh_exec": %s, "command_timeout": %s, "max_size": %s, "namespaces_listed": %s, "namespaces_collected": %s, "max_namespaces": %s},\n' \
    "$(jstr "$HOST")" "$(jstr "$OVS_EXEC")" "$(jstr "$VIRSH_EXEC")" "$TIMEOUT" "$MAX_SIZE" "$NS_ALL" "$NS_DONE" "$MAX_NS"
  printf '"enabled_plugins": %s, "disabled_plugins": [],\n"plugins": {\n' "$(jwords "$PLUGINS")"
  first=1
  for p in $PLUGINS; do
    [ $first = 1 ] || printf ',\n'
    first=0
    ps=$(cat "$M/$p.start"); pe=$(cat "$M/$p.end")
    printf '%s: {"start_time": %s, "end_time": %s, "run_time": %s, "timeout": 300, "timeout_hit": false, "command_timeout": %s,\n"commands": [\n' \
      "$(jstr "$p")" "$ps" "$pe" "$(echo "$ps $pe" | awk '{printf "%.6f", $2 - $1}')" "$TIMEOUT"
    join "$M/$p.cmds"
    printf '],\n"files": [\n'
    join "$M/$p.files"
    printf '],\n"strings": {}, "containers": {}, "collections": []}'
  done
  printf '\n}}}\n}\n'
} >"$ROOT/sos_reports/manifest.json"

if [ $TAR = 1 ]; then
  tar -C "$WORK" -cJf "$OUT/$BASE.tar.xz" "$BASE" || die "tar failed"
  echo "$OUT/$BASE.tar.xz"
else
  rm -rf "${OUT:?}/$BASE"
  mv "$ROOT" "$OUT/$BASE"
  echo "$OUT/$BASE"
fi
