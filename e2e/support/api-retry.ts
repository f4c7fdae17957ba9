/** What a call to the metering API answered, as far as retrying it is concerned. */
export type Answer = { status: number; retryAfter?: string; json: { error?: { code: string } } };

/** Retry-After in milliseconds: whole seconds as the API sends them (1 when missing or unreadable). */
function retryAfterMs(value: string | undefined): number {
  const seconds = Number(value);
  return (Number.isFinite(seconds) && seconds >= 0 ? seconds : 1) * 1000;
}

/**
 * Calls the metering API the way its answers tell a client to under load: while `send` is answered
 * 503 `overloaded` (a lock, connection or queue wait ran past its bound; nothing was charged), wait the
 * Retry-After seconds and send again. `send` must repeat the same request with the same idempotency key,
 * so a call is charged once however often it is sent. At most `tries` sends; resolves with the last
 * answer and how many sends it took.
 */
export async function sendUntilAdmitted<A extends Answer>(send: () => Promise<A>, tries = 10): Promise<{ answer: A; sends: number }> {
  for (let sends = 1; ; sends++) {
    const answer = await send();
    if (answer.status !== 503 || answer.json.error?.code !== "overloaded" || sends >= tries) return { answer, sends };
    await new Promise((resolve) => setTimeout(resolve, retryAfterMs(answer.retryAfter)));
  }
}
