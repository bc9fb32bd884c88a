-- PUT 1 KiB to a random one of N files. Set PREFIX, N, TOKEN by environment.
local prefix = os.getenv("PREFIX")
local n = tonumber(os.getenv("N") or "1000")
local token = os.getenv("TOKEN")
local body = string.rep("w", 1024)
math.randomseed(os.time() + 7)
request = function()
  local headers = { ["Content-Type"] = "application/octet-stream" }
  if token and #token > 0 then
    headers["Authorization"] = "Bearer " .. token
    -- Writers here race on the same names by design: last writer wins instead of 409.
    headers["If-Match"] = "*"
  end
  return wrk.format("PUT", prefix .. math.random(0, n - 1) .. ".bin", headers, body)
end
