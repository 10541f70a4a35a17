/**
 * The fit of paper Fig. 4a: final(theta) = C + D cos(theta + phi0), by linear
 * least squares in (C, D cos phi0, -D sin phi0), reported as MODEL.md asks:
 * D >= 0, phi0 in (-pi, pi], and the root-mean-square residual.
 */

export interface CosineFit {
  C: number;
  D: number;
  phi0: number;
  rms: number;
}

export function fitCosine(theta: readonly number[], y: readonly number[]): CosineFit {
  if (theta.length !== y.length) throw new RangeError(`fitCosine: ${theta.length} angles but ${y.length} values`);
  if (theta.length < 3) throw new RangeError(`fitCosine needs at least 3 angles, got ${theta.length}`);
  // Normal equations of y ~ C + p cos(theta) + q sin(theta).
  const M = [[0, 0, 0], [0, 0, 0], [0, 0, 0]];
  const v = [0, 0, 0];
  for (let k = 0; k < theta.length; k++) {
    const f = [1, Math.cos(theta[k]), Math.sin(theta[k])];
    for (let i = 0; i < 3; i++) {
      v[i] += f[i] * y[k];
      for (let j = 0; j < 3; j++) M[i][j] += f[i] * f[j];
    }
  }
  const [C, p, q] = solve3(M, v, theta);
  const D = Math.hypot(p, q);
  // p = D cos phi0, q = -D sin phi0.
  let phi0 = D === 0 ? 0 : Math.atan2(-q, p);
  if (phi0 <= -Math.PI) phi0 += 2 * Math.PI;
  let sq = 0;
  for (let k = 0; k < theta.length; k++) {
    const r = y[k] - (C + D * Math.cos(theta[k] + phi0));
    sq += r * r;
  }
  return { C, D, phi0, rms: Math.sqrt(sq / theta.length) };
}

/** Gaussian elimination with partial pivoting; refuses angles that cannot determine a cosine. */
function solve3(M: number[][], v: number[], theta: readonly number[]): number[] {
  const a = M.map((row, i) => [...row, v[i]]);
  for (let c = 0; c < 3; c++) {
    let p = c;
    for (let r = c + 1; r < 3; r++) if (Math.abs(a[r][c]) > Math.abs(a[p][c])) p = r;
    if (Math.abs(a[p][c]) < 1e-12 * theta.length) {
      throw new RangeError('fitCosine: the angles do not determine C + D cos(theta + phi0) (use at least 3 distinct angles mod 2 pi)');
    }
    [a[c], a[p]] = [a[p], a[c]];
    for (let r = 0; r < 3; r++) {
      if (r === c) continue;
      const f = a[r][c] / a[c][c];
      for (let k = c; k < 4; k++) a[r][k] -= f * a[c][k];
    }
  }
  return [a[0][3] / a[0][0], a[1][3] / a[1][1], a[2][3] / a[2][2]];
}
