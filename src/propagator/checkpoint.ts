/**
 * Checkpoints of one run: what a run needs to continue after its process
 * died, as a data structure, its binary encoding and the checks that refuse a
 * checkpoint that cannot continue this run. Portable (Node and browsers):
 * reading and writing files is src/cli/checkpoint-file.ts's job.
 *
 * A checkpoint is taken only between two Chebyshev expansions, and a resumed
 * run keeps the grouping of output times into expansions that the first run
 * used (`outputsPerExpansion`), so on the CPU backend with the same thread
 * count a resumed run repeats the uninterrupted run's arithmetic exactly: the
 * state is stored as the backend's readState() gives it (f64, the basis's own
 * order, without the global phase e^{-i center t / hbar}, which propagate.ts
 * restores from the absolute time), and the series so far are the raw
 * per-output-time reductions the result is assembled from.
 *
 * The encoding (integers and floats little-endian):
 *
 *   offset 0   8 bytes   magic "SPINCKPT"
 *          8   u32       format version (CHECKPOINT_FORMAT_VERSION)
 *          12  u32       H: bytes of the header
 *          16  H bytes   header: UTF-8 JSON, padded with spaces so that the
 *                        payload starts at a multiple of 8
 *          16 + H        payload: f64 values, `payload.doubles` of them: the
 *                        state (interleaved re, im), then for each output
 *                        time 0 … step: rho, SzSites, density, energy; then,
 *                        for a run with `entanglement: true` only (format
 *                        version 3), the entanglement series so far: for
 *                        each output time 0 … step the concurrence (two
 *                        electrons) and the L - 1 S_z correlations, then the
 *                        chain entropies given so far and their times
 *          end - 32      SHA-256 of every byte before it
 *
 * The header says how long the payload is, so a truncated file is told from
 * a corrupted one; the checksum covers the header too.
 *
 * The state may be the largest thing a run holds (16 bytes per amplitude in
 * f64): writeCheckpoint() takes it piece by piece as the backend reads it
 * back (readStateChunks), hashes each piece and hands it on before it asks
 * for the next, so the writer holds one piece at a time. The bytes are the
 * same however the state is cut. Reading a checkpoint (decodeCheckpoint)
 * still takes the whole file, and so the whole state, at once.
 */

import { outputTimes, parseRunConfig, ConfigError, type ResolvedRunConfig, type RunConfig } from '../model/config.js';
import { resolvedConfig } from '../model/basis.js';
import { layoutForConfig } from '../model/layout.js';
import type { EntanglementSeries } from '../model/entanglement.js';
import type { StateReduction } from '../model/observables.js';
import type { Precision } from './chebyshev.js';

/**
 * Version of the encoding above. A file of another format version is
 * refused. A file of the same format version written by another package
 * version is accepted: its numbers are the same kind of numbers, and the
 * caller is told which version wrote it. Bump this whenever the layout, the
 * header's keys or the meaning of the state (its order, its phase) change.
 *
 * Version 2 adds states of basis "antisymmetric" (half the sector's
 * amplitudes, model/antisymmetric.ts), which a reader of version 1 would
 * refuse as a config it does not know. Version 1 files are read as they
 * are: their encoding is version 2's, and they hold bases "full" and
 * "sector" only (READABLE_FORMAT_VERSIONS).
 *
 * Version 3 adds the entanglement series of a run with `entanglement: true`
 * (after the reductions, `payload.entanglement` in the header), so such a
 * run can be checkpointed and resumed. Versions 1 and 2 are read as they
 * are: no run with entanglement could write them, and one whose config asks
 * for it is refused as corrupted. A file without entanglement differs from
 * version 2's in its version number only.
 */
export const CHECKPOINT_FORMAT_VERSION = 3;

/**
 * Format versions this code reads: its own, version 2 (without the
 * entanglement series) and version 1 (without basis "antisymmetric" either).
 */
export const READABLE_FORMAT_VERSIONS: readonly number[] = [1, 2, 3];

const MAGIC = 'SPINCKPT';

