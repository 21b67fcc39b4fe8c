-- The floor: GET /healthz. Built through request() like every other
-- scenario so the client does the same per-request work.
local lib = dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "lib.lua")
setup = lib.setup
done = lib.done

local req

function init(args)
  req = wrk.format("GET", "/healthz")
end

function request()
  return req
end
