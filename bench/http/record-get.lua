-- GET a random one of N records of a record set (cached after the first read). Set PREFIX (.../rows/), N, TOKEN by environment.
local prefix = os.getenv("PREFIX")
local n = tonumber(os.getenv("N") or "1000")
local token = os.getenv("TOKEN")
math.randomseed(os.time())
request = function()
  local headers = {}
  if token and #token > 0 then headers["Authorization"] = "Bearer " .. token end
  return wrk.format("GET", prefix .. math.random(0, n - 1), headers)
end
