-- Reads the pageview figures of one realtime window of a site, and the visitors append.lua
-- changed since the reader's last read, at one instant: a visitor listed as changed has the
-- pageviews that changed them counted (a reader that read the two apart could list a new
-- visitor before their pageview). Only the changed visitors' states come through here: a full
-- read of ten thousand is made of plain commands (RedisEventStore, ActiveVisitorCache), as
-- moving them through Lua would cost more than the rest.
-- KEYS[1] = pulse:{site}:pvcount   KEYS[2] = pulse:{site}:touched   KEYS[3] = pulse:{site}:seq
-- KEYS[4] = pulse:{site}:touched-floor (every key shares the {site} hash tag)
-- ARGV (ARG below): key prefix, from (ms), now (ms), recent limit, first epoch minute, number
-- of minutes, today (yyyyMMdd), the batch number whose changes the reader holds ('' for none)
-- Returns {pageviews, pathCounts(flat path,count), recent(flat member,score), minutePageviews,
--          minuteVisitors, todayVisitors, todayPageviews, events(flat member,score),
--          bots(flat class,count), changes}
-- changes: {seq, ids of the visitors changed after the reader's batch, their last-seen times
-- (false: gone), their states (false: none)}; {-1} when the reader must read everything:
-- append.lua dropped changes newer than its batch (a flood past the visitor cap), or more than
-- MAX_CHANGED changed; {} when not asked.
-- Bots are counted in the same per-second and per-minute hashes as the paths, under fields
-- 'bot:<class>' (a path starts with '/'), so they come out of the same sums.

-- Argument positions by name. WindowArgs (Java) builds ARGV with the same names and numbers, and
-- WindowArgsTest reads this file to check that both sides agree.
local ARG = {prefix = 1, from = 2, now = 3, recentLimit = 4, firstMinute = 5, minuteCount = 6,
  today = 7, sinceSeq = 8}

local p = ARGV[ARG.prefix]
local from, now = ARGV[ARG.from], ARGV[ARG.now]
local recentLimit = tonumber(ARGV[ARG.recentLimit])
local firstMinute, minutes = tonumber(ARGV[ARG.firstMinute]), tonumber(ARGV[ARG.minuteCount])
local today = ARGV[ARG.today]
local sinceSeq = ARGV[ARG.sinceSeq]
local countsKey = KEYS[1]
-- pageviews stored before the per-second logs, one sorted-set member each (id, visitor, path):
-- read beside the logs until the key expires, a window's length after an upgrade
local legacyKey = p .. 'pageviews'

