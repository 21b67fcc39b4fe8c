-- Shared by the workload scripts: argument parsing, the session file,
-- per-thread random seeds and the machine-readable summary line that
-- bench/run reads. Loaded with dofile() from each scenario script.
local lib = {}

local thread_counter = 0

-- Every wrk thread gets its own Lua state; give each a distinct seed so
-- the threads do not replay the same sequence.
function lib.setup(thread)
  thread_counter = thread_counter + 1
  thread:set("thread_id", thread_counter)
end

function lib.seed_random()
  local id = thread_id or 0
  math.randomseed(os.time() * 1000 + id * 7919)
  for _ = 1, 10 do math.random() end
end

-- args after "--" come as key=value pairs.
function lib.parse_args(args)
  local out = {}
  for _, a in ipairs(args) do
    local k, v = a:match("^([%w_]+)=(.*)$")
    if k then out[k] = v end
  end
  return out
end

-- One logged-in user per line: "<stork_sid> <csrf token>".
function lib.load_sessions(path)
  local sessions = {}
  local f = assert(io.open(path, "r"), "cannot open session file " .. tostring(path))
  for line in f:lines() do
    local sid, csrf = line:match("^(%S+)%s+(%S+)")
    if sid then sessions[#sessions + 1] = { sid = sid, csrf = csrf } end
  end
  f:close()
  assert(#sessions > 0, "no sessions in " .. path)
  return sessions
end

function lib.done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "STORK_BENCH requests=%d duration_us=%d p50_us=%d p99_us=%d connect=%d read=%d write=%d status=%d timeout=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect, e.read, e.write, e.status, e.timeout))
end

return lib
