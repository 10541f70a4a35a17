/**
 * Memory the host offers a CPU-side state, so that a run too large is refused
 * before anything is allocated.
 */

export interface MemoryLimit {
  readonly bytes: number;
  readonly source: string;
}

export function hostMemoryLimit(): MemoryLimit {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const os = proc?.getBuiltinModule?.('node:os') as { totalmem(): number } | undefined;
  if (os) return { bytes: Math.floor(os.totalmem() * 0.85), source: '85% of the machine memory' };
  const gib = (globalThis as { navigator?: { deviceMemory?: number } }).navigator?.deviceMemory;
  // Browsers cap a tab well below the device memory; half of it (at least 2 GiB) is what a page can hope for.
  return { bytes: Math.max(2, (gib ?? 4) / 2) * 2 ** 30, source: 'half of the device memory the browser reports' };
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = bytes, u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(u ? 1 : 0)} ${units[u]} (${bytes} bytes)`;
}
