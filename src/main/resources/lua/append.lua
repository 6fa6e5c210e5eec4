-- Stores a batch of one site's events and keeps the site's realtime and day figures.
-- KEYS[1] = pulse:{site}:visitors (every other key shares the {site} hash tag, so one slot)
-- ARGV[1] key prefix pulse:{site}:   ARGV[2] now (ms)   ARGV[3] session gap (ms)
-- ARGV[4] realtime retention (ms)    ARGV[5] max pageviews kept   ARGV[6] max visitors kept
-- ARGV[7] day key TTL (s)   ARGV[8] site id (the change note published on pulse:changes),
-- then 17 fields per event:
--   id type time visitor path query title referrer name props country browser os device
--   returning("1"|"0"|"") day(yyyyMMdd) minute(epoch minute)
-- Returns the number of events stored. Every instance subscribed to pulse:changes learns that the
-- site changed and pushes to its streams within a tick.
local p = ARGV[1]
local now = tonumber(ARGV[2])
local gap = tonumber(ARGV[3])
local retain = tonumber(ARGV[4])
local maxPageviews = tonumber(ARGV[5])
local maxVisitors = tonumber(ARGV[6])
local dayTtl = tonumber(ARGV[7])
local visitorsKey = KEYS[1]
local stateKey = p .. 'vstate'
local pageviewsKey = p .. 'pageviews'
local eventsKey = p .. 'events'
local lastKey = p .. 'last'
local retainSeconds = math.floor(retain / 1000) + 600
-- hourly visitor HyperLogLogs only serve "yesterday up to this hour", so they live three days
local hourTtl = 3 * 86400

