/**
 * Entry point of a CPU worker thread (bundled into a string by
 * scripts/generate.mjs). It holds views of the shared state buffers and runs
 * expansions and reductions on its own range of orbital blocks.
 */

import type { HamiltonianTerms } from '../../model/hamiltonian.js';
import { breakBarrier, createBarrier } from './barrier.js';
import { crossReduceRange, reduceRange, repeatHamiltonianApplication, runExpansion, type BlockRange, type ExpansionCommand } from './expansion.js';
import { blockOperator, type BlockOperator } from './kernel.js';

export type WorkerRequest =
  | { type: 'init'; scaled: HamiltonianTerms; hamiltonian: HamiltonianTerms; range: BlockRange; control: SharedArrayBuffer; parties: number }
  | { type: 'buffers'; buffers: SharedArrayBuffer[] }
  | { type: 'advance'; cmd: ExpansionCommand }
  | { type: 'reduce'; buffer: number }
  | { type: 'apply'; x: number; y: number; repetitions: number }
  | { type: 'cross'; mine: number[]; others: SharedArrayBuffer[] };

interface Port {
  post(m: unknown): void;
  listen(cb: (m: WorkerRequest) => void): void;
}

function hostPort(): Port {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const wt = proc?.getBuiltinModule?.('node:worker_threads') as
    | { parentPort: { postMessage(m: unknown): void; on(e: 'message', cb: (m: WorkerRequest) => void): void } | null }
    | undefined;
  if (wt?.parentPort) {
    const port = wt.parentPort;
    return { post: (m) => port.postMessage(m), listen: (cb) => port.on('message', cb) };
  }
  const scope = globalThis as unknown as { postMessage(m: unknown): void; onmessage: ((ev: { data: WorkerRequest }) => void) | null };
  return { post: (m) => scope.postMessage(m), listen: (cb) => (scope.onmessage = (ev) => cb(ev.data)) };
}

const port = hostPort();
let scaled: BlockOperator;
let hamiltonian: BlockOperator;
let range: BlockRange;
let barrier: () => void;
let control: Int32Array;
let buffers: Float64Array[] = [];
let scratch: Float64Array;

port.listen((msg) => {
  try {
    switch (msg.type) {
      case 'init':
        scaled = blockOperator(msg.scaled);
        hamiltonian = blockOperator(msg.hamiltonian);
        range = msg.range;
        control = new Int32Array(msg.control);
        barrier = createBarrier(control, msg.parties);
        scratch = new Float64Array(2 * scaled.B);
        port.post({ ok: true });
        break;
      case 'buffers':
        buffers = msg.buffers.map((b) => new Float64Array(b));
        port.post({ ok: true });
        break;
      case 'advance': {
        runExpansion(scaled, buffers, msg.cmd, range, scratch, barrier);
        port.post({ ok: true, partials: msg.cmd.accs.map((i) => reduceRange(hamiltonian, buffers[i], range, scratch)) });
        break;
      }
      case 'apply':
        port.post({ ok: true, seconds: repeatHamiltonianApplication(scaled, buffers[msg.x], buffers[msg.y], msg.repetitions, range, scratch, barrier) });
        break;
      case 'reduce':
        port.post({ ok: true, partials: [reduceRange(hamiltonian, buffers[msg.buffer], range, scratch)] });
        break;
      case 'cross':
        port.post({ ok: true, crosses: msg.mine.map((i, q) => crossReduceRange(hamiltonian, buffers[i], new Float64Array(msg.others[q]), range)) });
        break;
    }
  } catch (e) {
    if (control) breakBarrier(control);
    port.post({ ok: false, error: e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e) });
  }
});
