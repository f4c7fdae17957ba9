import { env } from "@/lib/env";

/**
 * The one source of "now". Everything that depends on time (periods, expiry, holds, trials) calls
 * `now()`, so tests can move time instead of waiting. Moving the clock is possible only in test mode
 * (TEST_MODE=1, which lib/env refuses together with NODE_ENV=production).
 *
 * The offset lives on globalThis so every module instance in the process (Next bundles routes
 * separately) sees the same time.
 */
type ClockState = { offsetMs: number };
const holder = globalThis as unknown as { __creditbookClock?: ClockState };
const state = (holder.__creditbookClock ??= { offsetMs: 0 });

export function now(): Date {
  return new Date(Date.now() + state.offsetMs);
}

export class ClockLockedError extends Error {
  constructor() {
    super("The clock can only be moved in test mode (TEST_MODE=1).");
  }
}

function assertTestMode() {
  if (!env.TEST_MODE) throw new ClockLockedError();
}

export const testClock = {
  enabled(): boolean {
    return env.TEST_MODE;
  },
  /** Make `now()` return `at` (and keep ticking from there). */
  set(at: Date): Date {
    assertTestMode();
    state.offsetMs = at.getTime() - Date.now();
    return now();
  },
  advance(ms: number): Date {
    assertTestMode();
    state.offsetMs += ms;
    return now();
  },
  reset(): Date {
    assertTestMode();
    state.offsetMs = 0;
    return now();
  },
};
