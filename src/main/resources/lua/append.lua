-- Stores a batch of one site's events and keeps the site's realtime and day figures.
-- KEYS[1] = pulse:{site}:visitors (every other key shares the {site} hash tag, so one slot)
-- ARGV: the batch's arguments (ARG below: key prefix pulse:{site}:, now (ms), session gap (ms),
-- realtime retention (ms), max pageviews kept, max visitors kept, day key TTL (s), site id (the
-- change note published on pulse:changes)), then FIELDS arguments per event (F below; returning
-- is "1", "0" or "", day is yyyyMMdd, minute the epoch minute, engaged the ms of engaged time on
-- the page or -1, then the page URL's utm_source, utm_medium and utm_campaign).
-- Event types: pageview, heartbeat, event (custom), leave (the page was hidden or closed: the
-- visitor stays active but is no longer present; a leave outside a session is not stored), bot (a
-- request dropped as a bot, counted per class in the per-second and per-minute hashes, no visitor).
-- Returns the number of events stored. Every instance subscribed to pulse:changes learns that the
-- site changed and pushes to its streams within a tick.
--
-- Cost: redis.call itself is what a batch mostly pays for, so a batch makes a fixed number of
-- calls whatever its size: one ZMSCORE finds the events it already holds (a retried batch), one
-- HMGET and one ZMSCORE read its visitors, and each key is written once at the end (ZADD, HSET,
-- PFADD, SADD with many members; a hash's counters with one HMGET and one HSET). The result is
-- the same as applying the events one after another. Needs Redis 6.2 or newer (ZMSCORE).

-- Argument positions by name. AppendArgs (Java) builds ARGV with the same names and numbers, and
-- AppendArgsTest reads this file to check that both sides agree.
-- ARGV[ARG.x]: the batch's arguments, before the events
local ARG = {prefix = 1, now = 2, sessionGap = 3, retain = 4, maxPageviews = 5,
  maxVisitors = 6, dayTtl = 7, siteId = 8}
local BATCH_ARGS = 8
-- ARGV[i + F.x]: a field of the event whose arguments start at ARGV[i]
local F = {id = 0, type = 1, time = 2, visitor = 3, path = 4, query = 5, title = 6,
  referrer = 7, name = 8, props = 9, country = 10, browser = 11, os = 12, device = 13,
  returning = 14, day = 15, minute = 16, engaged = 17, utmSource = 18, utmMedium = 19,
  utmCampaign = 20}
local FIELDS = 21
-- the visitor state (vstate): tab-separated, these positions (1-based; Records.S_* in Java)
local S = {start = 1, pageviews = 2, day = 3, path = 4, referrer = 5, country = 6, browser = 7,
  os = 8, device = 9, lastPageview = 10, entry = 11, utmSource = 12, utmMedium = 13,
  utmCampaign = 14, lastActive = 15, left = 16, engaged = 17}
local STATE_FIELDS = 17
-- defaults of the fields a state written by an older version lacks
local STATE_DEFAULTS = {[S.lastPageview] = '0', [S.utmSource] = '',
  [S.utmMedium] = '', [S.utmCampaign] = '', [S.lastActive] = '0', [S.left] = '0',
  [S.engaged] = '-1'}

local p = ARGV[ARG.prefix]
local now = tonumber(ARGV[ARG.now])
local gap = tonumber(ARGV[ARG.sessionGap])
local retain = tonumber(ARGV[ARG.retain])
local maxPageviews = tonumber(ARGV[ARG.maxPageviews])
local maxVisitors = tonumber(ARGV[ARG.maxVisitors])
local dayTtl = tonumber(ARGV[ARG.dayTtl])
local visitorsKey = KEYS[1]
local stateKey = p .. 'vstate'
local pageviewsKey = p .. 'pageviews'
local recentKey = p .. 'recent'
-- more than a snapshot lists (50), so that events a little out of time order cannot leave gaps
local RECENT_KEPT = 200
local eventsKey = p .. 'events'
local lastKey = p .. 'last'
local retainSeconds = math.floor(retain / 1000) + 600
-- per-second and per-minute counts are read only inside the longest window, which retain covers
local bucketSeconds = math.floor(retain / 1000) + 60
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

-- what the batch writes at the end, each key once
local visitors, visitorOrder = {}, {}   -- vid -> {seen, state, seenChanged}
local increments, incrementOrder = {}, {} -- key -> field -> delta
local members, memberOrder = {}, {}       -- key -> list of members (PFADD or SADD)
local expiries, expiryOrder = {}, {}      -- key -> ttl

local function hincr(key, field, delta)
  local h = increments[key]
  if not h then
    h = {fields = {}, order = {}}
    increments[key] = h
    incrementOrder[#incrementOrder + 1] = key
  end
  if h.fields[field] == nil then
    h.fields[field] = delta
    h.order[#h.order + 1] = field
  else
    h.fields[field] = h.fields[field] + delta
  end
end

local function addMember(key, member)
  local list = members[key]
  if not list then
    list = {seen = {}}
    members[key] = list
    memberOrder[#memberOrder + 1] = key
  end
  if not list.seen[member] then
    list.seen[member] = true
    list[#list + 1] = member
  end
end

local function expire(key, ttl)
  if not expiries[key] then
    expiryOrder[#expiryOrder + 1] = key
  end
  expiries[key] = ttl
end

-- Pageviews per path per second (ps:<epoch second>) and per minute (pm:<epoch minute>), so that
-- window.lua counts a window's pageviews per path from a few small hashes instead of reading
-- every pageview in it. Each count always equals the pageviews member set's: the cap below takes
-- back what it trims.
-- Lua builds a new string for every concatenation, a cost a batch pays per event: the keys of a
-- batch (a few seconds, minutes, hours and days) are built once each, and their TTL set once.
local keyCache, timed = {}, {}
local function cachedKey(kind, n, ttl)
  local byN = keyCache[kind]
  if not byN then
    byN = {}
    keyCache[kind] = byN
  end
  local key = byN[n]
  if not key then
    key = p .. kind .. (type(n) == 'number' and string.format('%d', n) or n)
    byN[n] = key
  end
  if ttl and not timed[key] then
    timed[key] = true
    expire(key, ttl)
  end
  return key
end

-- the hour of an event: its pageview counter field (pv:HH) and its visitor HyperLogLog key
local hours = {}
local function hourOf(t, day)
  local n = math.floor(t / 3600000)
  local h = hours[n]
  if not h then
    local hh = string.format('%02d', n % 24)
    h = {field = 'pv:' .. hh, visitors = p .. 'uvh:' .. day .. hh}
    expire(h.visitors, hourTtl)
    hours[n] = h
  end
  return h
end

-- (bots share these hashes under fields 'bot:<class>': a path always starts with '/')
local function countPath(t, path, delta)
  local secondKey = cachedKey('ps:', math.floor(t / 1000), bucketSeconds)
  local minuteKey = cachedKey('pm:', math.floor(t / 60000), bucketSeconds)
  hincr(secondKey, path, delta)
  hincr(minuteKey, path, delta)
end

local function withDefaults(state)
  if state[S.entry] == nil then state[S.entry] = state[S.path] end
  for k = 1, STATE_FIELDS do
    if state[k] == nil then state[k] = STATE_DEFAULTS[k] or '' end
  end
  return state
end

-- Reads many fields or members with one command per 500 of them; returns the replies in order.
local function readMany(command, key, names)
  local out = {}
  for k = 1, #names, 500 do
    local got = redis.call(command, key, unpack(names, k, math.min(k + 499, #names)))
    for j = 1, #got do out[#out + 1] = got[j] end
  end
  return out
end

-- First pass: the member each pageview and custom event is stored as. A batch retried after its
-- reply was lost (the store went away mid-call) must not count twice: its pageviews and custom
-- events are already in their sets (a repeated heartbeat changes nothing: same time, so no
-- duration and no new member).
local memberOf, replay = {}, {}
local pageviewMembers, pageviewIndex, eventMembers, eventIndex = {}, {}, {}, {}
local batchMembers = {}
for i = BATCH_ARGS + 1, #ARGV, FIELDS do
  local kind, vid, path = ARGV[i + F.type], ARGV[i + F.visitor], ARGV[i + F.path]
  local m
  if kind == 'pageview' then
    -- the window's pageviews keep only what counting them needs (id vid path); the newest keep
    -- their details too, in 'recent'
    m = ARGV[i + F.id] .. '\t' .. vid .. '\t' .. path
    pageviewMembers[#pageviewMembers + 1] = m
    pageviewIndex[#pageviewIndex + 1] = i
  elseif kind == 'event' then
    m = table.concat({ARGV[i + F.id], vid, ARGV[i + F.name], path, ARGV[i + F.props]}, '\t')
    eventMembers[#eventMembers + 1] = m
    eventIndex[#eventIndex + 1] = i
  end
  if m then
    memberOf[i] = m
    if batchMembers[m] then replay[i] = true end
    batchMembers[m] = true
  end
end
local function markHeld(key, list, index)
  if #list == 0 then return end
  local scores = readMany('ZMSCORE', key, list)
  for k = 1, #list do
    if scores[k] then replay[index[k]] = true end
  end
end
markHeld(pageviewsKey, pageviewMembers, pageviewIndex)
markHeld(eventsKey, eventMembers, eventIndex)

-- the batch's visitors, read at once
local vids = {}
for i = BATCH_ARGS + 1, #ARGV, FIELDS do
  local vid = ARGV[i + F.visitor]
  if not replay[i] and ARGV[i + F.type] ~= 'bot' and not visitors[vid] then
    visitors[vid] = true
    vids[#vids + 1] = vid
  end
end
if #vids > 0 then
  local states = readMany('HMGET', stateKey, vids)
  local seen = readMany('ZMSCORE', visitorsKey, vids)
  for k, vid in ipairs(vids) do
    visitors[vid] = {seen = seen[k] and tonumber(seen[k]) or nil,
      state = states[k] and withDefaults(split(states[k])) or nil, seenChanged = false}
    visitorOrder[#visitorOrder + 1] = vid
  end
end

local newest = 0
local stored = 0
local newPageviews, newEvents, newRecent = {}, {}, {}
local function storeEvent(i)
  local kind, t, vid = ARGV[i + F.type], tonumber(ARGV[i + F.time]), ARGV[i + F.visitor]
  if kind == 'bot' then
    countPath(t, 'bot:' .. ARGV[i + F.name], 1)
    stored = stored + 1
    return
  end
  local path, ref = ARGV[i + F.path], ARGV[i + F.referrer]
  local country = ARGV[i + F.country]
  local browser, os, device = ARGV[i + F.browser], ARGV[i + F.os], ARGV[i + F.device]
  local returning, day, minute = ARGV[i + F.returning], ARGV[i + F.day], ARGV[i + F.minute]
  local hour = hourOf(t, day)
  local dayKey = cachedKey('day:', day, dayTtl)

  local v = visitors[vid]
  local prevSeen = v.seen
  local s
  local inSession = v.state and prevSeen and t - prevSeen < gap
  -- a page closed after its session ended has nobody to take out of the present
  if kind == 'leave' and not inSession then return end
  if inSession then
    s = v.state
    if t > prevSeen then
      hincr(cachedKey('day:', s[S.day]), 'duration', t - prevSeen)
    end
  else
    -- a new session (fields: S above)
    s = withDefaults({ARGV[i + F.time], '0', day, path, ref, country, browser, os, device, '0',
      path})
    hincr(dayKey, 'sessions', 1)
    if returning == '1' then
      hincr(dayKey, 'returning', 1)
    elseif returning == '0' then
      hincr(dayKey, 'new', 1)
    end
  end

  if kind == 'pageview' then
    local spv = tonumber(s[S.pageviews]) + 1
    s[S.pageviews] = tostring(spv)
    if spv == 1 then s[S.entry] = path end
    -- engaged time is per page view: a new one starts unreported
    s[S.engaged] = '-1'
    s[S.path] = path
    if ref ~= '' then s[S.referrer] = ref end
    if tonumber(s[S.lastPageview]) < t then s[S.lastPageview] = ARGV[i + F.time] end
    -- a campaign in the page URL attributes the session, as a referrer does
    if ARGV[i + F.utmSource] ~= '' or ARGV[i + F.utmMedium] ~= ''
        or ARGV[i + F.utmCampaign] ~= '' then
      s[S.utmSource] = ARGV[i + F.utmSource]
      s[S.utmMedium] = ARGV[i + F.utmMedium]
      s[S.utmCampaign] = ARGV[i + F.utmCampaign]
    end
    local sessionDayKey = cachedKey('day:', s[S.day])
    if spv == 1 then
      hincr(sessionDayKey, 'bounces', 1)
    elseif spv == 2 then
      hincr(sessionDayKey, 'bounces', -1)
    end
    hincr(dayKey, 'pageviews', 1)
    hincr(dayKey, hour.field, 1)
    newPageviews[#newPageviews + 1] = ARGV[i + F.time]
    newPageviews[#newPageviews + 1] = memberOf[i]
    newRecent[#newRecent + 1] = ARGV[i + F.time]
    newRecent[#newRecent + 1] = table.concat({ARGV[i + F.id], vid, path, ARGV[i + F.query],
      ARGV[i + F.title], ARGV[i + F.referrer], country, browser, os, device}, '\t')
    countPath(t, path, 1)
  elseif kind == 'event' then
    newEvents[#newEvents + 1] = ARGV[i + F.time]
    newEvents[#newEvents + 1] = memberOf[i]
  end
  -- presence: a pageview or heartbeat shows the page open, a leave closes it; an event older
  -- than the latest of the other kind changes nothing, and at equal times the later one wins
  if kind == 'pageview' or kind == 'heartbeat' then
    if t >= tonumber(s[S.lastActive]) then s[S.lastActive] = ARGV[i + F.time] end
    if t >= tonumber(s[S.left]) then s[S.left] = '0' end
  elseif kind == 'leave' and t >= tonumber(s[S.lastActive]) then
    s[S.left] = ARGV[i + F.time]
  end
  local engaged = ARGV[i + F.engaged]
  if engaged ~= '-1' and (kind == 'heartbeat' or kind == 'leave') and path == s[S.path] then
    s[S.engaged] = engaged
  end
  if country ~= '' then s[S.country] = country end
  s[S.browser], s[S.os], s[S.device] = browser, os, device

  if not prevSeen or t > prevSeen then
    v.seen = t
    v.seenChanged = true
  end
  v.state = s
  addMember(cachedKey('uv:', day, dayTtl), vid)
  addMember(hour.visitors, vid)
  addMember(cachedKey('vm:', minute, bucketSeconds), vid)
  if t > newest then newest = t end
  stored = stored + 1
end
for i = BATCH_ARGS + 1, #ARGV, FIELDS do
  if not replay[i] then storeEvent(i) end
end

-- Write what the batch gathered, at most 500 members per command.
local function chunks(list, each)
  for k = 1, #list, 500 do
    each(k, math.min(k + 499, #list))
  end
end
local stateArgs, seenArgs = {}, {}
-- visitors whose only events were leaves outside a session have no state: nothing to write
local written = {}
for _, vid in ipairs(visitorOrder) do
  if visitors[vid].state then written[#written + 1] = vid end
end
visitorOrder = written
for _, vid in ipairs(visitorOrder) do
  local v = visitors[vid]
  stateArgs[#stateArgs + 1] = vid
  stateArgs[#stateArgs + 1] = table.concat(v.state, '\t')
  if v.seenChanged then
    seenArgs[#seenArgs + 1] = string.format('%d', v.seen)
    seenArgs[#seenArgs + 1] = vid
  end
end
chunks(stateArgs, function(a, b) redis.call('HSET', stateKey, unpack(stateArgs, a, b)) end)
chunks(seenArgs, function(a, b) redis.call('ZADD', visitorsKey, unpack(seenArgs, a, b)) end)
-- touched: which visitors changed, scored by the number of the batch that changed them (seq),
-- so that a reader who holds the active visitors reads exactly those changed since its last
-- read (read-changes.lua), whatever the times of their events
local seqKey = p .. 'seq'
local seq = string.format('%d', redis.call('INCR', seqKey))
local touchedKey = p .. 'touched'
local function touch(vids)
  local args = {}
  for _, vid in ipairs(vids) do
    args[#args + 1] = seq
    args[#args + 1] = vid
  end
  chunks(args, function(a, b) redis.call('ZADD', touchedKey, unpack(args, a, b)) end)
end
touch(visitorOrder)
chunks(newPageviews, function(a, b) redis.call('ZADD', pageviewsKey, unpack(newPageviews, a, b)) end)
-- the newest pageviews with their details, by time: a window's newest 50 are among them
if #newRecent > 0 then
  local first = math.max(1, #newRecent - 2 * RECENT_KEPT + 1)
  chunks(newRecent, function(a, b)
    if b >= first then redis.call('ZADD', recentKey, unpack(newRecent, math.max(a, first), b)) end
  end)
  redis.call('ZREMRANGEBYRANK', recentKey, 0, -RECENT_KEPT - 1)
end
chunks(newEvents, function(a, b) redis.call('ZADD', eventsKey, unpack(newEvents, a, b)) end)
local function writeIncrements()
  for _, key in ipairs(incrementOrder) do
    local h = increments[key]
    if #h.order <= 2 then
      for _, field in ipairs(h.order) do
        if h.fields[field] ~= 0 then
          redis.call('HINCRBY', key, field, h.fields[field])
        end
      end
    else
      -- many counters of one hash: read them all, write them all
      local old = readMany('HMGET', key, h.order)
      local args = {}
      for k, field in ipairs(h.order) do
        args[#args + 1] = field
        args[#args + 1] = string.format('%d', (tonumber(old[k]) or 0) + h.fields[field])
      end
      chunks(args, function(a, b) redis.call('HSET', key, unpack(args, a, b)) end)
    end
  end
  increments, incrementOrder = {}, {}
end
writeIncrements()
for _, key in ipairs(memberOrder) do
  local list = members[key]
  local command = string.sub(key, #p + 1, #p + 2) == 'vm' and 'SADD' or 'PFADD'
  chunks(list, function(a, b) redis.call(command, key, unpack(list, a, b)) end)
end
local function writeExpiries()
  for _, key in ipairs(expiryOrder) do
    redis.call('EXPIRE', key, expiries[key])
  end
  expiries, expiryOrder = {}, {}
end
writeExpiries()

-- Trim what has left the longest window, then cap what a flood could grow.
local cutoff = '(' .. tostring(now - retain)
local function forget(vids)
  for k = 1, #vids, 500 do
    redis.call('HDEL', stateKey, unpack(vids, k, math.min(k + 499, #vids)))
  end
end
-- visitors past the longest window: no reader holds them any more
local expired = redis.call('ZRANGEBYSCORE', visitorsKey, '-inf', cutoff)
forget(expired)
for k = 1, #expired, 500 do
  redis.call('ZREM', touchedKey, unpack(expired, k, math.min(k + 499, #expired)))
end
redis.call('ZREMRANGEBYSCORE', visitorsKey, '-inf', cutoff)
redis.call('ZREMRANGEBYSCORE', pageviewsKey, '-inf', cutoff)
redis.call('ZREMRANGEBYSCORE', eventsKey, '-inf', cutoff)
local droppedCount = 0
local visitorCount = redis.call('ZCARD', visitorsKey)
if visitorCount > maxVisitors then
  local excess = visitorCount - maxVisitors
  -- visitors the cap drops are touched, so that readers drop them too
  local dropped = redis.call('ZRANGE', visitorsKey, 0, excess - 1)
  forget(dropped)
  touch(dropped)
  droppedCount = #dropped
  redis.call('ZREMRANGEBYRANK', visitorsKey, 0, excess - 1)
end
local pageviewCount = redis.call('ZCARD', pageviewsKey)
if pageviewCount > maxPageviews then
  local trimmed = redis.call('ZRANGE', pageviewsKey, 0, pageviewCount - maxPageviews - 1,
    'WITHSCORES')
  for k = 1, #trimmed, 2 do
    countPath(tonumber(trimmed[k + 1]), string.match(trimmed[k], '^[^\t]*\t[^\t]*\t([^\t]*)'), -1)
  end
  writeIncrements()
  writeExpiries()
  redis.call('ZREMRANGEBYRANK', pageviewsKey, 0, pageviewCount - maxPageviews - 1)
end
local eventCount = redis.call('ZCARD', eventsKey)
if eventCount > maxPageviews then
  redis.call('ZREMRANGEBYRANK', eventsKey, 0, eventCount - maxPageviews - 1)
end

local last = tonumber(redis.call('GET', lastKey))
if not last or newest > last then
  redis.call('SET', lastKey, string.format('%d', newest), 'EX', dayTtl)
end
-- touched holds each visitor once: those kept, and those the cap dropped. Beyond the cap the
-- longest unchanged go, and touched-floor tells a reader that far behind to read everything;
-- never this batch's, which all share one score.
local touchedCount = redis.call('ZCARD', touchedKey)
local touchedKept = maxVisitors + #visitorOrder + droppedCount
if touchedCount > touchedKept then
  local gone = redis.call('ZRANGE', touchedKey, touchedCount - touchedKept - 1,
    touchedCount - touchedKept - 1, 'WITHSCORES')
  -- a reader whose last batch is older than this must read everything
  redis.call('SET', touchedKey .. '-floor', gone[2], 'EX', retainSeconds)
  redis.call('ZREMRANGEBYRANK', touchedKey, 0, touchedCount - touchedKept - 1)
end
redis.call('ZREMRANGEBYSCORE', recentKey, '-inf', cutoff)
for _, key in ipairs({visitorsKey, stateKey, pageviewsKey, eventsKey, touchedKey, recentKey,
    seqKey}) do
  redis.call('EXPIRE', key, retainSeconds)
end
redis.call('PUBLISH', 'pulse:changes', ARGV[ARG.siteId])
return stored
