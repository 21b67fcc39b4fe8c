-- Personalized product reads: a uniformly chosen logged-in user's
-- stork_sid cookie on GET /products/<uniform 1..products>.json.
local lib = dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "lib.lua")
setup = lib.setup
done = lib.done

local products, cookies

function init(args)
  local a = lib.parse_args(args)
  products = tonumber(a.products or "1000")
  cookies = {}
  for i, s in ipairs(lib.load_sessions(a.sessions)) do
    cookies[i] = { Cookie = "stork_sid=" .. s.sid }
  end
  lib.seed_random()
end

function request()
  return wrk.format("GET", "/products/" .. math.random(products) .. ".json", cookies[math.random(#cookies)])
end
