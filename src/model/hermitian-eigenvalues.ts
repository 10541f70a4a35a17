/**
 * Eigenvalues of a small complex Hermitian matrix (the chain's reduced
 * density matrix, the pair's 4 x 4 spin density matrix), with no dependency:
 * the Hermitian n x n matrix A = X + iY is the real symmetric 2n x 2n matrix
 * [[X, -Y], [Y, X]], whose spectrum is A's with every eigenvalue twice;
 * Householder reduction to tridiagonal form, then the implicit QL algorithm
 * (Numerical Recipes' tred2 / tqli, eigenvalues only): O(n^3), stable.
 */

/** Eigenvalues of the Hermitian n x n matrix a (row-major, interleaved complex), ascending. */
export function hermitianEigenvalues(a: Float64Array, n: number): Float64Array {
  if (a.length !== 2 * n * n) throw new RangeError(`hermitianEigenvalues: ${a.length / 2} entries for n = ${n}`);
  const m = 2 * n;
  const s = new Float64Array(m * m);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      // Hermitian part only: (a_ij + conj a_ji) / 2 keeps the embedding exactly symmetric.
      const x = (a[2 * (i * n + j)] + a[2 * (j * n + i)]) / 2;
      const y = (a[2 * (i * n + j) + 1] - a[2 * (j * n + i) + 1]) / 2;
      s[i * m + j] = x;
      s[(i + n) * m + j + n] = x;
      s[i * m + j + n] = -y;
      s[(i + n) * m + j] = y;
    }
  }
  const values = symmetricEigenvalues(s, m).sort();
  // Each eigenvalue appears twice: take one of each pair.
  const out = new Float64Array(n);
  for (let k = 0; k < n; k++) out[k] = (values[2 * k] + values[2 * k + 1]) / 2;
  return out;
}

/** Eigenvalues of the real symmetric n x n matrix a (row-major; overwritten), unsorted. */
export function symmetricEigenvalues(a: Float64Array, n: number): Float64Array {
  const d = new Float64Array(n), e = new Float64Array(n);
  tridiagonalize(a, n, d, e);
  tridiagonalQl(d, e, n);
  return d;
}

/** Householder reduction of a to tridiagonal form: diagonal d, sub-diagonal e[1 … n-1] (tred2 without vectors). */
function tridiagonalize(a: Float64Array, n: number, d: Float64Array, e: Float64Array): void {
  for (let i = n - 1; i > 0; i--) {
    const l = i - 1;
    let h = 0;
    if (l > 0) {
      let scale = 0;
      for (let k = 0; k <= l; k++) scale += Math.abs(a[i * n + k]);
      if (scale === 0) {
        e[i] = a[i * n + l];
      } else {
        for (let k = 0; k <= l; k++) {
          a[i * n + k] /= scale;
          h += a[i * n + k] * a[i * n + k];
        }
        let f = a[i * n + l];
        const g = f >= 0 ? -Math.sqrt(h) : Math.sqrt(h);
        e[i] = scale * g;
        h -= f * g;
        a[i * n + l] = f - g;
        f = 0;
        for (let j = 0; j <= l; j++) {
          let gg = 0;
          for (let k = 0; k <= j; k++) gg += a[j * n + k] * a[i * n + k];
          for (let k = j + 1; k <= l; k++) gg += a[k * n + j] * a[i * n + k];
          e[j] = gg / h;
          f += e[j] * a[i * n + j];
        }
        const hh = f / (h + h);
        for (let j = 0; j <= l; j++) {
          const fj = a[i * n + j];
          const gj = (e[j] -= hh * fj);
          for (let k = 0; k <= j; k++) a[j * n + k] -= fj * e[k] + gj * a[i * n + k];
        }
      }
    } else {
      e[i] = a[i * n + l];
    }
    d[i] = h;
  }
  for (let i = 0; i < n; i++) d[i] = a[i * n + i];
}

/** Implicit QL with Wilkinson shifts on the tridiagonal (d, e): d becomes the eigenvalues (tqli without vectors). */
function tridiagonalQl(d: Float64Array, e: Float64Array, n: number): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  if (n > 0) e[n - 1] = 0;
  for (let l = 0; l < n; l++) {
    let iterations = 0;
    for (;;) {
      let m = l;
      for (; m < n - 1; m++) {
        const dd = Math.abs(d[m]) + Math.abs(d[m + 1]);
        if (Math.abs(e[m]) <= Number.EPSILON * dd) break;
      }
      if (m === l) break;
      if (++iterations > 60) throw new Error('symmetricEigenvalues: the QL iteration did not converge');
      let g = (d[l + 1] - d[l]) / (2 * e[l]);
      let r = Math.hypot(g, 1);
      g = d[m] - d[l] + e[l] / (g + (g >= 0 ? Math.abs(r) : -Math.abs(r)));
      let s = 1, c = 1, p = 0;
      let i = m - 1;
      for (; i >= l; i--) {
        let f = s * e[i];
        const b = c * e[i];
        r = Math.hypot(f, g);
        e[i + 1] = r;
        if (r === 0) {
          d[i + 1] -= p;
          e[m] = 0;
          break;
        }
        s = f / r;
        c = g / r;
        g = d[i + 1] - p;
        r = (d[i] - g) * s + 2 * c * b;
        p = s * r;
        d[i + 1] = g + p;
        g = c * r - b;
        f = 0;
      }
      if (r === 0 && i >= l) continue;
      d[l] -= p;
      e[l] = g;
      e[m] = 0;
    }
  }
}

/**
 * Eigenvalues and eigenvectors of a small real symmetric n x n matrix by
 * cyclic Jacobi rotations (accurate to rounding for every eigenvalue, small
 * or degenerate): values ascending, vectors[i * n + k] component i of
 * eigenvector k. For the pair's 8 x 8 embedded spin density matrix.
 */
export function symmetricEigen(input: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(input);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p * n + q] * a[p * n + q];
    if (off === 0) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (apq === 0) continue;
        const theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1), s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p], akq = a[k * n + q];
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k], aqk = a[q * n + k];
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p], vkq = v[k * n + q];
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, k) => k).sort((x, y) => a[x * n + x] - a[y * n + y]);
  const values = Float64Array.from(order, (k) => a[k * n + k]);
  const vectors = new Float64Array(n * n);
  order.forEach((k, col) => {
    for (let i = 0; i < n; i++) vectors[i * n + col] = v[i * n + k];
  });
  return { values, vectors };
}
