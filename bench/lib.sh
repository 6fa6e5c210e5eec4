# Shared by the bench/* commands: build, start Redis / a Redis Cluster / Pulse on free ports,
# clean up every process started, print the machine and the result table.
# shellcheck shell=bash

set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH_DIR")
RUN_DIR=$(mktemp -d "${TMPDIR:-/tmp}/pulse-bench.XXXXXX")
RESULTS_DIR="$BENCH_DIR/results"
PIDS=()
CGROUPS=()

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 1 100); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.2
    done
    kill -KILL "$pid" 2>/dev/null || true
  done
  local group
  for group in "${CGROUPS[@]}"; do
    rmdir "$group" 2>/dev/null || true
  done
  if [ -n "${KEEP_LOGS:-}" ]; then
    log "logs kept in $RUN_DIR"
  else
    rm -rf "$RUN_DIR"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# free_port [bus]: a port nothing listens on, below the kernel's ephemeral range (32768 on), where
# the load's outgoing connections take theirs. With "bus", one whose Redis Cluster bus port (the
# port + 10000) is free and below that range too: a cluster node cannot start without it.
free_port() {
  local port
  while true; do
    if [ "${1:-}" = bus ]; then
      port=$((20000 + RANDOM % 2700))
      (exec 3<>"/dev/tcp/127.0.0.1/$((port + 10000))") 2>/dev/null && continue
    else
      port=$((20000 + RANDOM % 12000))
    fi
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
}

need() {
  command -v "$1" >/dev/null 2>&1 || die "$1 is missing: $2"
}

# Builds target/pulse.jar and the load client, and copies both into the run directory, so a
# rebuild during the run cannot change the classes under a running JVM.
build() {
  need java "apt-get install -y openjdk-17-jdk-headless"
  need mvn "apt-get install -y maven"
  need redis-server "apt-get install -y redis-server"
  log "building target/pulse.jar and bench/target/pulse-bench.jar"
  (cd "$ROOT" && mvn -B -q package -DskipTests) || die "the Pulse build failed"
  (cd "$BENCH_DIR" && mvn -B -q package) || die "the bench client build failed"
  cp "$ROOT/target/pulse.jar" "$RUN_DIR/pulse.jar"
  cp "$BENCH_DIR/target/pulse-bench.jar" "$RUN_DIR/pulse-bench.jar"
  # sites of the benchmarks: each is one Redis Cluster hash slot; shop, blog and docs land on the
  # three different masters of bench's cluster
  cat > "$RUN_DIR/sites.json" <<'EOF'
{"sites": [
  {"id": "bench", "domains": ["bench.example.com"], "public": true},
  {"id": "bench10", "domains": ["bench.example.com"], "public": true},
  {"id": "shop", "domains": ["bench.example.com"], "public": true},
  {"id": "blog", "domains": ["bench.example.com"], "public": true},
  {"id": "docs", "domains": ["bench.example.com"], "public": true},
  {"id": "flood", "domains": ["bench.example.com"], "public": true}
], "tokens": []}
EOF
}

machine() {
  local cpu mem
  cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')
  mem=$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)
  echo "$(nproc) cores ($cpu), $mem RAM, $(uname -sr), $(java -version 2>&1 | head -1), $(redis-server --version | awk '{print $3}')"
}

load_average() {
  cut -d' ' -f1 /proc/loadavg
}

# Processes using more than 20% of a core over the last two seconds, for the record.
others_busy() {
  top -b -n 2 -d 2 -w 200 2>/dev/null | awk '/^ *PID/ { block++; next } block == 2 && $9 > 20 {
    printf "%s(%.0f%%) ", $12, $9 }'
}

# start_redis VAR: a redis-server without persistence on a free port; sets VAR to its port.
start_redis() {
  local var=$1 port
  shift
  # (a cluster node needs its bus port as well)
  case " $* " in *" --cluster-enabled yes "*) port=$(free_port bus) ;; *) port=$(free_port) ;; esac
  redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --dir "$RUN_DIR" \
    --logfile "$RUN_DIR/redis-$port.log" "$@" &
  PIDS+=($!)
  for _ in $(seq 1 100); do
    redis-cli -p "$port" ping >/dev/null 2>&1 && break
    sleep 0.1
  done
  redis-cli -p "$port" ping >/dev/null 2>&1 || die "redis-server on $port did not start"
  printf -v "$var" '%s' "$port"
}

