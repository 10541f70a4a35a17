/** spin-transfer: the library API. */
export {
  simulate, resumeSimulation, memoryEstimate, checkMemory, planRun, type SimulateOptions, type CheckpointOptions, type RunPlan,
} from './simulate.js';
export {
  encodeCheckpoint, encodeCheckpointBytes, writeCheckpoint, decodeCheckpoint, checkCheckpointConfig, webCryptoSha256,
  CheckpointError, CHECKPOINT_FORMAT_VERSION, CHECKPOINT_PIECE_DOUBLES, type Checkpoint, type CheckpointInfo, type StreamedCheckpoint,
  type CheckpointProblem, type Sha256, type IncrementalSha256, type WriteCheckpointOptions,
} from './propagator/checkpoint.js';
export {
  simulateWithCheckpoint, readCheckpointFile, writeCheckpointFile, removeCheckpointFile, nodeSha256,
  DEFAULT_CHECKPOINT_SECONDS, type CheckpointedRunOptions,
} from './cli/checkpoint-file.js';
export {
  parseRunConfig, outputTimes, ConfigError, DEFAULT_CONFIG, ALLOWED,
  type RunConfig, type RunConfigInput, type ElectronSpin, type SdTerms, type InitialStateName,
  type Basis, type BasisSetting, type ResolvedRunConfig,
} from './model/config.js';
export { resolveBasis, presumedBasis, resolvedConfig, type BasisChoice } from './model/basis.js';
export type { SimulationResult } from './model/result.js';
export { LIMITS, outputCount } from './model/limits.js';
export { runWarnings, OVERLAP_THRESHOLD } from './model/warnings.js';
export type { Progress } from './propagator/propagate.js';
export { CancelledError, ResourceError, type PropagationBackend } from './backends/backend.js';
export { selectBackend, BACKEND_NAMES } from './backends/select.js';
export { createCpuBackend } from './backends/cpu/cpu-backend.js';
export { createWebGpuBackend, type WebGpuBackendOptions } from './backends/webgpu/webgpu-backend.js';
export { WebGpuUnavailableError } from './backends/webgpu/device.js';
export {
  runStudy, planStudy, thetaSweep, equallySpacedAngles, fitCosine, studyCsvFiles, studyFigureSvg, STUDY_NAMES,
  type StudyName, type StudyOptions, type StudyProgress, type StudyResult, type StudyResults, type RunCache,
  type Fig2aResult, type Fig2bResult, type Fig3Result, type Fig4Result, type ThetaSweep, type CosineFit,
} from './studies/index.js';
export {
  runSweep, planSweep, shardPoints, assembleSweep, sweepPoints, parseGridArgument, parseSweepFile, sweepCsv, sweepFigure, sweepFigureSvg, sweepFigurePng,
  type SweepSpec, type SweepGrid, type SweepMode, type SweepPoint, type SweepRow, type SweepResult, type SweepStore, type SweepOptions,
  type SweepPlan, type Shard, type GridValue,
} from './sweeps/index.js';
