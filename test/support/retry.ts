/**
 * Retries `f` for up to `ms` (every 100 ms): for calls right after an
 * emulator restart, when a client's library may still be reconnecting on its
 * own backoff (6200 until it is back).
 */
export async function retry<T>(f: () => Promise<T>, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await f();
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
