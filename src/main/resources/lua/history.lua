-- One minute of a site's history: active and present visitors (measured by the caller from its
-- snapshot), pageviews and custom events of that minute (counted here from the keys append.lua
-- keeps). A day of minutes is one string, 1440 slots of 12 bytes: four unsigned 24-bit big-endian
-- numbers each, active visitors + 1 (so that 0 marks a minute nobody recorded), present,
-- pageviews, events. 17,280 bytes a site a day, whatever the traffic.
-- KEYS[1] = pulse:{site}:hist:<yyyyMMdd>, KEYS[2] = pulse:{site}:pm:<minute>,
-- KEYS[3] = pulse:{site}:events (all share the {site} hash tag)
-- ARGV (ARG below). Returns {written (1 or 0), active, present, pageviews, events}: with mode
-- 'record', the point is written unless the slot holds one already (another instance, or this
-- one, recorded the minute: every instance computes the same counts, and the first write wins,
-- so nothing is counted twice); with mode 'peek', nothing is written (the minute in progress).

-- Argument positions by name. HistoryArgs (Java) builds ARGV with the same names and numbers.
local ARG = {mode = 1, minute = 2, slot = 3, active = 4, present = 5, ttl = 6}
local SLOT_BYTES = 12
local MAX = 16777215

local histKey, minuteKey, eventsKey = KEYS[1], KEYS[2], KEYS[3]
local record = ARGV[ARG.mode] == 'record'
local minute = tonumber(ARGV[ARG.minute])
local offset = tonumber(ARGV[ARG.slot]) * SLOT_BYTES

local function u24(n)
  n = math.max(0, math.min(MAX, n))
  return string.char(math.floor(n / 65536) % 256, math.floor(n / 256) % 256, n % 256)
end

local function number(s, at)
  local a, b, c = string.byte(s, at, at + 2)
  return a * 65536 + b * 256 + c
end

if record then
  local held = redis.call('GETRANGE', histKey, offset, offset + SLOT_BYTES - 1)
  if #held == SLOT_BYTES and number(held, 1) > 0 then
    return {0, number(held, 1) - 1, number(held, 4), number(held, 7), number(held, 10)}
  end
end

-- pageviews: every path field of the minute's hash (bots are fields 'bot:<class>')
local pageviews = 0
local flat = redis.call('HGETALL', minuteKey)
for k = 1, #flat, 2 do
  if string.byte(flat[k]) == 47 then pageviews = pageviews + tonumber(flat[k + 1]) end
end
local from = minute * 60000
local events = redis.call('ZCOUNT', eventsKey, string.format('%d', from),
  '(' .. string.format('%d', from + 60000))
local active, present = tonumber(ARGV[ARG.active]), tonumber(ARGV[ARG.present])

if record then
  redis.call('SETRANGE', histKey, offset,
    u24(active + 1) .. u24(present) .. u24(pageviews) .. u24(events))
  redis.call('EXPIRE', histKey, ARGV[ARG.ttl])
  return {1, active, present, pageviews, events}
end
return {0, active, present, pageviews, events}
