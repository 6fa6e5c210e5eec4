-- Stores a batch of one site's events and keeps the site's realtime and day figures.
-- KEYS[1] = pulse:{site}:visitors (every other key shares the {site} hash tag, so one slot)
-- Everything that does not depend on what Redis holds is done in Java, once per batch
-- (AppendArgs): each second's pageview log lines, the members of the recent and events sets, the
-- per-second pageview counts, the per-second and per-minute path counts and the day's pageview
-- counters summed up, the HyperLogLog and minute-set members without repeats, and the keys
-- those go to with their TTLs. This script writes those as they come (each straight from ARGV,
-- no string built here) and keeps only what must read the stored state: each visitor's session
-- (vstate, visitors, touched, the day's session counters), the check for a retried batch, the
-- trims and caps.
-- Pageviews are kept per second, not one sorted-set member each: pvlog:<second> is a string of
-- the second's pageviews, a line each (ms within the second, visitor, path, tab-separated, a
-- newline at the end), appended once per batch; pvcount holds the number per second (second ->
-- count), which the cap reads. A member took about 147 bytes of Redis, a line takes its length.
-- TTLs and upkeep: a key of a period (ps:, pm:, vm:, day:, uv:, uvh:) gets its TTL, which Java
-- counts from the period's end, only in the call that may have created it: the write's own reply
-- says so (HINCRBY answering its delta, PFADD 1, SADD or HSET or ZADD adding), so a key never
-- lives without one and no other call touches it. The realtime keys (visitors, vstate,
-- pvcount, events, touched, recent, seq) live retain + 600 s from their last refresh: when
-- Java says so (refresh, SiteUpkeep: at most every 30 s per instance) and whenever this call may
-- have created one (seq restarting at 1, a reply adding, EXISTS for the sets of new members). The
-- trims and caps run when Java says so (trim: every 5 s per site and instance, or after 64 events
-- sent since the last); reads take every set by score, so nothing past the window is read between.
-- ARGV: the batch's arguments (ARG below: key prefix pulse:{site}:, now (ms), session gap (ms),
-- realtime retention (ms), max pageviews kept, max visitors kept, day key TTL (s), site id (the
-- change note published on pulse:changes), trim ('1' or '0'), refresh ('1' or '0'), the batch's
-- id (a digest of its events; empty for heartbeats and leaves only), then the length in ARGV
-- entries of each section that follows, in this order:
--   pageviews: key, text pairs: the lines a second's log (pvlog:<second>) gets from the batch
--   recent:    score, member pairs (the newest pageviews with their details)
--   events:    score, member pairs (custom events)
--   counts:    key, n, then n field, delta pairs: one hash's counters (HINCRBY)
--   uniques:   key, n, then n members: one HyperLogLog (PFADD)
--   sets:      key, n, then n members: one set (SADD)
--   expiries:  key, ttl (s) pairs: the TTL of each period key the batch may create
--   forget:    the ids of earlier batches whose replies the caller has: their marks go
--   visits:    one argument per event that a visitor's session sees, in time order: its FIELDS
--              fields tab-separated (F below: type, time, visitor, path, referrer, country,
--              browser, os, device, returning ("1", "0", "" when not said), day (yyyyMMdd),
--              minute (epoch minute), engaged (ms on the page or -1), the page URL's utm_source,
--              utm_medium, utm_campaign): one argument, not sixteen, because every argument costs
--              the caller's encoding and Redis's parsing on its own
-- Event types: pageview, heartbeat, event (custom), leave (the page was hidden or closed: the
-- visitor stays active but is no longer present; a leave outside a session is not stored). Bots
-- are only counted (their 'bot:<class>' fields are among the counts).
-- Returns the number of visits applied; or {'held'} when this batch is stored already (it was
-- sent again because its reply was lost): each stored batch leaves a mark, batch:<id>, until the
-- caller says it has the reply (forget) or a day has passed, and a batch with a mark writes
-- nothing, so that nothing counts twice. Every instance subscribed to pulse:changes learns that
-- the site changed and pushes to its streams within a tick.
-- Needs Redis 6.2 or newer (ZMSCORE).

