/**
 * The limits on what a caller may ask the ledger for, defined once: the ledger checks them
 * (lib/credits/charge.ts, check.ts, ledger.ts) and the API's request schemas (lib/metering/schemas.ts)
 * refuse the same values before the ledger is reached. Pure: no database, no secrets.
 */

/** The largest PostgreSQL integer: credits, counts and amounts are stored as `integer`. */
export const PG_INT_MAX = 2_147_483_647;
/** The most credits one grant, debit, hold or adjustment may move. */
export const MAX_CREDITS = PG_INT_MAX;
/** The largest quantity of one action in one call (track, check, reserve). */
export const MAX_QUANTITY = 1_000_000;
/** Action keys: lower-case letters, digits, dots, dashes and underscores (e.g. aria.chat), 1 to 100 of them. */
export const MAX_ACTION_KEY_LENGTH = 100;
export const ACTION_KEY_PATTERN = /^[a-z0-9_.-]+$/;
/** The longest idempotency key a caller may send. */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 200;
