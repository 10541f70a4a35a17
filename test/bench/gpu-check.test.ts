/**
 * bench/gpu-check.sh as a user runs it (bash, the built dist/): its report of
 * the machine names what a hardware adapter lacks; a software adapter is
 * refused unless --allow-software; and the dry run (--allow-software --quick
 * on SwiftShader) goes end to end and writes the JSON and the markdown
 * section with every measurement the real check makes.
 */

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { noHardwareGpuReason } from '../../src/backends/webgpu/device.js';

const SCRIPT = join(process.cwd(), 'bench', 'gpu-check.sh');
const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
const dir = mkdtempSync(join(os.tmpdir(), 'spin-transfer-gpu-check-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function script(args: string[], env: Record<string, string | undefined>): Promise<{ code: number | null; out: string }> {
  // The caller's Vulkan driver choice is replaced by the test's (the vitest config names SwiftShader).
  const base = { ...process.env, VK_ICD_FILENAMES: undefined, VK_DRIVER_FILES: undefined, GPU_CHECK_DIR: join(dir, 'user') };
  const child = spawn('bash', [SCRIPT, ...args], { env: { ...base, ...env } as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, out })));
}

describe('bench/gpu-check.sh', () => {
  it('reports the machine (Node, glibc against what Dawn needs, device nodes, Vulkan loader) and what a hardware adapter lacks', async () => {
    const r = await script(['diagnose'], {});
    expect(r.out).toMatch(/gpu-check: Node [0-9]+\./);
    expect(r.out).toMatch(/gpu-check: glibc [0-9.]+; Dawn \(webgpu package\) needs 2\.[0-9]+/);
    expect(r.out).toMatch(/gpu-check: Vulkan loader: /);
    if (noHardwareGpuReason()) {
      // This machine has no GPU: the report must say so, and exit 3.
      expect(r.code).toBe(3);
      expect(r.out).toContain('gpu-check: GPU device nodes: none');
      expect(r.out).toMatch(/what is missing for a hardware WebGPU adapter:\ngpu-check: {3}- no GPU device node/);
    } else {
      expect(r.out).toMatch(/gpu-check: GPU device nodes: \/dev\//);
    }
  });

  // Stand-ins for the driver: only where no real GPU driver could answer instead.
  it.runIf(noHardwareGpuReason() !== undefined)('names what an NVIDIA container hides: no graphics capability, no libGLX_nvidia, no ICD file; and writes an ICD file where only the library is there', async () => {
    // A stand-in nvidia-smi (the driver as a container shows it) and, in the second case, a stand-in driver library.
    const bin = join(dir, 'fake-bin');
    const libs = join(dir, 'fake-lib');
    mkdirSync(bin, { recursive: true });
    mkdirSync(libs, { recursive: true });
    writeFileSync(join(bin, 'nvidia-smi'), '#!/bin/sh\ncase "$*" in *noheader*) echo 550.54.15;; *) echo "name, driver_version"; echo "NVIDIA H100 80GB HBM3, 550.54.15";; esac\n', { mode: 0o755 });
    const PATH = `${bin}:${process.env.PATH}`;
    const hidden = await script(['diagnose'], { PATH, NVIDIA_DRIVER_CAPABILITIES: 'compute,utility' });
    expect(hidden.code).toBe(3);
    expect(hidden.out).toContain("NVIDIA_DRIVER_CAPABILITIES=compute,utility has no 'graphics': the container runtime mounted no Vulkan driver");
    expect(hidden.out).toContain("libGLX_nvidia.so.0 (the NVIDIA driver's Vulkan library) is not installed or not mounted: install the driver's GL/Vulkan part matching driver 550.54.15");
    expect(hidden.out).toMatch(/no NVIDIA Vulkan ICD file/);
    writeFileSync(join(libs, 'libGLX_nvidia.so.0'), '');
    const glx = await script(['diagnose'], { PATH, NVIDIA_DRIVER_CAPABILITIES: 'all', LD_LIBRARY_PATH: libs });
    expect(glx.out).not.toMatch(/has no 'graphics'/);
    expect(glx.out).toContain(`libGLX_nvidia.so.0 ${join(libs, 'libGLX_nvidia.so.0')}`);
    expect(glx.out).toMatch(/libnvidia-glcore\.so\.\* is missing beside libGLX_nvidia\.so\.0/);
    const icd = join(dir, 'user', 'icd.d', 'nvidia_icd.json');
    expect(glx.out).toContain(`no nvidia_icd.json: wrote ${icd} naming libGLX_nvidia.so.0`);
    expect(JSON.parse(readFileSync(icd, 'utf8'))).toMatchObject({ ICD: { library_path: 'libGLX_nvidia.so.0' } });
  });

  it('runs without a usage error only with OUTDIR, and says how to call it', async () => {
    const r = await script(['--allow-software'], {});
    expect(r.code).toBe(2);
    expect(r.out).toContain('usage: bash bench/gpu-check.sh [run] OUTDIR [options] | prepare | diagnose');
  });

  describe.runIf(existsSync(SWIFTSHADER_ICD))('on SwiftShader (Chromium\'s CPU Vulkan driver)', () => {
    it('refuses a software adapter without --allow-software (exit 4), saying how to make the dry run', async () => {
      const r = await script(['run', join(dir, 'refused'), '--quick'], { VK_ICD_FILENAMES: SWIFTSHADER_ICD });
      expect(r.code).toBe(4);
      expect(r.out).toMatch(/the only adapter is a software one \(google swiftshader.*\), not a GPU/);
      expect(r.out).toContain('rerun with --allow-software');
      expect(existsSync(join(dir, 'refused', 'gpu-check.json'))).toBe(false);
    });

    it('lists the adapters, and one named that is not there is "no adapter" (exit 3) with the list', async () => {
      const env = { VK_ICD_FILENAMES: SWIFTSHADER_ICD };
      const list = await script([join(dir, 'list'), '--list-adapters'], env);
      expect(list.code).toBe(0);
      expect(list.out).toMatch(/Available adapters:\n \* backend: 'vulkan', name: 'SwiftShader Device/);
      const absent = await script([join(dir, 'absent'), '--allow-software'], { ...env, GPU_CHECK_ADAPTER: 'NoSuchGPU' });
      expect(absent.code).toBe(3);
      expect(absent.out).toMatch(/gpu-check: no WebGPU adapter: .*Available adapters:/s);
      // The name picks it (a substring, case-sensitive).
      const named = await script([join(dir, 'named'), '--allow-software', '--quick', '--gpu-memory', '1K', '--adapter', 'SwiftShader'], env);
      expect(named.code, named.out).toBe(0);
      expect(named.out).toMatch(/gpu-check: adapter google swiftshader/);
    });

    it('stopped by its timeout, leaves what it measured so far, marked unfinished (exit 124)', async () => {
      const out = join(dir, 'timeout');
      // The full check (not --quick): far longer than 6 s on any machine, so the timeout always stops it.
      const r = await script([out, '--allow-software'], { VK_ICD_FILENAMES: SWIFTSHADER_ICD, GPU_CHECK_TIMEOUT: '6' });
      expect(r.code).toBe(124);
      expect(r.out).toContain('gpu-check: stopped after 6 s (GPU_CHECK_TIMEOUT)');
      const records = JSON.parse(readFileSync(join(out, 'gpu-check.json'), 'utf8')) as Record<string, unknown>[];
      // Written before the first measurement, then after each: at least the adapter is there.
      expect(records[0].kind).toBe('gpu-adapter');
      expect(records.every((x) => x.finished === false)).toBe(true);
      expect(readFileSync(join(out, 'gpu-check.md'), 'utf8')).toMatch(/\*\*Unfinished: written after [0-9.]+ s; the check stopped before its last case/);
    });

    it('with --gpu-memory below every state, lists every case as skipped for memory with the bytes, none dropped', async () => {
      const out = join(dir, 'capped');
      const r = await script([out, '--allow-software', '--quick', '--gpu-memory', '1K'], { VK_ICD_FILENAMES: SWIFTSHADER_ICD });
      expect(r.code, r.out).toBe(0);
      const records = JSON.parse(readFileSync(join(out, 'gpu-check.json'), 'utf8')) as Record<string, unknown>[];
      const cases = records.filter((x) => x.kind === 'gpu-term' || x.kind === 'gpu-run');
      // 3 term cases x 2 output counts, and 4 runs (the default in three bases, the long chain).
      expect(cases).toHaveLength(10);
      for (const x of cases) expect(x.skipped, String(x.case)).toMatch(/does not fit the WebGPU memory allowed: .* need .* \([0-9]+ bytes\); allowed: 1\.0 KiB \(1024 bytes\)/);
    });

    it('--allow-software --quick measures everything the real check does and writes the JSON and the markdown section', async () => {
      const out = join(dir, 'dry');
      // Without a GPU the script picks SwiftShader itself; beside a GPU the test names it (the figures are then SwiftShader's too).
      const noGpu = noHardwareGpuReason() !== undefined;
      const r = await script([out, '--allow-software', '--quick'], noGpu ? {} : { VK_ICD_FILENAMES: SWIFTSHADER_ICD });
      expect(r.code, r.out).toBe(0);
      if (noGpu) expect(r.out).toContain('--allow-software and no GPU device node: SwiftShader');
      const records = JSON.parse(readFileSync(join(out, 'gpu-check.json'), 'utf8')) as Record<string, unknown>[];
      const kinds = (k: string) => records.filter((x) => x.kind === k);
      expect(kinds('gpu-adapter')[0]).toMatchObject({ software: true, vendor: 'google' });
      expect(kinds('gpu-copy')[0].gbs).toBeGreaterThan(0);
      // The fused term with 1 and 4 outputs on a full-basis state and sector states with K = 1 and K = 2.
      const terms = kinds('gpu-term');
      for (const [basis, K] of [['full', undefined], ['sector', 1], ['sector', 2]] as const) {
        for (const outputs of [1, 4]) {
          const t = terms.find((x) => x.basis === basis && x.K === K && x.outputs === outputs);
          expect(t, `${basis} K=${K} outputs=${outputs}`).toBeDefined();
          expect(t!.ampsPerSecond).toBeGreaterThan(0);
          expect(t!.shareOfCopy).toBeGreaterThan(0);
          expect(t!.bytesPerAmplitudeTerm).toBe(40 + (outputs - 1) * 16);
        }
      }
      // The default-run stand-in in three bases (the same physics: equal within f32), and the K = 2 chain.
      const runs = kinds('gpu-run');
      expect(runs.map((x) => [x.basis, x.state])).toEqual([['full', 'singlet'], ['sector', 'singlet'], ['antisymmetric', 'singlet'], ['sector', 'T-']]);
      for (const x of runs) expect(x.wallSeconds, JSON.stringify(x)).toBeGreaterThan(0);
      for (const x of runs.slice(1, 3)) expect(Math.abs((runs[0].finalDeltaSigmaZ as number) - (x.finalDeltaSigmaZ as number))).toBeLessThan(1e-4);
      const md = readFileSync(join(out, 'gpu-check.md'), 'utf8');
      expect(md).toMatch(/^### WebGPU on google swiftshader/);
      expect(md).toContain('**A software adapter: these are CPU figures from a dry run of bench/gpu-check.sh, not GPU figures.**');
      expect(md).toMatch(/Copy kernel \(shaders\/copy\.wgsl, 16 B per amplitude\) over .*GB\/s/);
      expect(md).toMatch(/\| sector K=2 N=20 L=6 \| 11,200 \| 4 \| [0-9.]+ \|/);
      expect(readFileSync(join(out, 'gpu-check.log'), 'utf8')).toContain('gpu-check: done');
      expect(records.every((x) => x.finished === true)).toBe(true);
      expect(md).toMatch(/The whole check took [0-9.]+ s\./);
    }, 170_000);
  });
});
