-- `manage.py bench`'s spread: each request a path drawn at random from a list, so that the
-- run sees many addresses at once, as production's visitors do, rather than one address
-- wrk would otherwise repeat (which any cache holds, however small).
--
--   wrk -s tools/bench_spread.lua http://127.0.0.1:8000 -- /tmp/paths.txt
--
-- The file holds one path a line. Each wrk thread has its own Lua state: setup() (run in
-- the main state, once a thread) hands each a seed of its own, or every thread would draw
-- the same sequence of paths at the same moments.

local next_seed = 0

function setup(thread)
  next_seed = next_seed + 1
  thread:set("seed", next_seed)
end

local paths = {}

function init(args)
  for line in io.lines(args[1]) do
    if line ~= "" then
      paths[#paths + 1] = line
    end
  end
  if #paths == 0 then
    error("bench_spread.lua: no paths in " .. tostring(args[1]))
  end
  math.randomseed(os.time() * 100 + (seed or 0))
end

function request()
  return wrk.format(nil, paths[math.random(#paths)])
end
