-- wrk script of `npm run bench`: the same GraphQL POST on every request (the body is read from
-- BENCH_BODY_FILE), answers carrying "errors" counted (unless BENCH_CHECK=0), and one line
-- `BENCH_RESULT {json}` printed at the end for the runner.

local file = assert(io.open(os.getenv("BENCH_BODY_FILE"), "rb"))
local body = file:read("*a")
file:close()

wrk.method = "POST"
wrk.body = body
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-Auth-Token"] = os.getenv("BENCH_TOKEN")
wrk.headers["X-Project-Id"] = os.getenv("BENCH_PROJECT")

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

graphql_errors = 0

if os.getenv("BENCH_CHECK") ~= "0" then
  function response(status, headers, text)
    if string.find(text, '"errors"', 1, true) then
      graphql_errors = graphql_errors + 1
    end
  end
end

function done(summary, latency, requests)
  local errors = 0
  for _, thread in ipairs(threads) do
    errors = errors + (thread:get("graphql_errors") or 0)
  end
  io.write(string.format(
    'BENCH_RESULT {"requests":%d,"durationUs":%d,"bytes":%d,"connectErrors":%d,"readErrors":%d,' ..
      '"writeErrors":%d,"non2xx":%d,"timeouts":%d,"graphqlErrors":%d,"p50Us":%d,"p90Us":%d,' ..
      '"p99Us":%d,"p999Us":%d,"meanUs":%.1f,"maxUs":%d}\n',
    summary.requests, summary.duration, summary.bytes, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.status, summary.errors.timeout, errors,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9),
    latency.mean, latency.max))
end