/** Whether `bytes` (the first 8 of a file suffice) start as a checkpoint does. */
export function looksLikeCheckpoint(bytes: Uint8Array): boolean {
  return bytes.length >= MAGIC.length && new TextDecoder().decode(bytes.subarray(0, MAGIC.length)) === MAGIC;
}
const PREFIX_BYTES = 16;
const DIGEST_BYTES = 32;
/** A header is a config and a few numbers: anything far larger is not one of ours. */
const MAX_HEADER_BYTES = 1 << 20;

export interface Checkpoint {
  formatVersion: number;
  /** Package version of the code that wrote it ("unknown" where the writer did not say). */
  codeVersion: string;
  /** When it was written, ISO 8601. */
  created: string;
  /** The run config, every default filled in, with the basis its state is in (never "auto"). */
  config: ResolvedRunConfig;
  /** Amplitudes of the state: the layout's dim for the config's basis. */
  dim: number;
  /** Backend that wrote it, its description (threads, adapter) and precision. */
  backend: string;
  backendDescription: string;
  precision: Precision;
  /** Output times per Chebyshev expansion of the run: a resumed run must use the same. */
  outputsPerExpansion: number;
  /** Output index reached: the state is the state at t[step], reductions hold 0 … step. */
  step: number;
  /** t[step], fs. */
  t: number;
  /** H applications so far. */
  matvecs: number;
  /** Seconds the run has taken so far (all its sessions). */
  seconds: number;
  /** Interleaved complex, 2 dim values, as the backend's readState() gives it. */
  state: Float64Array;
  /** One per output time 0 … step. */
  reductions: StateReduction[];
  /**
   * With `entanglement: true` only: the entanglement series of output times
   * 0 … step (chain entropies only where given so far; no `note`, which the
   * resumed run derives again).
   */
  entanglement?: EntanglementSeries;
}

/** What a checkpoint says besides its state. */
export type CheckpointInfo = Omit<Checkpoint, 'state'>;

/**
 * A checkpoint whose state is read from the backend piece by piece as it is
 * written (simulate()'s `writeStreamed`), so that the host never holds the
 * whole state: writeCheckpoint() and writeCheckpointFile() take it so, and
 * encodeCheckpoint() joins the pieces. Valid only until the write it was
 * handed to returns: the pieces come from the backend's current state.
 */
export interface StreamedCheckpoint extends CheckpointInfo {
  /**
   * The state as the backend's readState() gives it, in order, in pieces of
   * at most `maxDoubles` doubles (whole amplitudes); each piece may be a view
   * of the backend's memory or a reused buffer, valid until the next is asked
   * for, and is not to be written.
   */
  stateChunks(maxDoubles: number): AsyncIterable<Float64Array>;
}

/** Doubles of state one piece of a streamed checkpoint holds at most, by default: 64 MiB of f64. */
export const CHECKPOINT_PIECE_DOUBLES = 1 << 23;

/** An incremental SHA-256 (node:crypto's createHash('sha256') is one). */
export interface IncrementalSha256 {
  update(bytes: Uint8Array): unknown;
  digest(): Uint8Array;
}

export interface WriteCheckpointOptions {
  /** A fresh incremental SHA-256. Web Crypto has none: a browser joins the pieces with encodeCheckpoint(). */
  createSha256: () => IncrementalSha256;
  /** Doubles of state per piece at most (default CHECKPOINT_PIECE_DOUBLES). */
  maxDoubles?: number;
}

export type CheckpointProblem =
  | 'missing'
  | 'unreadable'
  | 'not-a-checkpoint'
  | 'truncated'
  | 'corrupted'
  | 'version'
  | 'config'
  | 'basis';

/** A checkpoint that cannot continue this run; `problem` says why. */
export class CheckpointError extends Error {
  constructor(
    readonly problem: CheckpointProblem,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'CheckpointError';
  }
}

/** SHA-256 of the concatenation of `chunks`. */
export type Sha256 = (chunks: readonly Uint8Array[]) => Promise<Uint8Array>;

