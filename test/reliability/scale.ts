/**
 * Size of the reliability suite. The default is the bounded size that the
 * default `npm test` run (and CI) includes; `npm run test:reliability` sets
 * TIM_RX_RELIABILITY=full for the sizes of issue 7 (10k-message fault run,
 * 100k leaked-subscription commands, …). Every loop is bounded in count and
 * in time either way, and all traffic stays on loopback.
 */
export const FULL = process.env['TIM_RX_RELIABILITY'] === 'full';

export function scaled<T>(bounded: T, full: T): T {
  return FULL ? full : bounded;
}

/** A fixed seed unless TIM_RX_FUZZ_SEED says otherwise, so that a failure can be replayed. */
export const FUZZ_SEED = Number(process.env['TIM_RX_FUZZ_SEED'] ?? (FULL ? Date.now() % 2 ** 31 : 7_000_007));
