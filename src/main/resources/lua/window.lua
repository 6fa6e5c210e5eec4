-- Reads the raw figures of one realtime window of a site.
-- KEYS[1] = pulse:{site}:visitors
-- ARGV[1] key prefix   ARGV[2] from (ms)   ARGV[3] now (ms)   ARGV[4] recent limit
-- ARGV[5] first epoch minute   ARGV[6] number of minutes   ARGV[7] today (yyyyMMdd)
-- Returns {visitors(flat id,lastSeen), states, pageviews, pathCounts(flat path,count),
--          recent(flat member,score), minutePageviews, minuteVisitors, todayVisitors, todayPageviews}
local p = ARGV[1]
local from, now = ARGV[2], ARGV[3]
local recentLimit = tonumber(ARGV[4])
local firstMinute, minutes = tonumber(ARGV[5]), tonumber(ARGV[6])
local pageviewsKey = p .. 'pageviews'

local visitors = redis.call('ZRANGEBYSCORE', KEYS[1], from, now, 'WITHSCORES')
local states = {}
for k = 1, #visitors, 1000 do
  local ids = {}
  for j = k, math.min(k + 999, #visitors), 2 do ids[#ids + 1] = visitors[j] end
  if #ids > 0 then
    local got = redis.call('HMGET', p .. 'vstate', unpack(ids))
    for _, v in ipairs(got) do states[#states + 1] = v or '' end
  end
end

-- Pageviews per path: the path is the third tab-separated field of a member.
local counts, order = {}, {}
local members = redis.call('ZRANGEBYSCORE', pageviewsKey, from, now)
for _, m in ipairs(members) do
  local a = string.find(m, '\t', 1, true)
  local b = string.find(m, '\t', a + 1, true)
  local c = string.find(m, '\t', b + 1, true)
  local path = string.sub(m, b + 1, c - 1)
  local n = counts[path]
  if n then counts[path] = n + 1 else counts[path] = 1; order[#order + 1] = path end
end
local pathCounts = {}
for _, path in ipairs(order) do
  pathCounts[#pathCounts + 1] = path
  pathCounts[#pathCounts + 1] = counts[path]
end

local recent = redis.call('ZREVRANGEBYSCORE', pageviewsKey, now, from, 'WITHSCORES',
  'LIMIT', 0, recentLimit)

local minutePageviews, minuteVisitors = {}, {}
for k = 0, minutes - 1 do
  local start = (firstMinute + k) * 60000
  minutePageviews[#minutePageviews + 1] = redis.call('ZCOUNT', pageviewsKey, start, '(' .. (start + 60000))
  minuteVisitors[#minuteVisitors + 1] = redis.call('SCARD', p .. 'vm:' .. (firstMinute + k))
end

local todayVisitors = redis.call('PFCOUNT', p .. 'uv:' .. ARGV[7])
local todayPageviews = tonumber(redis.call('HGET', p .. 'day:' .. ARGV[7], 'pageviews')) or 0
return {visitors, states, #members, pathCounts, recent, minutePageviews, minuteVisitors,
  todayVisitors, todayPageviews}