/** SHA-256 through Web Crypto (browsers in a secure context, Node >= 19). */
export const webCryptoSha256: Sha256 = async (chunks) => {
  const subtle = (globalThis as { crypto?: { subtle?: SubtleCrypto } }).crypto?.subtle;
  if (!subtle) throw new Error('no Web Crypto here (crypto.subtle): cannot checksum a checkpoint');
  const data = chunks.length === 1 ? chunks[0] : concat(chunks);
  return new Uint8Array(await subtle.digest('SHA-256', data as Uint8Array<ArrayBuffer>));
};

export interface CodecOptions {
  /** Default: webCryptoSha256. Node callers pass node:crypto's, which hashes the chunks without joining them. */
  sha256?: Sha256;
}

/** The JSON header: the checkpoint's metadata (the state and the series travel as the f64 payload). */
type Header = Omit<Checkpoint, 'formatVersion' | 'state' | 'reductions' | 'entanglement'> & {
  format: string;
  payload: {
    doubles: number; stateDoubles: number; reductionDoubles: number; reductions: number; order: string;
    /** Format version 3, with `entanglement: true` only: doubles per output time (concurrence, S_z correlations) and chain entropies given. */
    entanglement?: { perOutput: number; entropies: number };
  };
};

const HEADER_FORMAT = 'spin-transfer checkpoint';
const PAYLOAD_ORDER = 'state (re, im interleaved; the basis order; without the global phase), then per output time 0 … step: rho, SzSites, density, energy';
const ENTANGLEMENT_ORDER = '; then per output time 0 … step: concurrence (two electrons), szCorrelations; then chainEntropy, chainEntropyTimes';

/** Doubles the entanglement series take per output time: the concurrence (two electrons) and the L - 1 S_z correlations. */
function entanglementPerOutput(config: ResolvedRunConfig): number {
  return (config.state === 'single' ? 0 : 1) + Math.max(0, config.L - 1);
}

/** Doubles one reduction of this config takes in the payload. */
function reductionDoubles(config: ResolvedRunConfig): number {
  const n = config.state === 'single' ? 2 : 4;
  return 2 * n * n + config.L + config.N + 1;
}

/**
 * The file's bytes, as chunks to write one after the other (the state is a
 * view of `checkpoint.state` on little-endian hosts, not a copy; a streamed
 * checkpoint's pieces are joined into one copy of the state first).
 */
export async function encodeCheckpoint(checkpoint: Checkpoint | StreamedCheckpoint, options: CodecOptions = {}): Promise<Uint8Array[]> {
  const state = 'state' in checkpoint ? checkpoint.state : await joinState(checkpoint);
  const { head, tail } = encodeParts(checkpoint, state.length);
  const chunks = [head, littleEndianBytes(state), littleEndianBytes(tail)];
  chunks.push(await (options.sha256 ?? webCryptoSha256)(chunks));
  return chunks;
}

/**
 * Writes the checkpoint's bytes (encodeCheckpoint's, byte for byte) through
 * `write`, in order: the header, then the state one piece at a time (a
 * streamed checkpoint's pieces as the backend gives them; a whole state's
 * in slices), each hashed and awaited before the next is asked for, then the
 * series and the SHA-256. So the writer holds one piece of the state at
 * most. Throws, before the checksum is written, where the pieces do not add
 * up to the state the header announced.
 */
export async function writeCheckpoint(
  checkpoint: Checkpoint | StreamedCheckpoint,
  write: (bytes: Uint8Array) => Promise<void>,
  options: WriteCheckpointOptions,
): Promise<void> {
  const maxDoubles = pieceDoubles(options.maxDoubles ?? CHECKPOINT_PIECE_DOUBLES);
  const stateDoubles = 'state' in checkpoint ? checkpoint.state.length : 2 * checkpoint.dim;
  const { head, tail } = encodeParts(checkpoint, stateDoubles);
  const hash = options.createSha256();
  const put = async (bytes: Uint8Array) => {
    hash.update(bytes);
    await write(bytes);
  };
  await put(head);
  let written = 0;
  const pieces = 'state' in checkpoint ? slices(checkpoint.state, maxDoubles) : checkpoint.stateChunks(maxDoubles);
  for await (const piece of pieces) {
    written += piece.length;
    if (written > stateDoubles) break;
    await put(littleEndianBytes(piece));
  }
  if (written !== stateDoubles) {
    throw new Error(`checkpoint not written: the backend gave ${written > stateDoubles ? 'more than ' : ''}${written} doubles of state, the header says ${stateDoubles}`);
  }
  await put(littleEndianBytes(tail));
  await write(new Uint8Array(hash.digest()));
}

