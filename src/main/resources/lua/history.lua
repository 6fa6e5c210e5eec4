-- One minute of a site's history: active and present visitors (measured by the caller from its
-- snapshot), pageviews and custom events of that minute (counted here from the keys append.lua
-- keeps). A day of minutes is one string of 1440 slots of 11 bytes: four unsigned 22-bit
-- numbers, big-endian, one after another: active visitors + 1 (so that a slot of zeros is a
-- minute nobody recorded), present, pageviews, events (HistorySlots in Java reads them).
-- KEYS[1] = pulse:{site}:hist:<yyyyMMdd>, KEYS[2] = pulse:{site}:pm:<minute>,
-- KEYS[3] = pulse:{site}:events (all share the {site} hash tag)
-- ARGV (ARG below). Mode 'record' writes the point unless its slot holds one already: another
-- instance, or this one, recorded the minute, and the first write wins, so nothing is counted
-- twice. Mode 'peek' writes nothing (the minute in progress).
-- Returns {1, pageviews, events} when written or peeked, {0, slot bytes} when already recorded.

-- Argument positions by name. HistoryArgs (Java) builds ARGV with the same names and numbers.
local ARG = {mode = 1, minute = 2, slot = 3, active = 4, present = 5, ttl = 6}
local SLOT_BYTES = 11
local MAX = 4194303
local P22, P40 = 4194304, 1099511627776

local histKey, minuteKey, eventsKey = KEYS[1], KEYS[2], KEYS[3]
local record = ARGV[ARG.mode] == 'record'
local minute = tonumber(ARGV[ARG.minute])
local offset = tonumber(ARGV[ARG.slot]) * SLOT_BYTES

if record then
  local held = redis.call('GETRANGE', histKey, offset, offset + SLOT_BYTES - 1)
  if #held == SLOT_BYTES and held ~= string.rep('\0', SLOT_BYTES) then
    return {0, held}
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

if record then
  local function clamp(n) return math.max(0, math.min(MAX, n)) end
  -- two 44-bit halves (exact in Lua's doubles): active and present, pageviews and events
  local first = clamp(tonumber(ARGV[ARG.active]) + 1) * P22 + clamp(tonumber(ARGV[ARG.present]))
  local second = clamp(pageviews) * P22 + clamp(events)
  local b = {}
  for k = 0, 4 do
    b[k + 1] = math.floor(first / 2 ^ (36 - 8 * k)) % 256
    b[k + 7] = math.floor(second / 2 ^ (32 - 8 * k)) % 256
  end
  b[6] = (first % 16) * 16 + math.floor(second / P40)
  -- a new day's string is made whole at once: grown slot by slot, Redis would keep spare room
  -- (20 KiB where 16 KiB hold the day)
  if redis.call('EXISTS', histKey) == 0 then
    redis.call('SETRANGE', histKey, 1440 * SLOT_BYTES - 1, '\0')
  end
  redis.call('SETRANGE', histKey, offset, string.char(unpack(b)))
  redis.call('EXPIRE', histKey, ARGV[ARG.ttl])
end
return {1, pageviews, events}
