/**
 * The dashboard's entry point: defines <spin-transfer-dashboard> and its
 * parts. The static site's index.html and the one-file embed
 * (dist/spin-transfer-dashboard.js) both start here.
 */

export { SpinTransferDashboard, type RunStatus, type RunProgressDetail, type RunErrorDetail } from './dashboard.js';
export type { AnyResult, JobProgress } from './protocol.js';
export type { PresetId } from './presets.js';
