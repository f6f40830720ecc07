-- wrk script: optional POST set-up from the environment, and a JSON summary at the end.
local body = os.getenv("BENCH_BODY")
local cookie = os.getenv("BENCH_COOKIE")
local ok, failed = 0, 0

if body then
  wrk.method = "POST"
  wrk.body = body
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end
if cookie then
  wrk.headers["Cookie"] = cookie
end

-- Counting in response() is per thread; done() only sees the summary, so the success count
-- is reported through the standard status statistics instead.
function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, ' ..
    '"non_2xx_3xx": %d, "socket_errors": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    errors.status, errors.connect + errors.read + errors.write + errors.timeout))
end
