# Sourced by bench/ingest: redis-benchmark straight on Redis, without Pulse.
# shellcheck shell=bash

# zadd_ceiling PORT: pipelined ZADD of one new member per command (redis-benchmark -P 16, 16
# connections, random members): what one Redis core takes at most; records zadd_members_per_second.
zadd_ceiling() {
  local port=$1 rps
  rps=$(redis-benchmark -p "$port" -c 16 -P 16 -n 1000000 -r 100000000 --csv \
    ZADD 'ceiling' __rand_int__ 'member:__rand_int__' | tail -1 | cut -d, -f2 | tr -d '"')
  record zadd_members_per_second "$(printf '%.0f' "$rps")"
  log "redis-benchmark -P 16 ZADD: $(result zadd_members_per_second) members/s"
  [ -n "${NO_FLUSH:-}" ] || redis-cli -p "$port" flushall >/dev/null
}

# append_script_run PORT PREFIX EVENTS CALLS: append.lua from redis-benchmark (16 connections),
# EVENTS pageviews per call, each of a new visitor, with the arguments AppendArgs builds for such
# a batch (the second's pageview log lines, recent members; per-second pageview, per-second and
# per-minute path, and day counts; HyperLogLog and minute-set members; TTLs; one earlier batch to
# forget; the visits), as most calls are: without the trims and the TTL refresh that SiteUpkeep
# asks for every few seconds. Each call has a batch id of its own (a random one: a repeated id
# would be a batch stored already). Records PREFIX_events_per_second.
append_script_run() {
  local port=$1 prefix=$2 events=$3 calls=$4 sha now day hour minute second k t=$'\t'
  sha=$(redis-cli -p "$port" script load "$(cat "$ROOT/src/main/resources/lua/append.lua")")
  now=$(date +%s%3N)
  day=$(date -u +%Y%m%d)
  hour=$(date -u +%H)
  minute=$((now / 60000))
  second=$((now / 1000))
  local log="" recent=() ps=() pm=() uv=() uvh=() vm=() visits=() expiries=()
  local vid path
  for k in $(seq 1 "$events"); do
    # one random number per event would need the same __rand_int__ twice: redis-benchmark draws
    # each occurrence anew, so the member's visitor and the visit's differ (the cost is the same)
    vid="v__rand_int__"
    path="/docs/realtime-scaling-$k"
    log+="$((now % 1000))$t$vid$t$path"$'\n'
    recent+=("$now" "__rand_int__$t$vid$t$path${t}${t}realtime scaling $k | Pulse docs${t}news.ycombinator.com${t}US${t}Chrome${t}Windows${t}desktop")
    ps+=("$path" 1)
    pm+=("$path" 1)
    uv+=("$vid")
    uvh+=("$vid")
    vm+=("$vid")
    visits+=("pageview$t$now$t$vid$t$path${t}news.ycombinator.com${t}US${t}Chrome${t}Windows${t}desktop$t$t$day$t$minute$t-1$t$t$t")
  done
  local p='pulse:{rb}:'
  local pv=("${p}pvlog:$second" "$log")
  local counts=("${p}pvcount" 1 "$second" "$events"
    "${p}ps:$second" "$events" "${ps[@]}" "${p}pm:$minute" "$events" "${pm[@]}"
    "${p}day:$day" 2 pageviews "$events" "pv:$hour" "$events")
  local uniques=("${p}uv:$day" "$events" "${uv[@]}" "${p}uvh:$day$hour" "$events" "${uvh[@]}")
  local sets=("${p}vm:$minute" "$events" "${vm[@]}")
  expiries=("${p}pvlog:$second" 3660 "${p}pvcount" 4260
    "${p}ps:$second" 3720 "${p}pm:$minute" 3720 "${p}day:$day" 3456000
    "${p}uvh:$day$hour" 259200 "${p}uv:$day" 3456000 "${p}vm:$minute" 3720)
  # trim "0", refresh "0": a call of fewer than 64 events between the upkeep's periodic ones
  local forget=("b__rand_int__")
  local args=(EVALSHA "$sha" 1 "${p}visitors" "$p" "$now" 1800000 3660000 1000000 200000 3456000 rb 0 0
    "b__rand_int__" "${#pv[@]}" "${#recent[@]}" 0 "${#counts[@]}" "${#uniques[@]}" "${#sets[@]}"
    "${#expiries[@]}" "${#forget[@]}" "${#visits[@]}" "${pv[@]}" "${recent[@]}" "${counts[@]}"
    "${uniques[@]}" "${sets[@]}" "${expiries[@]}" "${forget[@]}" "${visits[@]}")
  local rps
  rps=$(redis-benchmark -p "$port" -c 16 -n "$calls" -r 100000000 --csv "${args[@]}" | tail -1 \
    | cut -d, -f2 | tr -d '"')
  record "${prefix}_calls_per_second" "$rps"
  record "${prefix}_events_per_second" "$(awk -v r="$rps" -v e="$events" 'BEGIN { printf "%.0f", r * e }')"
  log "$prefix: append.lua, $events events per call: $rps calls/s = $(result "${prefix}_events_per_second") events/s"
  [ -n "${NO_FLUSH:-}" ] || redis-cli -p "$port" flushall >/dev/null
}
