-- Logins: POST /api/login with the right password (user00001 ..
-- userNNNNN, password pw-<username>). The server refuses a second login
-- for an account while one is being verified (429), so no two connections
-- may log in the same user at once: each wrk thread owns every T-th user
-- and walks a random permutation of them. Over a run every user is equally
-- likely, and a user comes round again only after all of its thread's
-- other users, far more than the thread's open connections.
local lib = dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "lib.lua")
setup = lib.setup
done = lib.done

local order, next_index, headers

function init(args)
  local a = lib.parse_args(args)
  local users = tonumber(a.users or "10000")
  local threads = tonumber(a.threads or "1")
  local me = thread_id or 1
  headers = { ["Origin"] = a.origin, ["Content-Type"] = "application/json" }
  lib.seed_random()
  order = {}
  for n = me, users, threads do order[#order + 1] = n end
  for i = #order, 2, -1 do
    local j = math.random(i)
    order[i], order[j] = order[j], order[i]
  end
  next_index = 0
end

function request()
  next_index = next_index % #order + 1
  local name = string.format("user%05d", order[next_index])
  local body = '{"username": "' .. name .. '", "password": "pw-' .. name .. '"}'
  -- Each user signs in from an address of its own (198.18.0.0/15, the
  -- benchmarking range), as visitors behind the edge do: the server limits
  -- sign-ins in flight per client address, and believes X-Forwarded-For
  -- from the trusted proxy bench/run names (a server measured with --url
  -- needs --trusted-proxy 127.0.0.1 for this, or at most 10 connections).
  local n = order[next_index]
  headers["X-Forwarded-For"] = string.format("198.18.%d.%d", math.floor(n / 256) % 256, n % 256)
  return wrk.format("POST", "/api/login", headers, body)
end
