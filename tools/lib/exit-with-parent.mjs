// Preloaded into the node processes the local tools start (the app server with `node --import`, the
// Chroma server in a worker thread): when the tool that started this process is gone without
// stopping it (SIGKILL, crash, a closed terminal), this process stops too instead of lingering on
// its port. Linux has no portable "die with my parent" for node, so the parent pid is polled: once
// this process is re-parented, its parent died. SIGTERM lets the process shut down as usual.
import { isMainThread } from "node:worker_threads";

const parentPid = Number(process.env.AISLE_PARENT_PID);
if (parentPid > 0) {
  const timer = setInterval(() => {
    if (process.ppid !== parentPid) {
      clearInterval(timer);
      process.kill(process.pid, "SIGTERM");
    }
  }, 1000);
  // In the main thread the watch must not keep the process alive; a worker thread exists only for it.
  if (isMainThread) timer.unref();
}
