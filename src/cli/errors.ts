/**
 * How a failure becomes an exit status and one message. Bad input (the
 * user can fix it by changing the command line or the config) exits 2;
 * anything else is a runtime failure and exits 1, with a stack trace only
 * under --debug; a signal exits 128 + its number.
 */

import { ResourceError } from '../backends/backend.js';
import { ConfigError } from '../model/config.js';
import { CheckpointError } from '../propagator/checkpoint.js';
import { UsageError } from './args.js';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_BAD_INPUT = 2;

/** Bad input the CLI itself finds: an unreadable config, invalid JSON, an unusable --out path. (A checkpoint that cannot be resumed is a CheckpointError, also bad input.) */
export class InputError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InputError';
  }
}

/**
 * A failure whose message already says everything the user needs (exit 1,
 * without the stack-trace hint): a sweep with failed or missing points.
 */
export class ReportedFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReportedFailure';
  }
}

export function isBadInput(err: unknown): boolean {
  return (
    err instanceof UsageError || err instanceof InputError || err instanceof ConfigError || err instanceof ResourceError ||
    err instanceof CheckpointError
  );
}

/** The line(s) to print for an error: its message, or its stack under --debug for a runtime failure. */
export function errorText(err: unknown, debug: boolean): string {
  if (!(err instanceof Error)) return `spin-transfer: ${String(err)}`;
  if (isBadInput(err) || err instanceof ReportedFailure) return `spin-transfer: ${err.message}`;
  if (debug) return `spin-transfer: ${err.stack ?? err.message}`;
  const name = err.name && err.name !== 'Error' ? `${err.name}: ` : '';
  return `spin-transfer: ${name}${err.message} (--debug shows the stack trace)`;
}
