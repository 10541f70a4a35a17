/** A state of 36 864 amplitudes: above the size where the CPU backend starts workers. */
export const BROWSER_CPU_CONFIG = { N: 24, L: 4, spinStart: 12, x2: 6, d: 4, sigma: 2, tEnd: 3, dt: 0.5, state: 'T0', basis: 'full' } as const;

/** Basis "sector" from a T- pair (K = 2): 1600 blocks of 45 configurations, 72 000 amplitudes, so the page starts workers. */
export const BROWSER_SECTOR_CONFIG = { N: 40, L: 8, spinStart: 20, x2: 12, d: 4, sigma: 2, tEnd: 3, dt: 0.5, state: 'T-', basis: 'sector' } as const;

/** Basis "antisymmetric" from a T- pair: 1830 blocks of 45 configurations, 82 350 amplitudes (workers); the packets cross the ring's seam. */
export const BROWSER_ANTISYMMETRIC_CONFIG = { N: 60, L: 8, spinStart: 10, x2: 2, d: 4, sigma: 2, tEnd: 3, dt: 0.5, state: 'T-', basis: 'antisymmetric' } as const;

/** Basis "full" of local spins S = 1 (mixed-radix layout, the sector kernel on tables of every configuration): 144 blocks of 4 · 3^3 = 108 amplitudes, on two workers. */
export const BROWSER_FULL_SPIN_CONFIG = { N: 12, L: 3, spinStart: 5, x2: 2, d: 3, sigma: 1.5, tEnd: 2, dt: 0.5, state: 'T0', basis: 'full', localSpin: 1, anisotropy: 0.2 } as const;
