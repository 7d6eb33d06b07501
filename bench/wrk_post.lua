-- POSTs to the path the bench names in the environment, counting answers by status.
-- BENCH_MODE: "booking" posts a booking with a NIK unique per request; "floor" posts
-- to a floor row; "get" fetches the URL.
local mode = os.getenv("BENCH_MODE") or "get"
-- Each run gets its own NIKs, so a later run never books a person twice.
local nik_base = tonumber(os.getenv("BENCH_NIK_BASE") or "0")
local targets = {}  -- booking: lines "service start"; floor: row numbers
local threads = {}
counter = 0
thread_no = 0
statuses = {}

for line in io.lines(os.getenv("BENCH_TARGETS")) do table.insert(targets, line) end

function setup(thread)
  thread:set("thread_no", #threads)
  table.insert(threads, thread)
end

local function nik()
  -- 3674 01 DD MM YY SSSS: a valid NIK, distinct for each thread and request.
  local c = counter
  return string.format("367401%02d%02d%02d%04d", 1 + math.floor(c / 10000) % 28,
    1 + math.floor(c / 280000) % 12, (nik_base * 4 + thread_no) % 100, c % 10000)
end

function init(args)
  -- Each thread and run its own sequence of targets, so runs do not pile onto the
  -- slots an earlier run filled.
  math.randomseed(nik_base * 7919 + thread_no * 104729)
end

function request()
  counter = counter + 1
  local pick = targets[math.random(#targets)]
  if mode == "booking" then
    local service, start = pick:match("(%S+) (%S+)")
    -- A mobile number of its own too (one number holds only a few bookings a day):
    -- +628 and the NIK's distinct last ten digits.
    local person = nik()
    local body = string.format(
      '{"service": %s, "start": "%s", "nik": "%s", "name": "Warga Uji", "phone": "+628%s"}',
      service, start, person, string.sub(person, 7))
    return wrk.format("POST", "/api/v1/bookings/", {["Content-Type"] = "application/json"}, body)
  elseif mode == "floor" then
    return wrk.format("POST", "/bench/floor/" .. pick .. "/")
  end
  return wrk.format("GET", pick)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local merged = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do merged[status] = (merged[status] or 0) + n end
  end
  local parts = {}
  for status, n in pairs(merged) do table.insert(parts, string.format('"%d": %d', status, n)) end
  -- Every latency seen (microseconds) with its count, so that runs can be merged.
  local histogram = {}
  for i = 1, #latency do
    local value, count = latency(i)
    table.insert(histogram, string.format("[%d, %d]", value, count))
  end
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "seconds": %.3f, "errors": %d, "p50_ms": %.2f, "p95_ms": %.2f, "p99_ms": %.2f, "statuses": {%s}, "latency_us": [%s]}\n',
    summary.requests, summary.duration / 1e6,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    table.concat(parts, ", "), table.concat(histogram, ", ")))
end
