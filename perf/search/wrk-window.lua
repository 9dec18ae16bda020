-- wrk script of the search scenario's measured closed loop (perf/run-search.sh, HTTP_CLIENT=wrk):
-- after the run, the figures SearchScenario reads back (WrkWindow), one "wrk-result" line each:
-- completed responses, the run's length, wrk's error counts, and the whole latency distribution
-- (every distinct value in microseconds with its count), so the report's percentiles come from
-- the same kind of histogram as the Java loop's.
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("wrk-result requests %d\n", summary.requests))
  io.write(string.format("wrk-result duration_us %d\n", summary.duration))
  io.write(string.format("wrk-result errors %d %d %d %d %d\n", e.connect, e.read, e.write, e.status, e.timeout))
  for i = 1, #latency do
    local value, count = latency(i)
    io.write(string.format("wrk-result latency %d %d\n", value, count))
  end
end
