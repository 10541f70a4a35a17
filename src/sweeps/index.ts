/** Parameter sweeps: the public surface of src/sweeps (Node-free: the CLI adds the files, the dashboard can run them in its worker). */
export {
  parseGridArgument, parseGridValues, parseSweepFile, parseRange, checkGrid, gridParams, pointCount, sweepPoints, pointName, describeParams,
  MAX_SWEEP_POINTS, type GridValue, type SweepGrid, type SweepMode, type SweepSpec, type SweepPoint,
} from './grid.js';
export {
  runSweep, planSweep, shardPoints, assembleSweep, rowOf,
  type SweepRow, type SweepResult, type SweepStore, type SweepOptions, type SweepPlan, type Shard, type Probabilities,
} from './run-sweep.js';
export { sweepCsv, sweepFigure, sweepFigureSvg, sweepFigurePng, type SweepFigure } from './sweep-export.js';
export { sweepId } from './sweep-id.js';
