-- The visitors append.lua changed after batch number ARGV[1], and the newest batch number, read
-- at one instant so that no batch falls between the two.
-- KEYS[1] = pulse:{site}:touched   KEYS[2] = pulse:{site}:seq
local seq = tonumber(redis.call('GET', KEYS[2])) or 0
return {seq, redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. ARGV[1], '+inf')}
