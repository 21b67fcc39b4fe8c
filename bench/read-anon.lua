-- Anonymous product reads: GET /products/<uniform 1..products>.json, no cookie.
local lib = dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "lib.lua")
setup = lib.setup
done = lib.done

local products

function init(args)
  local a = lib.parse_args(args)
  products = tonumber(a.products or "1000")
  lib.seed_random()
end

function request()
  return wrk.format("GET", "/products/" .. math.random(products) .. ".json")
end
