-- GET a random one of N configs through Nacos's open API (what Nacos clients send). N by environment.
local n = tonumber(os.getenv("N") or "200")
math.randomseed(os.time())
request = function()
  return wrk.format("GET", "/nacos/v1/cs/configs?dataId=bench-" .. math.random(0, n - 1) .. ".properties&group=BENCH")
end