-- Argument positions by name. AppendArgs (Java) builds ARGV with the same names and numbers, and
-- AppendArgsTest reads this file to check that both sides agree.
-- ARGV[ARG.x]: the batch's arguments, before the sections
local ARG = {prefix = 1, now = 2, sessionGap = 3, retain = 4, maxPageviews = 5,
  maxVisitors = 6, dayTtl = 7, siteId = 8, trim = 9, refresh = 10, batch = 11, pageviews = 12,
  recent = 13, events = 14, counts = 15, uniques = 16, sets = 17, expiries = 18, forget = 19,
  visits = 20}
local BATCH_ARGS = 20
-- visit[F.x]: a field of a visit, split from its argument (1-based, as Lua counts)
local F = {type = 1, time = 2, visitor = 3, path = 4, referrer = 5, country = 6, browser = 7,
  os = 8, device = 9, returning = 10, day = 11, minute = 12, engaged = 13, utmSource = 14,
  utmMedium = 15, utmCampaign = 16}
local FIELDS = 16
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
local trim = ARGV[ARG.trim] == '1'
local refresh = ARGV[ARG.refresh] == '1'
local visitorsKey = KEYS[1]
local stateKey = p .. 'vstate'
local countsKey = p .. 'pvcount'
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
-- a batch's mark outlives any outage its writer waits through with the batch still buffered
local BATCH_MARK_TTL = 86400

-- where each section starts in ARGV, and where it ends (exclusive)
local sectionStart = {}
local cursor = BATCH_ARGS + 1
for _, name in ipairs({'pageviews', 'recent', 'events', 'counts', 'uniques', 'sets',
    'expiries', 'forget', 'visits'}) do
  sectionStart[name] = cursor
  cursor = cursor + tonumber(ARGV[ARG[name]])
end
local argvEnd = cursor

-- the TTL Java counted for each period key of the batch
local ttlOf = {}
for j = sectionStart.expiries, sectionStart.visits - 1, 2 do
  ttlOf[ARGV[j]] = ARGV[j + 1]
