/**
 * SIGINT and SIGTERM as an AbortSignal. The run is aborted through it, and the
 * CLI stops waiting for the run at once rather than at the propagator's next
 * check (which comes only after the current Chebyshev expansion), so a
 * cancelled run ends promptly; the exit status is 128 + the signal number.
 */

import { CancelledError } from '../backends/backend.js';

export type TerminationSignal = 'SIGINT' | 'SIGTERM';

export const SIGNAL_EXIT_CODES: Readonly<Record<TerminationSignal, number>> = { SIGINT: 130, SIGTERM: 143 };

export interface SignalSource {
  on(event: TerminationSignal, listener: () => void): unknown;
  off(event: TerminationSignal, listener: () => void): unknown;
}

export interface TerminationTrap {
  /** Aborted (with a CancelledError) on the first SIGINT or SIGTERM. */
  readonly signal: AbortSignal;
  /** The first signal received, if any. */
  received(): TerminationSignal | undefined;
  /** Stops listening: the signals get their default behaviour back. */
  release(): void;
}

export function trapTermination(source: SignalSource): TerminationTrap {
  const controller = new AbortController();
  let first: TerminationSignal | undefined;
  const listeners = (['SIGINT', 'SIGTERM'] as const).map((name) => {
    const listener = () => {
      first ??= name;
      controller.abort(new CancelledError(`received ${name}`));
    };
    source.on(name, listener);
    return [name, listener] as const;
  });
  return {
    signal: controller.signal,
    received: () => first,
    release: () => listeners.forEach(([name, listener]) => source.off(name, listener)),
  };
}

/** Throws CancelledError if the signal has fired. */
export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CancelledError();
}

/**
 * Settles like `promise`, or rejects with CancelledError as soon as `signal`
 * fires; the abandoned promise's own outcome is then ignored.
 */
export function untilCancelled<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new CancelledError());
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}
