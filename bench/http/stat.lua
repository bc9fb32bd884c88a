-- GET the metadata of a random one of N files (Grove) with TOKEN.
local prefix = os.getenv("PREFIX")
local n = tonumber(os.getenv("N") or "1000")
local token = os.getenv("TOKEN")
math.randomseed(os.time() + 13)
request = function()
  return wrk.format("GET", prefix .. math.random(0, n - 1) .. ".bin", { ["Authorization"] = "Bearer " .. token })
end
