-- wrk script for bench/run.py: POSTs form-encoded SPARQL queries read from BENCH_BODIES.
-- BENCH_MODE=cycle: one body per line, cycled. BENCH_MODE=param: line 1 and 2 are the encoded text
-- before and after the characteristic IRI, the other lines encoded IRIs; every request gets the next
-- IRI and a LIMIT of 1000 + n mod 10^6, n unique per request (threads start 400000 apart).
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

function init(args)
  mode = os.getenv("BENCH_MODE") or "cycle"
  local lines = {}
  for line in io.lines(os.getenv("BENCH_BODIES")) do
    if #line > 0 then lines[#lines + 1] = line end
  end
  if mode == "param" then
    pre, mid, iris = lines[1], lines[2], {}
    for i = 3, #lines do iris[#iris + 1] = lines[i] end
  else
    bodies = lines
  end
  n = (tid or 0) * 400000
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  wrk.headers["Accept"] = "application/sparql-results+json"
end

function request()
  n = n + 1
  local body
  if mode == "param" then
    body = "query=" .. pre .. iris[(n % #iris) + 1] .. mid .. tostring(1000 + n % 1000000)
  else
    body = bodies[(n % #bodies) + 1]
  end
  return wrk.format(nil, nil, nil, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCHJSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "socket_errors": %d, "status_errors": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout, e.status))
end
