/**
 * The package version, read from package.json so it never needs a second
 * edit. The file sits two levels above src/cli/ and three above dist/src/cli/,
 * so the lookup walks up to the first package.json named spin-transfer.
 */

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function packageVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'spin-transfer' && pkg.version) return pkg.version;
    } catch {
      // No package.json here (or not ours): keep walking up.
    }
    const parent = dirname(dir);
    if (parent === dir) return 'unknown';
    dir = parent;
  }
}
