// The end of a local emulator's main (Stripe, x402 facilitator): run until SIGTERM or Ctrl-C, or, with
// --exit-with-stdin, until the parent's pipe closes (a parent killed with SIGKILL leaves no orphan).

export function runUntilStopped(close: () => Promise<void>, options: { exitWithStdin?: boolean } = {}): void {
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await close();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop());
  process.on("SIGINT", () => void stop());
  if (options.exitWithStdin) {
    process.stdin.on("end", () => void stop());
    process.stdin.on("close", () => void stop());
    process.stdin.resume();
  }
}
