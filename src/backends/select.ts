/**
 * Backend names the CLI, the dashboard and the library accept, and how "auto"
 * chooses one. Each backend says why it was chosen, so a user can tell.
 */

import type { PropagationBackend } from './backend.js';
import { createCpuBackend } from './cpu/cpu-backend.js';

export const BACKEND_NAMES = ['auto', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

export interface BackendChoice {
  backend: PropagationBackend;
  /** Why this backend runs (for "auto": why the others do not). */
  reason: string;
}

export interface BackendOptions {
  /** CPU worker threads: a number or "auto". */
  threads?: number | 'auto';
}

export async function selectBackend(name: string, options: BackendOptions = {}): Promise<BackendChoice> {
  switch (name) {
    case 'cpu':
      return { backend: createCpuBackend({ threads: options.threads }), reason: 'requested' };
    case 'auto':
      return {
        backend: createCpuBackend({ threads: options.threads }),
        reason: 'auto: the CPU f64 backend is the only one built so far',
      };
    default:
      throw new RangeError(`unknown backend "${name}"; allowed: ${BACKEND_NAMES.join(', ')}`);
  }
}
