/** Physical constants and units of MODEL.md: energies in eV, times in fs, lengths in lattice spacings. */

/** Reduced Planck constant in eV·fs. */
export const HBAR_EV_FS = 0.6582119569;
