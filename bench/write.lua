-- Rating updates: PUT /api/products/<id>/rating {"stars": 1..5} as a
-- uniformly chosen logged-in user, with the widget's Origin and the
-- session's X-CSRF-Token (the contract refuses state changes without them).
local lib = dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "lib.lua")
setup = lib.setup
done = lib.done

local products, headers

function init(args)
  local a = lib.parse_args(args)
  products = tonumber(a.products or "1000")
  headers = {}
  for i, s in ipairs(lib.load_sessions(a.sessions)) do
    headers[i] = {
      ["Cookie"] = "stork_sid=" .. s.sid,
      ["X-CSRF-Token"] = s.csrf,
      ["Origin"] = a.origin,
      ["Content-Type"] = "application/json",
    }
  end
  lib.seed_random()
end

function request()
  local body = '{"stars": ' .. math.random(5) .. '}'
  return wrk.format("PUT", "/api/products/" .. math.random(products) .. "/rating",
                    headers[math.random(#headers)], body)
end