/** Whole amplitudes (an even count), at least one. */
function pieceDoubles(maxDoubles: number): number {
  if (!(maxDoubles >= 2)) throw new RangeError(`a piece of state must hold at least one amplitude (2 doubles), got ${maxDoubles}`);
  return Math.min(2 * Math.floor(maxDoubles / 2), 2 ** 52);
}

async function* slices(state: Float64Array, maxDoubles: number): AsyncGenerator<Float64Array> {
  for (let o = 0; o < state.length; o += maxDoubles) yield state.subarray(o, Math.min(o + maxDoubles, state.length));
}

/** A streamed checkpoint's state in one array (each piece copied: it may be a reused buffer). */
async function joinState(checkpoint: StreamedCheckpoint): Promise<Float64Array> {
  const state = new Float64Array(2 * checkpoint.dim);
  let o = 0;
  for await (const piece of checkpoint.stateChunks(CHECKPOINT_PIECE_DOUBLES)) {
    if (o + piece.length > state.length) throw new Error(`checkpoint not encoded: the backend gave more than ${state.length} doubles of state`);
    state.set(piece, o);
    o += piece.length;
  }
  if (o !== state.length) throw new Error(`checkpoint not encoded: the backend gave ${o} doubles of state, the checkpoint needs ${state.length}`);
  return state;
}

/**
 * The bytes before the state (prefix and header) and the doubles after it
 * (the reductions, then the entanglement series), for a state of
 * `stateDoubles` doubles.
 */
function encodeParts(checkpoint: CheckpointInfo, stateDoubles: number): { head: Uint8Array; tail: Float64Array } {
  const { config, reductions } = checkpoint;
  const perReduction = reductionDoubles(config);
  const count = reductions.length;
  const e = entanglementLayout(checkpoint);
  const tail = new Float64Array(count * perReduction + (e ? count * e.perOutput + 2 * e.entropies : 0));
  let o = 0;
  for (const r of reductions) {
    tail.set(r.rho, o);
    tail.set(r.szSites, o + r.rho.length);
    tail.set(r.density, o + r.rho.length + r.szSites.length);
    tail[o + perReduction - 1] = r.energy;
    o += perReduction;
  }
  if (e) {
    const series = checkpoint.entanglement!;
    for (let k = 0; k < count; k++) {
      if (series.concurrence) tail[o++] = series.concurrence[k];
      tail.set(series.szCorrelations[k], o);
      o += series.szCorrelations[k].length;
    }
    tail.set(series.chainEntropy, o);
    tail.set(series.chainEntropyTimes, o + e.entropies);
  }
  const header: Header = {
    format: HEADER_FORMAT,
    codeVersion: checkpoint.codeVersion,
    created: checkpoint.created,
    config,
    dim: checkpoint.dim,
    backend: checkpoint.backend,
    backendDescription: checkpoint.backendDescription,
    precision: checkpoint.precision,
    outputsPerExpansion: checkpoint.outputsPerExpansion,
    step: checkpoint.step,
    t: checkpoint.t,
    matvecs: checkpoint.matvecs,
    seconds: checkpoint.seconds,
    payload: {
      doubles: stateDoubles + tail.length,
      stateDoubles,
      reductionDoubles: perReduction,
      reductions: count,
      order: e ? PAYLOAD_ORDER + ENTANGLEMENT_ORDER : PAYLOAD_ORDER,
      ...(e ? { entanglement: e } : {}),
    },
  };
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  if (padded !== json.length) {
    const p = new Uint8Array(padded).fill(0x20);
    p.set(json);
    json = p;
  }
  const head = new Uint8Array(PREFIX_BYTES + json.length);
  head.set(new TextEncoder().encode(MAGIC));
  const view = new DataView(head.buffer);
  view.setUint32(8, checkpoint.formatVersion, true);
  view.setUint32(12, json.length, true);
  head.set(json, PREFIX_BYTES);
  return { head, tail };
}

