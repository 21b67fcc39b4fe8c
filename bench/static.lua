-- A static file: GET /assets/widget.css. Behind the edge nginx serves it
-- without Stork, so its rate is the edge's own ceiling for a request.
local lib = dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "lib.lua")
setup = lib.setup
done = lib.done

local req

function init(args)
  req = wrk.format("GET", "/assets/widget.css")
end

function request()
  return req
end