end
-- keys this call may have created: each gets its TTL at the end, once
local created, createdOrder = {}, {}
local function mayHaveCreated(key, ttl)
  if not created[key] then
    -- (a key Java gave no TTL for is of no period: a session's day key of an earlier day)
    created[key] = ttl or dayTtl
    createdOrder[#createdOrder + 1] = key
  end
end

-- Calls command(key, <ARGV[a] .. ARGV[b - 1]>) at most 500 arguments at a time; true when a
-- reply was not 0 (a ZADD, SADD or PFADD that added: the key may be new).
local function callArgs(command, key, a, b)
  local added = false
  for k = a, b - 1, 500 do
    if redis.call(command, key, unpack(ARGV, k, math.min(k + 499, b - 1))) ~= 0 then
      added = true
    end
  end
  return added
end
-- Calls command(key, <list>) at most 500 members at a time; returns the replies in order.
local function callList(command, key, list)
  local out = {}
  for k = 1, #list, 500 do
    local got = redis.call(command, key, unpack(list, k, math.min(k + 499, #list)))
    if type(got) == 'table' then
      for j = 1, #got do out[#out + 1] = got[j] end
    end
  end
  return out
end

-- A batch retried after its reply was lost (the store went away mid-call) must not count twice:
-- its mark says it is stored. (The caller retries a failed batch as it was, so it has the same id.)
local function forgetBatches()
  local keys = {}
  for j = sectionStart.forget, sectionStart.visits - 1 do
    keys[#keys + 1] = p .. 'batch:' .. ARGV[j]
  end
  for j = 1, #keys, 500 do redis.call('DEL', unpack(keys, j, math.min(j + 499, #keys))) end
end
-- (a batch of only heartbeats and leaves has no id: stored twice, it changes nothing)
local batchKey = ARGV[ARG.batch] ~= '' and p .. 'batch:' .. ARGV[ARG.batch] or nil
if batchKey and redis.call('EXISTS', batchKey) == 1 then
  forgetBatches()
  return {'held'}
end

-- The pattern that splits a text of exactly n tab-separated fields in one match (one call into C).
local function fieldsPattern(n)
  return '^' .. string.rep('([^\t]*)\t', n - 1) .. '([^\t]*)$'
end

-- A state of all STATE_FIELDS fields is split by one pattern match; an older, shorter one field
-- by field.
local STATE_PATTERN = fieldsPattern(STATE_FIELDS)
local function split(s)
  local whole = {string.match(s, STATE_PATTERN)}
  if #whole == STATE_FIELDS then return whole end
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


local function withDefaults(state)
  if state[S.entry] == nil then state[S.entry] = state[S.path] end
  for k = 1, STATE_FIELDS do
    if state[k] == nil then state[k] = STATE_DEFAULTS[k] or '' end
  end
  return state
end

-- what the visits change, each key written once at the end
local visitors, visitorOrder = {}, {}    -- vid -> {seen, state, seenChanged}
local dayCounts, dayOrder = {}, {}       -- day hash key -> field -> delta
local leaveMembers, leaveOrder = {}, {}  -- key -> {command, ttl, members} (leaves only)

local dayKeys = {}
local function dayCount(day, field, delta)
  local key = dayKeys[day]
  if not key then
    key = p .. 'day:' .. day
    dayKeys[day] = key
  end
  local h = dayCounts[key]
  if not h then
    h = {}
    dayCounts[key] = h
    dayOrder[#dayOrder + 1] = key
  end
  h[field] = (h[field] or 0) + delta
end

-- A leave in a session makes its visitor count in its day, hour and minute, as every other
-- visit does; Java cannot know whether it is in a session, so its members are added here.
local function leaveMember(command, key, ttl, vid)
  ttl = ttlOf[key] or ttl
  local m = leaveMembers[key]
  if not m then
    m = {command = command, ttl = ttl}
    leaveMembers[key] = m
    leaveOrder[#leaveOrder + 1] = key
  end
  m[#m + 1] = vid
end

-- the batch's visits, each split by one pattern match, and its visitors, read at once
local VISIT_PATTERN = fieldsPattern(FIELDS)
local visits = {}
local vids = {}
for i = sectionStart.visits, argvEnd - 1 do
  local r = {string.match(ARGV[i], VISIT_PATTERN)}
  visits[#visits + 1] = r
  local vid = r[F.visitor]
  if not visitors[vid] then
    visitors[vid] = true
    vids[#vids + 1] = vid
  end
end
if #vids > 0 then
  local states = callList('HMGET', stateKey, vids)
  local seen = callList('ZMSCORE', visitorsKey, vids)
  for k, vid in ipairs(vids) do
    visitors[vid] = {seen = seen[k] and tonumber(seen[k]) or nil,
      state = states[k] and withDefaults(split(states[k])) or nil, seenChanged = false}
    visitorOrder[#visitorOrder + 1] = vid
  end
end

local newest = 0
local applied = 0
local function visit(r)
  local kind, t, vid = r[F.type], tonumber(r[F.time]), r[F.visitor]
  local path, ref = r[F.path], r[F.referrer]
  local country = r[F.country]
  local browser, os, device = r[F.browser], r[F.os], r[F.device]
  local returning, day = r[F.returning], r[F.day]

  local v = visitors[vid]
  local prevSeen = v.seen
  local s
  local inSession = v.state and prevSeen and t - prevSeen < gap
  -- a page closed after its session ended has nobody to take out of the present
  if kind == 'leave' and not inSession then return end
  if inSession then
    s = v.state
    if t > prevSeen then
      dayCount(s[S.day], 'duration', t - prevSeen)
    end
  else
    -- a new session (fields: S above)
    s = withDefaults({r[F.time], '0', day, path, ref, country, browser, os, device, '0',
      path})
    dayCount(day, 'sessions', 1)
    if returning == '1' then
      dayCount(day, 'returning', 1)
    elseif returning == '0' then
      dayCount(day, 'new', 1)
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
    if tonumber(s[S.lastPageview]) < t then s[S.lastPageview] = r[F.time] end
    -- a campaign in the page URL attributes the session, as a referrer does
    if r[F.utmSource] ~= '' or r[F.utmMedium] ~= ''
        or r[F.utmCampaign] ~= '' then
      s[S.utmSource] = r[F.utmSource]
      s[S.utmMedium] = r[F.utmMedium]
      s[S.utmCampaign] = r[F.utmCampaign]
    end
    if spv == 1 then
      dayCount(s[S.day], 'bounces', 1)
    elseif spv == 2 then
      dayCount(s[S.day], 'bounces', -1)
    end
  end
  -- presence: a pageview or heartbeat shows the page open, a leave closes it; an event older
  -- than the latest of the other kind changes nothing, and at equal times the later one wins
  if kind == 'pageview' or kind == 'heartbeat' then
    if t >= tonumber(s[S.lastActive]) then s[S.lastActive] = r[F.time] end
    if t >= tonumber(s[S.left]) then s[S.left] = '0' end
  elseif kind == 'leave' then
    if t >= tonumber(s[S.lastActive]) then s[S.left] = r[F.time] end
    local hour = string.format('%02d', math.floor(t / 3600000) % 24)
    leaveMember('PFADD', p .. 'uv:' .. day, dayTtl, vid)
    leaveMember('PFADD', p .. 'uvh:' .. day .. hour, hourTtl, vid)
    leaveMember('SADD', p .. 'vm:' .. r[F.minute], bucketSeconds, vid)
  end
  local engaged = r[F.engaged]
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
  if t > newest then newest = t end
  applied = applied + 1
end
for _, r in ipairs(visits) do
  visit(r)
end

-- Write what the batch gathered, at most 500 arguments per command.
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
-- the realtime keys get retain + 600 s; the sets of new members are checked before they are
-- written (a write into them always adds)
local realtimeTtl = tostring(retainSeconds)
local function addedTo(key, reply)
  if reply ~= 0 then mayHaveCreated(key, realtimeTtl) end
end
if not refresh then
  local sets = {}
  if sectionStart.recent > sectionStart.pageviews then sets[#sets + 1] = recentKey end
  if sectionStart.counts > sectionStart.events then sets[#sets + 1] = eventsKey end
  if #sets > 0 and redis.call('EXISTS', unpack(sets)) < #sets then
    for _, key in ipairs(sets) do mayHaveCreated(key, realtimeTtl) end
  end
end
chunks(stateArgs, function(a, b)
  addedTo(stateKey, redis.call('HSET', stateKey, unpack(stateArgs, a, b)))
end)
chunks(seenArgs, function(a, b)
  addedTo(visitorsKey, redis.call('ZADD', visitorsKey, unpack(seenArgs, a, b)))
end)
-- touched: which visitors changed, scored by the number of the batch that changed them (seq),
-- so that a reader who holds the active visitors reads exactly those changed since its last
-- read (window.lua), whatever the times of their events
local seqKey = p .. 'seq'
local seqNumber = redis.call('INCR', seqKey)
-- the site's batch numbers start over: its realtime keys are new (expired, or a new Redis)
if seqNumber == 1 then refresh = true end
local seq = string.format('%d', seqNumber)
local touchedKey = p .. 'touched'
local function touch(list)
  local args = {}
  for _, vid in ipairs(list) do
    args[#args + 1] = seq
    args[#args + 1] = vid
  end
  chunks(args, function(a, b)
    addedTo(touchedKey, redis.call('ZADD', touchedKey, unpack(args, a, b)))
  end)
end
touch(visitorOrder)

-- the sections Java summed up, straight from ARGV: each second's log lines (a log this call
-- starts gets the second's TTL)
for j = sectionStart.pageviews, sectionStart.recent - 1, 2 do
  if redis.call('APPEND', ARGV[j], ARGV[j + 1]) == #ARGV[j + 1] then
    mayHaveCreated(ARGV[j], ttlOf[ARGV[j]])
  end
end
-- the newest pageviews with their details, by time: a window's newest 50 are among them (Java
-- sends at most RECENT_KEPT; the upkeep trims it to those)
callArgs('ZADD', recentKey, sectionStart.recent, sectionStart.events)
callArgs('ZADD', eventsKey, sectionStart.events, sectionStart.counts)
-- Adds deltas to one hash's counters: with few fields one HINCRBY each, with many one read and
-- one write (fields and deltas: lists of the same length). True when the hash may be new: no
-- field it wrote held a number other than 0 before.
local function addCounts(key, fields, deltas)
  local new = true
  if #fields <= 2 then
    for j = 1, #fields do
      if deltas[j] ~= 0 and redis.call('HINCRBY', key, fields[j], deltas[j]) ~= deltas[j] then
        new = false
      end
    end
    return new
  end
  local old = callList('HMGET', key, fields)
  local args = {}
  for j = 1, #fields do
    if old[j] then new = false end
    args[#args + 1] = fields[j]
    args[#args + 1] = string.format('%d', (tonumber(old[j]) or 0) + deltas[j])
  end
  chunks(args, function(a, b) redis.call('HSET', key, unpack(args, a, b)) end)
  return new
end
local k = sectionStart.counts
while k < sectionStart.uniques do
  local n = tonumber(ARGV[k + 1])
  local fields, deltas = {}, {}
  for j = k + 2, k + 1 + 2 * n, 2 do
    fields[#fields + 1] = ARGV[j]
    deltas[#deltas + 1] = tonumber(ARGV[j + 1])
  end
  if addCounts(ARGV[k], fields, deltas) then mayHaveCreated(ARGV[k], ttlOf[ARGV[k]]) end
  k = k + 2 + 2 * n
end
-- the visits' own: session counters (before the TTLs below: a day key may start here), and the
-- members of leaves in a session
for _, key in ipairs(dayOrder) do
  local fields, deltas = {}, {}
  for field, delta in pairs(dayCounts[key]) do
    fields[#fields + 1] = field
    deltas[#deltas + 1] = delta
  end
  -- (a session's day key is the batch's, or one of an earlier day that has its TTL already)
  if addCounts(key, fields, deltas) then mayHaveCreated(key, ttlOf[key] or dayTtl) end
end
for _, key in ipairs(leaveOrder) do
  local m = leaveMembers[key]
  for j = 1, #m, 500 do
    if redis.call(m.command, key, unpack(m, j, math.min(j + 499, #m))) ~= 0 then
      mayHaveCreated(key, m.ttl)
    end
  end
end
local function addMembers(command, first, last)
  local j = first
  while j < last do
    local n = tonumber(ARGV[j + 1])
    if callArgs(command, ARGV[j], j + 2, j + 2 + n) then
      mayHaveCreated(ARGV[j], ttlOf[ARGV[j]])
    end
    j = j + 2 + n
  end
end
addMembers('PFADD', sectionStart.uniques, sectionStart.sets)
addMembers('SADD', sectionStart.sets, sectionStart.expiries)

local last = tonumber(redis.call('GET', lastKey))
if not last or newest > last then
  redis.call('SET', lastKey, string.format('%d', newest), 'EX', dayTtl)
end

-- Trim what has left the longest window, then cap what a flood could grow.
local function forget(list)
  for j = 1, #list, 500 do
    redis.call('HDEL', stateKey, unpack(list, j, math.min(j + 499, #list)))
  end
end
-- pvcount's own fields beside its seconds: the pageviews its seconds hold (Java adds to it
-- with them: AppendArgs.PAGEVIEWS_HELD), the first second not yet trimmed, and the last second
-- whose log was written anew (compactLogs)
local TOTAL, FROM, COMPACTED = 'total', 'from', 'compacted'
-- The seconds past the window leave pvcount, read by name from the first second not yet trimmed
-- (and a minute before it, for an instance whose clock is behind): a few fields per trim, not
-- the window's every second. Returns the pageviews the seconds left hold.
-- the first second the retention keeps: pvcount's seconds before it are trimmed, and their logs
-- have expired
local firstKeptSecond = math.floor((now - retain) / 1000)
local function trimPageviewCounts()
  local got = redis.call('HMGET', countsKey, TOTAL, FROM)
  local total = tonumber(got[1]) or 0
  local from = math.min(tonumber(got[2]) or firstKeptSecond, firstKeptSecond) - 60
  local past = {}
  if firstKeptSecond - from > redis.call('HLEN', countsKey) then
    -- a gap longer than the fields held (the clock went forward while the key lived): their
    -- names are fewer than the seconds passed
    for _, field in ipairs(redis.call('HKEYS', countsKey)) do
      local second = tonumber(field)
      if second and second < firstKeptSecond then past[#past + 1] = field end
    end
  else
    for second = from, firstKeptSecond - 1 do past[#past + 1] = string.format('%d', second) end
  end
  local counts = callList('HMGET', countsKey, past)
  local gone = {}
  for k = 1, #past do
    if counts[k] then
      total = total - tonumber(counts[k])
      gone[#gone + 1] = past[k]
    end
  end
  callList('HDEL', countsKey, gone)
  redis.call('HSET', countsKey, FROM, string.format('%d', firstKeptSecond), TOTAL,
    string.format('%d', total))
  return total
end

-- Pageviews per path per second (ps:<epoch second>) and per minute (pm:<epoch minute>) always
-- equal the logs': the cap takes back what it drops. Beyond the cap the oldest pageviews go:
-- whole seconds (their paths taken back from the second's counts, no log read), then the first
-- stored lines of the next second (a log holds its lines in the order they were stored, which
-- is their time order but for events that came late). The cost follows what is dropped and one
-- second's log (written anew without those lines), and a second is cut into at least a
-- hundredth of the cap at a time, so that a flood past the cap rewrites a log once per
-- hundredth, not once per call.
local function capPageviews()
  local total = trimPageviewCounts()
  if total <= maxPageviews then return end
  -- past the cap (rare): every second held, oldest first
  local flat = redis.call('HGETALL', countsKey)
  local seconds, countOf = {}, {}
  for j = 1, #flat, 2 do
    local second = tonumber(flat[j])
    if second then
      seconds[#seconds + 1] = second
      countOf[second] = tonumber(flat[j + 1])
    end
  end
  table.sort(seconds)
  -- per hash, the counts to take back: field -> delta, fields in order
  local back, backOrder = {}, {}
  local function takeBack(key, path, n)
    local h = back[key]
    if not h then
      h = {fields = {}, deltas = {}, index = {}}
      back[key] = h
      backOrder[#backOrder + 1] = key
    end
    local j = h.index[path]
    if j then
      h.deltas[j] = h.deltas[j] - n
    else
      h.fields[#h.fields + 1] = path
      h.deltas[#h.deltas + 1] = -n
      h.index[path] = #h.fields
    end
  end
  local excess = total - maxPageviews
  for _, second in ipairs(seconds) do
    if excess <= 0 then break end
    local text = string.format('%d', second)
    local logKey, secondKey = p .. 'pvlog:' .. text, p .. 'ps:' .. text
    local minuteKey = p .. 'pm:' .. string.format('%d', math.floor(second / 60))
    local n = countOf[second]
    if n <= excess then
      -- the whole second: its paths' counts are the second's hash (less its bots)
      local counts = redis.call('HGETALL', secondKey)
      local paths = {}
      for j = 1, #counts, 2 do
        if string.sub(counts[j], 1, 4) ~= 'bot:' then
          takeBack(minuteKey, counts[j], tonumber(counts[j + 1]))
          paths[#paths + 1] = counts[j]
        end
      end
      callList('HDEL', secondKey, paths)
      redis.call('DEL', logKey)
      redis.call('HDEL', countsKey, text)
      redis.call('HINCRBY', countsKey, TOTAL, -n)
      excess = excess - n
    else
      -- the first stored lines of this second
      local log = redis.call('GET', logKey) or ''
      local want = math.max(excess, math.min(n, math.ceil(maxPageviews / 100)))
      local cut, dropped = 0, 0
      while dropped < want do
        local nl = string.find(log, '\n', cut + 1, true)
        if not nl then break end
        local path = string.match(log, '^[^\t\n]*\t[^\t\n]*\t([^\t\n]*)\n', cut + 1)
        takeBack(secondKey, path, 1)
        takeBack(minuteKey, path, 1)
        cut, dropped = nl, dropped + 1
      end
      if cut < #log then
        redis.call('SET', logKey, string.sub(log, cut + 1), 'KEEPTTL')
        redis.call('HINCRBY', countsKey, text, -dropped)
      else
        redis.call('DEL', logKey)
        redis.call('HDEL', countsKey, text)
      end
      redis.call('HINCRBY', countsKey, TOTAL, -dropped)
      excess = 0
    end
  end
  for _, key in ipairs(backOrder) do
    if addCounts(key, back[key].fields, back[key].deltas) then
      mayHaveCreated(key, bucketSeconds)
    end
  end
end

-- The logs of seconds that are over (two seconds ago and before), each written anew once at its
-- length: APPEND allocates ahead as a log grows (a log took 73 bytes per 46-byte line), a SET
-- takes what the text needs. A line that comes later still appends (rarely).
local function compactLogs()
  local last = math.floor(now / 1000) - 2
  local done = tonumber(redis.call('HGET', countsKey, COMPACTED))
  if done then
    -- (at most the retention's seconds: older logs have expired)
    for second = math.max(done, firstKeptSecond - 1) + 1, last do
      local key = p .. 'pvlog:' .. string.format('%d', second)
      local log = redis.call('GET', key)
      if log then redis.call('SET', key, log, 'KEEPTTL') end
    end
  end
  if not done or last > done then
    redis.call('HSET', countsKey, COMPACTED, string.format('%d', last))
  end
end

local function trimAndCap()
  local cutoff = '(' .. tostring(now - retain)
  -- visitors past the longest window: no reader holds them any more
  local expired = redis.call('ZRANGEBYSCORE', visitorsKey, '-inf', cutoff)
  forget(expired)
  for j = 1, #expired, 500 do
    redis.call('ZREM', touchedKey, unpack(expired, j, math.min(j + 499, #expired)))
  end
  redis.call('ZREMRANGEBYSCORE', visitorsKey, '-inf', cutoff)
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
  capPageviews()
  local eventCount = redis.call('ZCARD', eventsKey)
  if eventCount > maxPageviews then
    redis.call('ZREMRANGEBYRANK', eventsKey, 0, eventCount - maxPageviews - 1)
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
  redis.call('ZREMRANGEBYRANK', recentKey, 0, -RECENT_KEPT - 1)
end
if trim then
  trimAndCap()
  compactLogs()
end

-- the TTLs: every realtime key on a refresh, else those this call may have created; each period
-- key this call may have created
local realtimeKeys = {visitorsKey, stateKey, countsKey, eventsKey, touchedKey, recentKey,
  seqKey}
if refresh then
  for _, key in ipairs(realtimeKeys) do
    redis.call('EXPIRE', key, retainSeconds)
    created[key] = nil
  end
end
for _, key in ipairs(createdOrder) do
  if created[key] then redis.call('EXPIRE', key, created[key]) end
end
-- this batch is stored: its mark stays until the caller has the reply; earlier ones go
if batchKey then redis.call('SET', batchKey, '1', 'EX', BATCH_MARK_TTL) end
forgetBatches()
redis.call('PUBLISH', 'pulse:changes', ARGV[ARG.siteId])
return applied
