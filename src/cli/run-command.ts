/**
 * `spin-transfer run`: one config in, one result JSON out. Everything that can
 * be refused is refused before the run starts (the config, its size, the
 * output path), so a long run does not end in an error that was knowable at
 * its start. The result is written only once it is complete.
 */

import { describeGpuMemory } from '../backends/webgpu/memory-budget.js';
import { ConfigError } from '../model/config.js';
import { layoutForConfig } from '../model/layout.js';
import { runWarnings } from '../model/warnings.js';
import { planRun, sectorAdvice, simulate } from '../simulate.js';
import type { RunArgs } from './commands.js';
import { InputError } from './errors.js';
import { writeText, type CliIo } from './io.js';
import { createProgressReporter } from './progress.js';
import { configSourceName } from './read-config.js';
import { checkpointOptions, describeResume, readRunInput, resumeBackendNote } from './run-checkpoint.js';
import { removeCheckpointFile } from './checkpoint-file.js';
import { throwIfCancelled, untilCancelled } from './signals.js';
import { describeBackend, describeBasis, describeConfig, describeSize, summarize } from './summary.js';
import { checkOutputPath, writeFileAtomic } from './write-result.js';

export async function runCommand(args: RunArgs, io: CliIo, signal: AbortSignal): Promise<void> {
  try {
    await run(args, io, signal);
  } catch (e) {
    // Name the file whose value is refused: a script may run many.
    if (e instanceof ConfigError) throw new InputError(`${configSourceName(args.config ?? args.resume ?? '-')}: ${e.message}`, { cause: e });
    throw e;
  }
}

async function run(args: RunArgs, io: CliIo, signal: AbortSignal): Promise<void> {
  const started = performance.now();
  const info = (line: string) => {
    if (!args.quiet) io.stderr.write(`${line}\n`);
  };
  // With --resume, the checkpoint is read and verified before anything else.
  const { config, source, resume } = await readRunInput(args, io, signal, info);
  if (args.out !== undefined) await checkOutputPath(args.out);
  throwIfCancelled(signal);

  info(describeConfig(config, source));
  for (const warning of runWarnings(config)) info(`warning: ${warning}`);
  if (resume) info(describeResume(resume, args.resume!));

  const progress = args.quiet ? undefined : createProgressReporter(io.stderr, { tEnd: config.tEnd });
  let result;
  try {
    result = await untilCancelled(
      simulate(config, {
        backend: args.backend,
        threads: args.threads,
        gpuMemory: args.gpuMemory,
        // Before the WebGPU backend allocates: what its buffers need, and what bounds them.
        onGpuMemory: (budget) => info(describeGpuMemory(budget)),
        signal,
        onBackend: (name, description, reason, basis) => {
          info(describeBackend(name, description, reason));
          info(describeBasis(basis));
          // The size follows the basis the run resolved to.
          const resolved = { ...config, basis: basis.basis };
          const plan = planRun(resolved);
          info(describeSize(layoutForConfig(resolved).dim, plan.bytesNeeded, plan.bytesAllowed));
          const advice = sectorAdvice(resolved);
          if (advice) info(advice);
          // --backend auto may choose a backend without WebGPU buffers: the cap then bounds nothing, and the user is told.
          if (args.gpuMemory !== undefined && name !== 'webgpu') info(`note: --gpu-memory caps the WebGPU backend's buffers; backend ${name} runs, so it has no effect`);
          const note = resume && resumeBackendNote(resume, name, description);
          if (note) info(note);
        },
        onProgress: (p) => progress?.update(p),
        resumeFrom: resume,
        checkpoint: checkpointOptions(args, io),
      }),
      signal,
    );
  } finally {
    progress?.stop();
  }

  const json = `${JSON.stringify(result)}\n`;
  if (args.out !== undefined) await writeFileAtomic(args.out, json, signal);
  else await writeText(io.stdout, json);
  // The result is written: its checkpoint has nothing left to give.
  if (args.checkpoint !== undefined) {
    await removeCheckpointFile(args.checkpoint);
    info(`checkpoint ${args.checkpoint} removed (the run is complete)`);
  }

  info(summarize(result, (performance.now() - started) / 1000, args.out ?? 'written to stdout'));
}
