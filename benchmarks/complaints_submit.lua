-- wrk -s benchmarks/complaints_submit.lua: POST an Open311 request (form-encoded), key from env API_KEY.
-- The bare baseline view receives the very same body.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
local key = os.getenv("API_KEY") or ""
wrk.body = "jurisdiction_id=khamyai&service_code=street_light&lat=16.5931&long=103.2321" ..
  "&description=%E0%B9%84%E0%B8%9F%E0%B8%96%E0%B8%99%E0%B8%99%E0%B8%94%E0%B8%B1%E0%B8%9A&api_key=" .. key

done = function(summary, latency, requests)
  local secs = summary.duration / 1e6
  io.write(string.format("RESULT requests=%d non2xx=%d socket_errors=%d rps=%.1f p50_ms=%.1f p95_ms=%.1f p99_ms=%.1f\n",
    summary.requests, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.requests / secs, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000))
end
