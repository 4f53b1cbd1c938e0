-- wrk -s benchmarks/eservice_booking.lua: POST /api/queue/bookings/ (JSON) to a random slot of env SLOT_IDS
-- (comma-separated) with a random phone number, so every request is a real booking (no 409 for a twin phone).
-- Against the bare view the same body is posted.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local slots = {}
for id in string.gmatch(os.getenv("SLOT_IDS") or "1", "[^,]+") do table.insert(slots, id) end

setup = function(thread) thread:set("seed", math.random(1, 1000000)) end
init = function(args) math.randomseed(os.time() + (seed or 0)) end

request = function()
  local slot = slots[math.random(#slots)]
  local phone = string.format("08%08d", math.random(0, 99999999))
  local body = '{"slot": ' .. slot .. ', "name": "ผู้จองทดสอบ", "phone": "' .. phone .. '"}'
  return wrk.format(nil, nil, nil, body)
end

done = function(summary, latency, requests)
  local secs = summary.duration / 1e6
  io.write(string.format("RESULT requests=%d non2xx=%d socket_errors=%d rps=%.1f p50_ms=%.1f p95_ms=%.1f p99_ms=%.1f\n",
    summary.requests, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.requests / secs, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000))
end
