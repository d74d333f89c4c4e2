// Preloaded into the app server by the webhook benchmark (`node --import`): once a second, one JSON line
// with the event loop's delay over that second, so the benchmark can tell a blocked loop (the workers'
// CPU work, GC) from time spent waiting on the database.
import { monitorEventLoopDelay } from "node:perf_hooks";

const histogram = monitorEventLoopDelay({ resolution: 5 });
histogram.enable();
const ms = (ns) => Math.round(ns / 1e4) / 100;
setInterval(() => {
  const line = {
    msg: "event loop delay",
    t: Date.now(),
    p50: ms(histogram.percentile(50)),
    p99: ms(histogram.percentile(99)),
    max: ms(histogram.max),
  };
  process.stderr.write(`${JSON.stringify(line)}\n`);
  histogram.reset();
}, 1000).unref();
