/** Polls `url` until it answers with an accepted status, or fails with the last error. */
export async function waitForHttp(
  url: string,
  options: { timeoutMs?: number; accept?: (status: number) => boolean; isAlive?: () => boolean } = {},
): Promise<void> {
  const { timeoutMs = 60_000, accept = (status) => status < 500, isAlive = () => true } = options;
  const deadline = Date.now() + timeoutMs;
  let last = "no answer";
  while (Date.now() < deadline) {
    if (!isAlive()) throw new Error(`the process behind ${url} exited before it answered`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (accept(response.status)) return;
      last = `status ${response.status}`;
    } catch (error) {
      last = String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} was not ready within ${timeoutMs} ms (${last})`);
}