local function split(s)
  local out, i = {}, 1
  while true do
    local j = string.find(s, '\t', i, true)
    if not j then
      out[#out + 1] = string.sub(s, i)
      return out
    end
    out[#out + 1] = string.sub(s, i, j - 1)
    i = j + 1
  end
end

local newest = 0
local stored = 0
for i = 9, #ARGV, 17 do
  local id, kind, t, vid = ARGV[i], ARGV[i + 1], tonumber(ARGV[i + 2]), ARGV[i + 3]
  local path, query, title, ref = ARGV[i + 4], ARGV[i + 5], ARGV[i + 6], ARGV[i + 7]
  local name, props, country = ARGV[i + 8], ARGV[i + 9], ARGV[i + 10]
  local browser, os, device = ARGV[i + 11], ARGV[i + 12], ARGV[i + 13]
  local returning, day, minute = ARGV[i + 14], ARGV[i + 15], ARGV[i + 16]
  local hour = string.format('%02d', math.floor((t % 86400000) / 3600000))
  -- A batch retried after its reply was lost (the store went away mid-call) must not count twice:
  -- its pageviews and custom events are already in their sets (a repeated heartbeat changes
  -- nothing: same time, so no duration and no new member).
  local replay = false
  if kind == 'pageview' then
    replay = redis.call('ZSCORE', pageviewsKey, table.concat({id, vid, path, query, title, ref,
      country, browser, os, device}, '\t')) ~= false
  elseif kind == 'event' then
    replay = redis.call('ZSCORE', eventsKey, table.concat({id, vid, name, path, props}, '\t'))
      ~= false
  end
  if not replay then

  local prevSeen = tonumber(redis.call('ZSCORE', visitorsKey, vid))
  local prev = redis.call('HGET', stateKey, vid)
  local s
  if prev and prevSeen and t - prevSeen < gap then
    s = split(prev)
    if t > prevSeen then
      redis.call('HINCRBY', p .. 'day:' .. s[3], 'duration', t - prevSeen)
    end
  else
    -- a new session: {start, pageviews, day, path, referrer, country, browser, os, device,
    -- last pageview time}
    s = {tostring(t), '0', day, path, ref, country, browser, os, device, '0'}
    local dayKey = p .. 'day:' .. day
    redis.call('HINCRBY', dayKey, 'sessions', 1)
    if returning == '1' then
      redis.call('HINCRBY', dayKey, 'returning', 1)
    elseif returning == '0' then
      redis.call('HINCRBY', dayKey, 'new', 1)
    end
    redis.call('EXPIRE', dayKey, dayTtl)
  end

  if kind == 'pageview' then
    local spv = tonumber(s[2]) + 1
    s[2] = tostring(spv)
    s[4] = path
    if ref ~= '' then s[5] = ref end
    if tonumber(s[10] or '0') < t then s[10] = tostring(t) end
    local sessionDayKey = p .. 'day:' .. s[3]
    if spv == 1 then
      redis.call('HINCRBY', sessionDayKey, 'bounces', 1)
    elseif spv == 2 then
      redis.call('HINCRBY', sessionDayKey, 'bounces', -1)
    end
    local dayKey = p .. 'day:' .. day
    redis.call('HINCRBY', dayKey, 'pageviews', 1)
    redis.call('HINCRBY', dayKey, 'pv:' .. hour, 1)
    redis.call('EXPIRE', dayKey, dayTtl)
    redis.call('ZADD', pageviewsKey, t, table.concat({id, vid, path, query, title, ref,
      country, browser, os, device}, '\t'))
  elseif kind == 'event' then
    redis.call('ZADD', eventsKey, t, table.concat({id, vid, name, path, props}, '\t'))
  end
  if country ~= '' then s[6] = country end
  s[7], s[8], s[9] = browser, os, device

  redis.call('HSET', stateKey, vid, table.concat(s, '\t'))
  if not prevSeen or t > prevSeen then
    redis.call('ZADD', visitorsKey, t, vid)
  end
  local hll = p .. 'uv:' .. day
  redis.call('PFADD', hll, vid)
  redis.call('EXPIRE', hll, dayTtl)
  local hourHll = p .. 'uvh:' .. day .. hour
  redis.call('PFADD', hourHll, vid)
  redis.call('EXPIRE', hourHll, hourTtl)
  local minuteKey = p .. 'vm:' .. minute
  redis.call('SADD', minuteKey, vid)
  redis.call('EXPIRE', minuteKey, retainSeconds)
  if t > newest then newest = t end
  stored = stored + 1
  end
end

-- Trim what has left the longest window, then cap what a flood could grow.
local cutoff = '(' .. tostring(now - retain)
local function forget(vids)
  for k = 1, #vids, 500 do
    redis.call('HDEL', stateKey, unpack(vids, k, math.min(k + 499, #vids)))
  end
end
forget(redis.call('ZRANGEBYSCORE', visitorsKey, '-inf', cutoff))
redis.call('ZREMRANGEBYSCORE', visitorsKey, '-inf', cutoff)
redis.call('ZREMRANGEBYSCORE', pageviewsKey, '-inf', cutoff)
redis.call('ZREMRANGEBYSCORE', eventsKey, '-inf', cutoff)
local visitorCount = redis.call('ZCARD', visitorsKey)
if visitorCount > maxVisitors then
  local excess = visitorCount - maxVisitors
  forget(redis.call('ZRANGE', visitorsKey, 0, excess - 1))
  redis.call('ZREMRANGEBYRANK', visitorsKey, 0, excess - 1)
end
local pageviewCount = redis.call('ZCARD', pageviewsKey)
if pageviewCount > maxPageviews then
  redis.call('ZREMRANGEBYRANK', pageviewsKey, 0, pageviewCount - maxPageviews - 1)
end
local eventCount = redis.call('ZCARD', eventsKey)
if eventCount > maxPageviews then
  redis.call('ZREMRANGEBYRANK', eventsKey, 0, eventCount - maxPageviews - 1)
end

local last = tonumber(redis.call('GET', lastKey))
if not last or newest > last then
  redis.call('SET', lastKey, tostring(newest), 'EX', dayTtl)
end
for _, key in ipairs({visitorsKey, stateKey, pageviewsKey, eventsKey}) do
  redis.call('EXPIRE', key, retainSeconds)
end
redis.call('PUBLISH', 'pulse:changes', ARGV[8])
return stored
