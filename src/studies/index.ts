/** The paper's studies (Figs. 2-4) and the exact theta sweep: the public surface of src/studies. */
export { runStudy, planStudy, isStudyName, FIG4_POINTS_RANGE, type StudyOptions, type StudyResults, type AnyStudyPlan } from './run-study.js';
export { SWEEP_STUDIES, isSweepStudy, type SweepStudyPlan, type SweepStudyName } from './study-sweep.js';
export { thetaSweep, equallySpacedAngles, type ThetaSweep, type ThetaSweepOptions } from './theta-sweep.js';
export { fitCosine, type CosineFit } from './cosine-fit.js';
export type { StudyProgress, RunCache, JobRecord, JobOutcome } from './jobs.js';
export { studyCsvFiles, studyFigureSvg, csvTable, type ExportFile } from './study-export.js';
export { svgChart, type ChartPanel, type ChartSeries } from './svg-chart.js';
export * from './study-result.js';
