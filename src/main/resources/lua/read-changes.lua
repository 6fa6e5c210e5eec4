-- The visitors append.lua changed after batch number ARGV[1], and the newest batch number, read
-- at one instant so that no batch falls between the two. When append.lua has dropped touched
-- entries newer than ARGV[1] (a flood past the visitor cap), answers {-1}: read everything.
-- KEYS[1] = pulse:{site}:touched   KEYS[2] = pulse:{site}:seq   KEYS[3] = pulse:{site}:touched-floor
local seq = tonumber(redis.call('GET', KEYS[2])) or 0
local floor = tonumber(redis.call('GET', KEYS[3])) or 0
if floor > tonumber(ARGV[1]) then
  return {-1}
end
return {seq, redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. ARGV[1], '+inf')}
