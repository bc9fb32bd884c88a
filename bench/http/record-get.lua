-- GET a random one of N records of a record set (cached after the first read). Set PREFIX (.../rows/), N, TOKEN by environment.
-- Note that the requests are formatted once, in init: building each one in Lua took CPU from the server on two cores.
local prefix = os.getenv("PREFIX")
local n = tonumber(os.getenv("N") or "1000")
local token = os.getenv("TOKEN")
local requests = {}
init = function(args)
  local headers = {}
  if token and #token > 0 then headers["Authorization"] = "Bearer " .. token end
  for i = 0, n - 1 do requests[i + 1] = wrk.format("GET", prefix .. i, headers) end
  math.randomseed(os.time() + tonumber(tostring(requests):match("0x(%x+)") or "0", 16) % 1000)
end
request = function()
  return requests[math.random(1, n)]
end