# start_cluster VAR: three masters (slots split in three), as RedisClusterTest makes one; sets VAR
# to the comma-separated redis:// URLs Pulse takes.
start_cluster() {
  local var=$1 ports=() port node_port i urls=""
  for i in 0 1 2; do
    # (not "port": start_redis has a local of that name, which would take the value)
    start_redis node_port --cluster-enabled yes --cluster-config-file "nodes-$i-$$.conf" \
      --cluster-node-timeout 2000
    ports+=("$node_port")
  done
  redis-cli -p "${ports[0]}" cluster addslotsrange 0 5460 >/dev/null
  redis-cli -p "${ports[1]}" cluster addslotsrange 5461 10922 >/dev/null
  redis-cli -p "${ports[2]}" cluster addslotsrange 10923 16383 >/dev/null
  redis-cli -p "${ports[0]}" cluster meet 127.0.0.1 "${ports[1]}" >/dev/null
  redis-cli -p "${ports[0]}" cluster meet 127.0.0.1 "${ports[2]}" >/dev/null
  for _ in $(seq 1 200); do
    local ok=0
    for port in "${ports[@]}"; do
      redis-cli -p "$port" cluster info | grep -q 'cluster_state:ok' && ok=$((ok + 1))
    done
    [ "$ok" = 3 ] && break
    sleep 0.1
  done
  for port in "${ports[@]}"; do
    urls="$urls${urls:+,}redis://127.0.0.1:$port"
  done
  CLUSTER_PORTS=("${ports[@]}")
  printf -v "$var" '%s' "$urls"
}

# start_pulse VAR REDIS_URL CONFIG_JSON [JAVA_OPTS...]: Pulse on a free port with the bench sites,
# PULSE_TRUST_PROXY=true (the load gives each visitor its own X-Forwarded-For) and CONFIG_JSON
# merged over the defaults; its own data directory (the embedded store starts empty, never with
# an earlier run's figures); waits for /health. Sets VAR to the port and VAR_PID to the pid.
start_pulse() {
  local var=$1 redis_url=$2 config=$3 port
  shift 3
  port=$(free_port)
  echo "$config" > "$RUN_DIR/pulse-$port.json"
  PULSE_PORT=$port PULSE_REDIS_URL=$redis_url PULSE_CONFIG="$RUN_DIR/pulse-$port.json" \
    PULSE_SITES="$RUN_DIR/sites.json" PULSE_TRUST_PROXY=true PULSE_GEOIP_DB=/nonexistent \
    PULSE_DATA_DIR="$RUN_DIR/data-$port" java "$@" -jar "$RUN_DIR/pulse.jar" > "$RUN_DIR/pulse-$port.log" 2>&1 &
  local pid=$!
  PIDS+=("$pid")
  for _ in $(seq 1 300); do
    curl -sf "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break
    kill -0 "$pid" 2>/dev/null || { cat "$RUN_DIR/pulse-$port.log" >&2; die "Pulse did not start"; }
    sleep 0.1
  done
  curl -sf "http://127.0.0.1:$port/health" >/dev/null || die "Pulse on $port is not healthy"
  printf -v "$var" '%s' "$port"
  printf -v "${var}_PID" '%s' "$pid"
}

# stop PID: SIGTERM (Pulse flushes and exits), SIGKILL after 20 s.
stop() {
  local pid=$1
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.2
  done
  kill -KILL "$pid" 2>/dev/null || true
}

