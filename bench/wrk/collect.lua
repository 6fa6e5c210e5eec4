-- wrk script for bench/ingest: POST /api/collect with one pageview (BATCH=1) or an array of BATCH
-- pageviews per request, from VISITORS distinct visitors (each its own X-Forwarded-For, and one of
-- USER_AGENTS distinct user agents; Pulse runs with PULSE_TRUST_PROXY=true), over the sites in
-- SITES (comma-separated).
-- Requests are built before the run, so wrk spends its time sending them.
local batch = tonumber(os.getenv("BATCH") or "1")
local visitors = tonumber(os.getenv("VISITORS") or "10000")
local sites = {}
for site in string.gmatch(os.getenv("SITES") or "bench", "[^,]+") do sites[#sites + 1] = site end
local host = "bench.example.com"
local sections = {"docs", "blog", "guides", "changelog"}
local words = {"realtime", "visitors", "redis", "sorted-sets", "privacy", "dashboards",
  "self-hosting", "scaling", "events", "cookieless"}
local referrers = {"https://www.google.com/", "https://news.ycombinator.com/",
  "https://www.reddit.com/r/selfhosted/", "https://t.co/x1y2z3", "https://duckduckgo.com/"}
local countries = {"US", "GB", "DE", "FR", "IN", "BR", "JP", "CA", "NL", "SE"}
-- 1,000 distinct user agents (USER_AGENTS), as many browsers, versions and platforms send: five
-- families, each with 200 version strings, so the parser's cache sees a realistic spread
local agentCount = tonumber(os.getenv("USER_AGENTS") or "1000")
local families = {
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/%d.0.%d.%d Safari/537.36",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_%d) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.%d Safari/605.1.%d",
  "Mozilla/5.0 (X11; Linux x86_64; rv:%d.0) Gecko/20100101 Firefox/%d.%d",
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_%d like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.%d Mobile/15E%d Safari/604.1",
  "Mozilla/5.0 (Linux; Android %d; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.%d.%d Mobile Safari/537.36"}
local agents = {}
for n = 0, agentCount - 1 do
  local family = n % #families
  local k = math.floor(n / #families)
  local a, b, c = 100 + k % 40, k % 7, 1000 + k
  if family == 2 then a, b, c = 90 + k % 50, 90 + k % 50, k end
  if family == 1 or family == 3 then a, b, c = k % 8, k % 6, 100 + k end
  if family == 4 then a, b, c = 10 + k % 5, 6000 + k, k % 200 end
  agents[n + 1] = string.format(families[family + 1], a, b, c)
end

local function pageview(site)
  local i = math.floor(200 * math.random() ^ 3)
  local slug = words[i % #words + 1] .. "-" .. words[(i * 7) % #words + 1] .. "-" .. i
  local section = sections[i % #sections + 1]
  local event = '{"site":"' .. site .. '","url":"https://' .. host .. '/' .. section .. '/' ..
    slug .. '","title":"' .. slug:gsub("-", " ") .. ' | Pulse ' .. section .. '"'
  if math.random(3) == 1 then
    event = event .. ',"referrer":"' .. referrers[math.random(#referrers)] .. '"'
  end
  return event .. "}"
end

-- DELAY_MS > 0 paces the load: each connection waits that long before each request (wrk's
-- delay()), so that the rate offered stays below what Pulse stores and none is answered 503
local pace = tonumber(os.getenv("DELAY_MS") or "0")
if pace > 0 then
  function delay() return pace end
end

local requests = {}
local counter = 0
local next_request = 1
local threads = {}
function setup(thread)
  counter = counter + 1
  thread:set("thread_number", counter)
  threads[#threads + 1] = thread
end

-- which non-2xx statuses came back: one counter per status a busy Pulse may answer
local watched = {400, 408, 413, 429, 500, 502, 503, 504}
for _, s in ipairs(watched) do _G["status_" .. s] = 0 end
function response(status, headers, body)
  if status >= 300 then
    local name = "status_" .. status
    _G[name] = (_G[name] or 0) + 1
  end
end

function init(args)
  math.randomseed(12345 + (thread_number or 0) * 7919)
  local count = batch == 1 and 20000 or 2000
  for n = 1, count do
    local v = math.random(visitors)
    local site = sites[n % #sites + 1]
    local body
    if batch == 1 then
      body = pageview(site)
    else
      local events = {}
      for k = 1, batch do events[k] = pageview(site) end
      body = "[" .. table.concat(events, ",") .. "]"
    end
    requests[n] = wrk.format("POST", "/api/collect", {
      ["Host"] = "127.0.0.1",
      ["Content-Type"] = "text/plain",
      ["User-Agent"] = agents[v % #agents + 1],
      ["X-Forwarded-For"] = "10." .. math.floor(v / 65536) % 256 .. "." ..
        math.floor(v / 256) % 256 .. "." .. v % 256,
      ["CF-IPCountry"] = countries[math.floor(v / 7) % #countries + 1]}, body)
  end
end

function request()
  local r = requests[next_request]
  next_request = next_request % #requests + 1
  return r
end

done = function(summary, latency, requests)
  io.write(string.format("requests=%d\nseconds=%.3f\nnon2xx=%d\nsocket_errors=%d\np50_ms=%.2f\np99_ms=%.2f\n",
    summary.requests, summary.duration / 1e6, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
  local statuses = {}
  for _, s in ipairs(watched) do
    local n = 0
    for _, thread in ipairs(threads) do n = n + (thread:get("status_" .. s) or 0) end
    if n > 0 then statuses[#statuses + 1] = s .. ":" .. n end
  end
  io.write("statuses=" .. (#statuses > 0 and table.concat(statuses, "/") or "none") .. "\n")
end