/**
 * The header's `payload.entanglement` of a checkpoint of a run with
 * `entanglement: true` (undefined without); throws where the series is
 * missing or does not fit the reductions (a writer's bug, not a file's).
 */
function entanglementLayout(checkpoint: CheckpointInfo): { perOutput: number; entropies: number } | undefined {
  const { config, entanglement: series, reductions } = checkpoint;
  if (!config.entanglement) {
    if (series) throw new Error('checkpoint not encoded: it holds entanglement series, and its config has no "entanglement": true');
    return undefined;
  }
  if (checkpoint.formatVersion < 3) throw new Error(`checkpoint not encoded: format version ${checkpoint.formatVersion} holds no entanglement series`);
  const count = reductions.length;
  const perOutput = entanglementPerOutput(config);
  const rows = Math.max(0, config.L - 1);
  if (
    !series || (config.state === 'single') !== (series.concurrence === undefined) || (series.concurrence && series.concurrence.length !== count) ||
    series.szCorrelations.length !== count || series.szCorrelations.some((row) => row.length !== rows) ||
    series.chainEntropy.length !== series.chainEntropyTimes.length || series.chainEntropy.length > count
  ) {
    throw new Error(`checkpoint not encoded: its config has "entanglement": true, and it does not hold the entanglement series of its ${count} output times`);
  }
  return { perOutput, entropies: series.chainEntropy.length };
}

/** Bytes of the whole file (for callers that want one buffer). */
export async function encodeCheckpointBytes(checkpoint: Checkpoint | StreamedCheckpoint, options: CodecOptions = {}): Promise<Uint8Array> {
  return concat(await encodeCheckpoint(checkpoint, options));
}

/**
 * Reads a checkpoint and checks it is whole (length, SHA-256), of this
 * format version, and consistent with its own config (the state's length is
 * the layout's dim for the config's basis). Throws CheckpointError.
 */