# cpu_limit PID PERCENT: caps a process at PERCENT of one core with a cgroup (v1 or v2), so two
# Pulse instances can be compared with one on a small machine. Returns 1 when cgroups are not
# writable here.
cpu_limit() {
  local pid=$1 percent=$2 group
  if [ -w /sys/fs/cgroup/cpu ] && [ -f /sys/fs/cgroup/cpu/cpu.cfs_quota_us ]; then
    group=/sys/fs/cgroup/cpu/pulse-bench-$$-$pid
    mkdir "$group" || return 1
    CGROUPS+=("$group")
    echo 100000 > "$group/cpu.cfs_period_us"
    echo $((percent * 1000)) > "$group/cpu.cfs_quota_us"
    # every thread of the process; threads it starts later follow their parent into the group
    echo "$pid" > "$group/cgroup.procs" || return 1
    return 0
  elif [ -f /sys/fs/cgroup/cgroup.controllers ] && grep -qw cpu /sys/fs/cgroup/cgroup.controllers \
      && [ -w /sys/fs/cgroup ]; then
    group=/sys/fs/cgroup/pulse-bench-$$-$pid
    mkdir "$group" || return 1
    CGROUPS+=("$group")
    echo "$((percent * 1000)) 100000" > "$group/cpu.max"
    echo "$pid" > "$group/cgroup.procs"
    return 0
  fi
  return 1
}

# CPU seconds (user + system) a process has used.
cpu_seconds() {
  awk '{print ($14 + $15) / 100}' "/proc/$1/stat" 2>/dev/null || echo 0
}

# client COMMAND ARGS...: the load client; its key=value results are appended to $RESULTS.
client() {
  java -jar "$RUN_DIR/pulse-bench.jar" "$@" | tee -a "$RESULTS" >/dev/null
}

# result KEY: a value the client (or a script) recorded.
result() {
  grep "^$1=" "$RESULTS" | tail -1 | cut -d= -f2-
}

record() {
  echo "$1=$2" >> "$RESULTS"
}

metric() { # metric PORT NAME [LABEL]: one series of Pulse's /metrics, summed
  curl -sf "http://127.0.0.1:$1/metrics" | awk -v name="$2" -v label="${3:-}" '
    $0 !~ /^#/ { split($1, a, "{"); if (a[1] == name && index($1, label) > 0) sum += $NF; found = 1 }
    END { printf "%.0f\n", sum }'
}

# ratio A B: A / B with two decimals.
ratio() {
  awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0) print "n/a"; else printf "%.2f\n", a / b }'
}

TABLE=()
# row WHAT TARGET MEASURED VERDICT
row() {
  TABLE+=("| $1 | $2 | $3 | $4 |")
}

# verdict MEASURED OP LIMIT: "met" or "MISSED" (OP is <, <=, >, >=).
verdict() {
  awk -v m="$1" -v op="$2" -v l="$3" 'BEGIN {
    if (m == "" || m == "n/a") { print "n/a"; exit }
    ok = (op == "<" && m < l) || (op == "<=" && m <= l) || (op == ">" && m > l) || (op == ">=" && m >= l)
    print ok ? "met" : "MISSED" }'
}

print_table() {
  local title=$1 file
  mkdir -p "$RESULTS_DIR"
  file="$RESULTS_DIR/$title-$(date +%Y%m%d-%H%M%S).md"
  {
    echo
    echo "### bench/$title — $(date -u +%Y-%m-%dT%H:%MZ)"
    echo
    echo "Machine: $(machine). Load average before the run: $LOAD_BEFORE${OTHERS_BEFORE:+; busy besides the benchmark: $OTHERS_BEFORE}."
    echo
    echo "| what | target | measured | |"
    echo "|---|---|---|---|"
    printf '%s\n' "${TABLE[@]}"
    echo
  } | tee "$file"
  log "table saved to ${file#"$ROOT"/}"
}

begin() {
  RESULTS="$RUN_DIR/results.txt"
  : > "$RESULTS"
  LOAD_BEFORE=$(load_average)
  OTHERS_BEFORE=$(others_busy)
  log "machine: $(machine)"
  log "load average $LOAD_BEFORE${OTHERS_BEFORE:+; busy: $OTHERS_BEFORE}"
  if awk -v l="$LOAD_BEFORE" 'BEGIN { exit !(l >= 1) }'; then
    log "note: the machine is not quiet (load average >= 1); figures will be lower than they can be"
  fi
}
