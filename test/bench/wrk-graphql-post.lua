-- wrk script of test/bench/run.mjs: POSTs one GraphQL body (read from the file named by
-- BENCH_BODY_FILE) on every request, and prints the result as one JSON line prefixed with
-- "BENCH_JSON ".
local file = assert(io.open(os.getenv("BENCH_BODY_FILE"), "rb"))
local body = file:read("*a")
file:close()

wrk.method = "POST"
wrk.body = body
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-Auth-Token"] = "bench-owner"

-- Answers that carry GraphQL errors are failures too, even with HTTP 200.
local threads = {}
function setup(thread)
  table.insert(threads, thread)
end

graphqlErrors = 0
function response(status, headers, body)
  if body ~= nil and string.find(body, '"errors"', 1, true) then
    graphqlErrors = graphqlErrors + 1
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  local answeredErrors = 0
  for _, thread in ipairs(threads) do
    answeredErrors = answeredErrors + (thread:get("graphqlErrors") or 0)
  end
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"durationUs":%d,"bytes":%d,"p50Us":%d,"p90Us":%d,"p99Us":%d,"maxUs":%d,"meanUs":%.1f,' ..
      '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,"graphql":%d}}\n',
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean,
    e.connect, e.read, e.write, e.status, e.timeout, answeredErrors))
end
