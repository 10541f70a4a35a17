/**
 * The package version, read from package.json so it never needs a second
 * edit. The file sits two levels above src/cli/ and three above dist/src/cli/,
 * so the lookup walks up to the first package.json named spin-transfer.
 *
 * Node's modules come from process.getBuiltinModule, not static imports: the
 * library entry reaches this module (checkpoints record the version), and it
 * must stay importable in a browser, where the version is "unknown".
 */

interface NodeModules {
  fs: { readFileSync(path: string, encoding: 'utf8'): string };
  path: { dirname(p: string): string; join(...p: string[]): string };
  url: { fileURLToPath(url: string): string };
}

function nodeModules(): NodeModules | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const get = proc?.getBuiltinModule;
  if (!get) return undefined;
  return { fs: get('node:fs') as NodeModules['fs'], path: get('node:path') as NodeModules['path'], url: get('node:url') as NodeModules['url'] };
}

export function packageVersion(): string {
  const node = nodeModules();
  if (!node || !import.meta.url.startsWith('file:')) return 'unknown';
  const { fs, path, url } = node;
  let dir = path.dirname(url.fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'spin-transfer' && pkg.version) return pkg.version;
    } catch {
      // No package.json here (or not ours): keep walking up.
    }
    const parent = path.dirname(dir);
    if (parent === dir) return 'unknown';
    dir = parent;
  }
}
