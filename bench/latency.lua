-- wrk script for `make bench`: rotates the session cookies given after "--" over the requests
-- (one session per connection in the real world) and prints the latency distribution as one
-- JSON line that bench/run.py parses.
local cookies = {}
local counter = 0

function init(args)
  for i, c in ipairs(args) do cookies[i] = c end
end

function request()
  if #cookies == 0 then
    return wrk.format(nil)
  end
  counter = counter + 1
  return wrk.format(nil, nil, { ["Cookie"] = cookies[(counter % #cookies) + 1] })
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d, "requests": %d, ' ..
    '"duration_us": %d, "errors": %d, "status_errors": %d}\n',
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
    summary.requests, summary.duration, e.connect + e.read + e.write + e.status + e.timeout, e.status))
end
