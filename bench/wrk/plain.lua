-- wrk script for bench/ingest: a plain GET (the URL given to wrk), reporting like collect.lua.
done = function(summary, latency, requests)
  io.write(string.format("requests=%d\nseconds=%.3f\nnon2xx=%d\nsocket_errors=%d\np50_ms=%.2f\np99_ms=%.2f\n",
    summary.requests, summary.duration / 1e6, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
