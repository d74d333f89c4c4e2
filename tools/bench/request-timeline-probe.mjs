// Preloaded into the app server by the webhook benchmark with `--timeline` (`node --import`): for
// each request, the wall-clock times (ms since the epoch, sub-ms) at which its connection was
// accepted, its headers were parsed ('request' event), and its answer was finished, keyed by the
// delivery's X-Shopify-Webhook-Id, so the benchmark can line them up with the times it sent them.
// Also, every 50 ms, how busy the event loop was over those 50 ms (event-loop utilisation), how many
// loop iterations ran and the longest (from one check phase to the next: libuv accepts at most one
// new connection per iteration).
import http from "node:http";
import { performance } from "node:perf_hooks";

const now = () => performance.timeOrigin + performance.now();
const write = (line) => process.stderr.write(`${JSON.stringify(line)}\n`);
const accepted = Symbol("accepted");

const emit = http.Server.prototype.emit;
http.Server.prototype.emit = function (event, ...args) {
  if (event === "connection") args[0][accepted] = now();
  else if (event === "request") {
    const [req, res] = args;
    const headersAt = now();
    res.once("finish", () =>
      write({
        msg: "request timeline",
        id: req.headers["x-shopify-webhook-id"],
        accepted: req.socket[accepted],
        headers: headersAt,
        finished: now(),
      }),
    );
  }
  return emit.call(this, event, ...args);
};

let iterations = 0;
let longest = 0;
let lastCheck = performance.now();
const check = () => {
  const t = performance.now();
  longest = Math.max(longest, t - lastCheck);
  lastCheck = t;
  iterations += 1;
  setImmediate(check).unref();
};
setImmediate(check).unref();

let last = performance.eventLoopUtilization();
setInterval(() => {
  const current = performance.eventLoopUtilization();
  write({
    msg: "event loop utilisation",
    t: now(),
    elu: performance.eventLoopUtilization(current, last).utilization,
    iterations,
    longest: Math.round(longest),
  });
  iterations = 0;
  longest = 0;
  last = current;
}, 50).unref();
