-- POSTs pre-generated message bodies (one JSON body a line in $BODIES) to $TARGET, each with a unique ?sourceId=
-- ($RUN-thread-counter), the Authorization header $AUTH. Used by `Grove.Bench messages` (MessagesWrk.cs).
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

function init(args)
  bodies = {}
  for line in io.lines(os.getenv("BODIES")) do
    bodies[#bodies + 1] = line
  end
  target = os.getenv("TARGET")
  run = os.getenv("RUN")
  counter = 0
  wrk.headers["Authorization"] = os.getenv("AUTH")
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  counter = counter + 1
  return wrk.format("POST", target .. run .. "-" .. tid .. "-" .. counter, nil, bodies[(counter % #bodies) + 1])
end
