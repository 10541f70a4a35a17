/** A study as a list of jobs and the function that turns their outcomes into the study's JSON. */

import type { Job, JobOutcome } from './jobs.js';

export interface StudyPlan<R> {
  // Outcomes differ by job kind; each plan knows which job gave which.
  jobs: Job<JobOutcome>[];
  assemble(outcomes: JobOutcome[]): R;
}
