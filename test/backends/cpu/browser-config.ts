/** A state of 36 864 amplitudes: above the size where the CPU backend starts workers. */
export const BROWSER_CPU_CONFIG = { N: 24, L: 4, spinStart: 12, x2: 6, d: 4, sigma: 2, tEnd: 3, dt: 0.5, state: 'T0' } as const;