-- Pageviews per path, from the per-second (ps:) and per-minute (pm:) counts append.lua keeps:
-- the window's whole minutes from pm:, its whole seconds at the start from ps:, and only the
-- part of a second at each edge from the pageviews themselves (the second's log), so the cost
-- follows the number of paths and minutes, not the number of pageviews.
local counts, order = {}, {}
local function add(path, n)
  local c = counts[path]
  if c then counts[path] = c + n else counts[path] = n; order[#order + 1] = path end
end
-- (each minute's pageviews, the sum of its paths' counts, for the chart: minute -> count)
local minuteSums = {}
local function addHash(key, sign, minute)
  local flat = redis.call('HGETALL', key)
  local sum = 0
  for k = 1, #flat, 2 do
    local n = tonumber(flat[k + 1])
    if n ~= 0 then add(flat[k], sign * n) end
    -- a path starts with '/'; bots are 'bot:<class>'
    if string.byte(flat[k], 1) == 47 then sum = sum + n end
  end
  if minute then minuteSums[minute] = sum end
end
local function f(x) return string.format('%d', x) end
-- Adds sign for each pageview in [fromMs, toMs) (all of a few seconds at most): from the logs
-- of those seconds (lines: ms within the second, visitor, path) and the legacy members.
local function addPageviews(fromMs, toMs, sign)
  if fromMs >= toMs then return end
  for _, m in ipairs(redis.call('ZRANGEBYSCORE', legacyKey, f(fromMs), '(' .. f(toMs))) do
    add(string.match(m, '^[^\t]*\t[^\t]*\t([^\t]*)'), sign)
  end
  for second = math.floor(fromMs / 1000), math.floor((toMs - 1) / 1000) do
    local log = redis.call('GET', p .. 'pvlog:' .. f(second))
    if log then
      local base = second * 1000
      for ms, path in string.gmatch(log, '(%d+)\t[^\t\n]*\t([^\t\n]*)\n') do
        local t = base + tonumber(ms)
        if t >= fromMs and t < toMs then add(path, sign) end
      end
    end
  end
end
local fromMs, nowMs = tonumber(from), tonumber(now)
local nowMinute = math.floor(nowMs / 60000)
-- pageviews in [from, end of the current minute): whole seconds up to the first minute boundary,
-- then whole minutes; each part is added or, when that reads fewer keys, taken from a larger one
local second = math.ceil(fromMs / 1000)
if second * 1000 - fromMs <= 500 then
  addPageviews(fromMs, second * 1000, 1)
else
  addHash(p .. 'ps:' .. f(second - 1), 1)
  addPageviews((second - 1) * 1000, fromMs, -1)
end
local minute = math.ceil(second / 60)
if minute * 60 - second <= 30 then
  for s = second, minute * 60 - 1 do addHash(p .. 'ps:' .. f(s), 1) end
else
  minute = minute - 1
  for s = minute * 60, second - 1 do addHash(p .. 'ps:' .. f(s), -1) end
end
for m = minute, nowMinute do addHash(p .. 'pm:' .. f(m), 1, m) end
-- less what the current minute holds after now (normally nothing)
addPageviews(nowMs + 1, (nowMinute + 1) * 60000, -1)
-- the window's pageviews are the paths' (bots are not pageviews)
local pathCounts, bots, total = {}, {}, 0
for _, path in ipairs(order) do
  if counts[path] ~= 0 then
    local out = pathCounts
    local name = path
    if string.sub(path, 1, 4) == 'bot:' then
      out, name = bots, string.sub(path, 5)
    else
      total = total + counts[path]
    end
    out[#out + 1] = name
    out[#out + 1] = counts[path]
  end
end

-- the newest pageviews with their details (append.lua keeps the newest 200 in 'recent')
local recent = redis.call('ZREVRANGEBYSCORE', p .. 'recent', now, from, 'WITHSCORES',
  'LIMIT', 0, recentLimit)

-- pageviews per minute: summed above for the minutes the window read whole, else the minute's
-- seconds in pvcount (second -> pageviews) and the legacy members
local minutePageviews, minuteVisitors = {}, {}
for k = 0, minutes - 1 do
  local m = firstMinute + k
  local n = minuteSums[m]
  if not n then
    local start = m * 60000
    n = redis.call('ZCOUNT', legacyKey, start, '(' .. (start + 60000))
    local seconds = {}
    for s = m * 60, m * 60 + 59 do seconds[#seconds + 1] = f(s) end
    for _, c in ipairs(redis.call('HMGET', countsKey, unpack(seconds))) do
      n = n + (tonumber(c) or 0)
    end
  end
  minutePageviews[#minutePageviews + 1] = n
  minuteVisitors[#minuteVisitors + 1] = redis.call('SCARD', p .. 'vm:' .. m)
end

local todayVisitors = redis.call('PFCOUNT', p .. 'uv:' .. today)
local todayPageviews = tonumber(redis.call('HGET', p .. 'day:' .. today, 'pageviews')) or 0
-- the window's custom events (id, visitor, name, path, props): counted per name in Java
local events = redis.call('ZRANGEBYSCORE', p .. 'events', from, now, 'WITHSCORES')

-- the visitors changed after the reader's batch, and the newest batch number
-- (more changed than MAX_CHANGED since the reader's last read: it reads everything with plain
-- commands, cheaper than moving them all through Lua)
local MAX_CHANGED = 5000
local function changedSince(since)
  local seq = tonumber(redis.call('GET', KEYS[3])) or 0
  local floor = tonumber(redis.call('GET', KEYS[4])) or 0
  if floor > tonumber(since) then return {-1} end
  local ids = redis.call('ZRANGEBYSCORE', KEYS[2], '(' .. since, '+inf')
  if #ids > MAX_CHANGED then return {-1} end
  -- with their last-seen times and states: a few hundred a second on a busy site, read here
  -- rather than in a second round trip
  local seen, states = {}, {}
  for j = 1, #ids, 500 do
    local last = math.min(j + 499, #ids)
    local scores = redis.call('ZMSCORE', p .. 'visitors', unpack(ids, j, last))
    local got = redis.call('HMGET', p .. 'vstate', unpack(ids, j, last))
    for k = 1, last - j + 1 do
      seen[#seen + 1] = scores[k]
      states[#states + 1] = got[k]
    end
  end
  return {seq, ids, seen, states}
end
local changes = sinceSeq == '' and {} or changedSince(sinceSeq)
return {total, pathCounts, recent, minutePageviews,
  minuteVisitors, todayVisitors, todayPageviews, events, bots, changes}