export async function decodeCheckpoint(bytes: Uint8Array, options: CodecOptions = {}): Promise<Checkpoint> {
  const magic = new TextDecoder().decode(bytes.subarray(0, MAGIC.length));
  if (bytes.length < MAGIC.length ? !MAGIC.startsWith(magic) : magic !== MAGIC) {
    throw new CheckpointError('not-a-checkpoint', 'not a spin-transfer checkpoint (it does not start with "SPINCKPT")');
  }
  if (bytes.length < PREFIX_BYTES) throw truncated(bytes.length, PREFIX_BYTES);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const formatVersion = view.getUint32(8, true);
  if (!READABLE_FORMAT_VERSIONS.includes(formatVersion)) {
    throw new CheckpointError(
      'version',
      `checkpoint format version ${formatVersion}; this spin-transfer reads format versions ${listed(READABLE_FORMAT_VERSIONS)} only` +
        (formatVersion > CHECKPOINT_FORMAT_VERSION ? ' (written by a newer spin-transfer: resume it with that one)' : ''),
    );
  }
  const headerBytes = view.getUint32(12, true);
  if (headerBytes > MAX_HEADER_BYTES || headerBytes % 8 !== 0) {
    throw new CheckpointError('corrupted', `corrupted checkpoint: a header of ${headerBytes} bytes`);
  }
  if (bytes.length < PREFIX_BYTES + headerBytes) throw truncated(bytes.length, PREFIX_BYTES + headerBytes, true);
  let header: Header;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(PREFIX_BYTES, PREFIX_BYTES + headerBytes))) as Header;
  } catch (e) {
    throw new CheckpointError('corrupted', `corrupted checkpoint: its header is not JSON (${(e as Error).message})`, { cause: e });
  }
  const doubles = header?.payload?.doubles;
  if (header?.format !== HEADER_FORMAT || !Number.isSafeInteger(doubles) || doubles < 0) {
    throw new CheckpointError('corrupted', 'corrupted checkpoint: its header does not describe a payload');
  }
  const payloadStart = PREFIX_BYTES + headerBytes;
  const expected = payloadStart + 8 * doubles + DIGEST_BYTES;
  if (bytes.length !== expected) {
    if (bytes.length < expected) throw truncated(bytes.length, expected);
    throw new CheckpointError('corrupted', `corrupted checkpoint: ${bytes.length} bytes, its header says ${expected}`);
  }
  const digest = await (options.sha256 ?? webCryptoSha256)([bytes.subarray(0, expected - DIGEST_BYTES)]);
  const stored = bytes.subarray(expected - DIGEST_BYTES);
  if (!digest.every((b, i) => b === stored[i])) {
    throw new CheckpointError('corrupted', 'corrupted checkpoint: its SHA-256 does not match its contents');
  }

  // Whole and as written: what remains is whether it describes a run we can continue.
  let parsed: RunConfig;
  try {
    parsed = parseRunConfig(header.config);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    throw new CheckpointError('config', `the checkpoint's config is not a valid run config here: ${e.message}`, { cause: e });
  }
  // A checkpoint's config names the basis its state is in; one written before the key existed is in the full basis, then the only one.
  const written = (header.config as { basis?: unknown } | null)?.basis;
  if (written === 'auto') throw new CheckpointError('config', 'the checkpoint\'s config has "basis": "auto"; a checkpoint names the basis its state is in ("full", "sector" or "antisymmetric")');
  const config: ResolvedRunConfig = resolvedConfig(parsed, 'full');
  if (formatVersion < 2 && config.basis === 'antisymmetric') {
    throw new CheckpointError('corrupted', 'corrupted checkpoint: format version 1 has no basis "antisymmetric", yet its config names it');
  }
  if (formatVersion < 3 && config.entanglement) {
    throw new CheckpointError('corrupted', `corrupted checkpoint: format version ${formatVersion} holds no entanglement series, yet its config asks for them ("entanglement": true)`);
  }
  const { stateDoubles, reductionDoubles: perReduction, reductions: count } = header.payload;
  const dim = layoutForConfig(config).dim;
  if (stateDoubles !== 2 * dim || header.dim !== dim) {
    throw new CheckpointError(
      'config',
      `the checkpoint's state has ${stateDoubles / 2} amplitudes; its config (N = ${config.N}, L = ${config.L}, basis "${config.basis}") needs ${dim}`,
    );
  }
  const t = outputTimes(config);
  const step = header.step;
  const opE = header.outputsPerExpansion;
  // With entanglement: true (format version 3), the series' doubles follow the reductions.
  const e = header.payload.entanglement;
  const perOutput = config.entanglement ? entanglementPerOutput(config) : 0;
  const entropies = config.entanglement ? e?.entropies : 0;
  if (
    (config.entanglement ? e?.perOutput !== perOutput : e !== undefined) ||
    !Number.isSafeInteger(entropies) || entropies! < 0 || entropies! > count ||
    perReduction !== reductionDoubles(config) || count !== step + 1 ||
    doubles !== stateDoubles + count * (perReduction + perOutput) + 2 * entropies! ||
    !Number.isSafeInteger(step) || step < 0 || step >= t.length || header.t !== t[step] ||
    !Number.isSafeInteger(opE) || opE < 1 || (step % opE !== 0 && step !== t.length - 1)
  ) {
    throw new CheckpointError('corrupted', 'corrupted checkpoint: its header does not agree with its config');
  }

  const values = fromLittleEndian(bytes, payloadStart, doubles);
  const state = values.subarray(0, stateDoubles);
  const n = config.state === 'single' ? 2 : 4;
  const reductions: StateReduction[] = [];
  for (let k = 0, o = stateDoubles; k < count; k++, o += perReduction) {
    reductions.push({
      rho: values.slice(o, o + 2 * n * n),
      szSites: values.slice(o + 2 * n * n, o + 2 * n * n + config.L),
      density: values.slice(o + 2 * n * n + config.L, o + perReduction - 1),
      energy: values[o + perReduction - 1],
    });
  }
  let entanglement: EntanglementSeries | undefined;
  if (config.entanglement) {
    const rows = perOutput - (config.state === 'single' ? 0 : 1);
    const series: EntanglementSeries = { ...(config.state === 'single' ? {} : { concurrence: [] as number[] }), chainEntropy: [], chainEntropyTimes: [], szCorrelations: [] };
    let o = stateDoubles + count * perReduction;
    for (let k = 0; k < count; k++) {
      if (series.concurrence) series.concurrence.push(values[o++]);
      series.szCorrelations.push(Array.from(values.subarray(o, o + rows)));
      o += rows;
    }
    series.chainEntropy = Array.from(values.subarray(o, o + entropies!));
    series.chainEntropyTimes = Array.from(values.subarray(o + entropies!, o + 2 * entropies!));
    entanglement = series;
  }
  return {
    formatVersion,
    codeVersion: String(header.codeVersion),
    created: String(header.created),
    config,
    dim,
    backend: String(header.backend),
    backendDescription: String(header.backendDescription),
    precision: header.precision === 'f32' ? 'f32' : 'f64',
    outputsPerExpansion: opE,
    step,
    t: header.t,
    matvecs: header.matvecs,
    seconds: header.seconds,
    state,
    reductions,
    ...(entanglement ? { entanglement } : {}),
  };
}

