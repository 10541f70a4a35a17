/**
 * A reusable barrier for worker threads over a shared Int32Array
 * [arrived, generation, broken]. The last thread to arrive resets the count and
 * bumps the generation; the others spin briefly (terms of small states take
 * microseconds) and then sleep in Atomics.wait until the generation changes.
 * A thread that fails marks the barrier broken, so the others throw instead of
 * waiting forever.
 */

export const BARRIER_INTS = 3;

export class BrokenBarrierError extends Error {
  constructor() {
    super('another CPU worker thread failed during this expansion');
    this.name = 'BrokenBarrierError';
  }
}

export function createBarrier(control: Int32Array, parties: number): () => void {
  return () => {
    const generation = Atomics.load(control, 1);
    if (Atomics.add(control, 0, 1) === parties - 1) {
      Atomics.store(control, 0, 0);
      Atomics.add(control, 1, 1);
      Atomics.notify(control, 1);
      return;
    }
    for (let spin = 0; spin < 2000; spin++) {
      if (Atomics.load(control, 1) !== generation) return;
    }
    while (Atomics.load(control, 1) === generation) {
      if (Atomics.load(control, 2) !== 0) throw new BrokenBarrierError();
      Atomics.wait(control, 1, generation, 200);
    }
  };
}

/** Marks the barrier broken and wakes every waiting thread. */
export function breakBarrier(control: Int32Array): void {
  Atomics.store(control, 2, 1);
  Atomics.add(control, 1, 0);
  Atomics.notify(control, 1);
}
