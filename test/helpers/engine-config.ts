/**
 * A parsed config for tests that drive the model and a backend directly
 * (hamiltonianTerms, initialState, runPropagation): "auto", the default, is
 * read as "full", the canonical layout the dense reference and these tests
 * index; a basis the input names is kept.
 */

import { resolvedConfig } from '../../src/model/basis.js';
import { parseRunConfig, type ResolvedRunConfig } from '../../src/model/config.js';

export function engineConfig(input: unknown): ResolvedRunConfig {
  return resolvedConfig(parseRunConfig(input), 'full');
}
