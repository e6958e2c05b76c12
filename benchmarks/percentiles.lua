-- wrk prints p50/p90/p99; the benchmark also needs p95.
done = function(summary, latency, requests)
  io.write(string.format("PCTL p50=%d p95=%d rps=%.1f errors=%d\n", latency:percentile(50),
    latency:percentile(95), summary.requests / (summary.duration / 1e6),
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout))
end
