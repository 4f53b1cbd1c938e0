-- wrk -s benchmarks/complaints_webform.lua: the citizen web form's POST (urlencoded, no photo), with a CSRF
-- cookie/token pair taken once from the form page (env CSRF_COOKIE, CSRF_TOKEN, CATEGORY_ID).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = "csrftoken=" .. (os.getenv("CSRF_COOKIE") or "")
wrk.headers["Referer"] = "http://127.0.0.1/"
wrk.body = "csrfmiddlewaretoken=" .. (os.getenv("CSRF_TOKEN") or "") .. "&category=" .. (os.getenv("CATEGORY_ID") or "") ..
  "&description=%E0%B9%84%E0%B8%9F%E0%B8%96%E0%B8%99%E0%B8%99%E0%B8%94%E0%B8%B1%E0%B8%9A&latitude=16.5931" ..
  "&longitude=103.2321&village=3&lat=16.5931&long=103.2321"

done = function(summary, latency, requests)
  local secs = summary.duration / 1e6
  io.write(string.format("RESULT requests=%d non2xx=%d socket_errors=%d rps=%.1f p50_ms=%.1f p95_ms=%.1f p99_ms=%.1f\n",
    summary.requests, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.requests / secs, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000))
end
