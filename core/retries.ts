// The retries channel: a project's retry count, from config/environment (outside the sandbox) to config/retrySetup (a
// setup file inside it), on the sandbox's global object. This module alone knows the symbol and the message's shape.
//
// A symbol: no name a test could see; `Symbol.for` is shared by every realm, the sandbox's included. The message
// carries its version, so a setup file of another jest-flakeguard copy refuses it rather than misreads it.

import { FlakeguardError } from './errors';

export const RETRIES_VERSION = 1;

const CHANNEL = 'retries channel';
const KEY = Symbol.for('jest-flakeguard.retries');

/** What sits on the sandbox's global under the channel's symbol. */
export interface RetriesMessage {
  version: typeof RETRIES_VERSION;
  /** Attempts after a failure (at least 1: no message means no retries), applied through `jest.retryTimes`. */
  retries: number;
}

type Carrier = Record<symbol, unknown>;

/** What is wrong with `value` as a retry count (a whole number, 0 or more), or null. */
export function retriesProblem(value: unknown): string | null {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? null : `the retry count must be a whole number, 0 or more, not ${JSON.stringify(value)}`;
}

const fail = (problem: string): never => {
  throw new FlakeguardError('BAD_CHANNEL', `${CHANNEL}: ${problem}`);
};

/** The one validator: a message (what the global holds) as its retry count, 0 when none was sent, or a FlakeguardError. */
export function decodeRetries(value: unknown): number {
  if (value === undefined) return 0;
  if (typeof value !== 'object' || value === null) return fail(`the message must be an object, not ${JSON.stringify(value)}`);
  const { version, retries } = value as Partial<RetriesMessage>;
  if (version !== RETRIES_VERSION)
    return fail(`version ${JSON.stringify(version)} is not this jest-flakeguard's (${RETRIES_VERSION}): two versions of jest-flakeguard run in one Jest`);
  const problem = retriesProblem(retries);
  if (problem) return fail(problem);
  return retries as number;
}

/** Sends `retries` to the setup file through `global` (a count of 0 sends nothing). */
export function putRetries(global: object, retries: number): void {
  if (decodeRetries({ version: RETRIES_VERSION, retries } satisfies RetriesMessage) > 0) (global as Carrier)[KEY] = { version: RETRIES_VERSION, retries };
}

/** The retry count config/environment put on `global`, 0 when none. */
export function takeRetries(global: object): number {
  return decodeRetries((global as Carrier)[KEY]);
}