/**
 * Refuses a checkpoint that does not continue a run of `config`: another
 * basis, or any other key. Says which keys differ. A config with "basis":
 * "auto" continues the checkpoint in the checkpoint's basis (as
 * model/basis.ts resolves it).
 */
export function checkCheckpointConfig(checkpoint: Checkpoint, config: RunConfig, configName = 'the config'): void {
  const mine = checkpoint.config as unknown as Record<string, unknown>;
  const theirs = { ...config, basis: config.basis === 'auto' ? checkpoint.config.basis : config.basis } as unknown as Record<string, unknown>;
  if (mine.basis !== theirs.basis) {
    throw new CheckpointError(
      'basis',
      `another basis: the checkpoint holds a state in basis "${String(mine.basis)}", ${configName} asks for basis "${String(theirs.basis)}"`,
    );
  }
  const keys = [...new Set([...Object.keys(mine), ...Object.keys(theirs)])];
  const differ = keys.filter((k) => !sameValue(mine[k], theirs[k]));
  if (differ.length > 0) {
    const shown = differ.slice(0, 4).map((k) => `${k} = ${JSON.stringify(mine[k])} in the checkpoint, ${JSON.stringify(theirs[k])} in ${configName}`);
    throw new CheckpointError(
      'config',
      `the checkpoint is of another config: ${shown.join('; ')}${differ.length > 4 ? `; and ${differ.length - 4} more keys` : ''}`,
    );
  }
}

/** Object.is for numbers and names; entry by entry for the lists (JsdSites, JexBonds). */
function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
  return Object.is(a, b);
}

/** "1, 2 and 3". */
function listed(values: readonly number[]): string {
  return values.length < 2 ? values.join('') : `${values.slice(0, -1).join(', ')} and ${values.at(-1)}`;
}

function truncated(have: number, need: number, atLeast = false): CheckpointError {
  return new CheckpointError('truncated', `truncated checkpoint: ${have} bytes, ${atLeast ? 'at least ' : ''}${need} expected`);
}

const LITTLE_ENDIAN = new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f;

function littleEndianBytes(values: Float64Array): Uint8Array {
  if (LITTLE_ENDIAN) return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  const out = new Uint8Array(values.length * 8);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat64(8 * i, values[i], true);
  return out;
}

/** `count` doubles from `bytes` at `offset`: a view where the bytes are aligned, else a copy. */
function fromLittleEndian(bytes: Uint8Array, offset: number, count: number): Float64Array {
  const at = bytes.byteOffset + offset;
  if (LITTLE_ENDIAN && at % 8 === 0) return new Float64Array(bytes.buffer, at, count);
  if (LITTLE_ENDIAN) return new Float64Array(bytes.slice(offset, offset + 8 * count).buffer);
  const view = new DataView(bytes.buffer, at, 8 * count);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) out[i] = view.getFloat64(8 * i, true);
  return out;
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((s, c) => s + c.length, 0));
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}
