/**
 * The files of a finished study: the CSV of every series, the figure as SVG
 * and NAME.json last (a study is complete when its JSON is there), each
 * written atomically. The study command writes them, and so does
 * `sweep merge` for a study's sweep folder.
 */

import { join } from 'node:path';
import { studyCsvFiles, studyFigureSvg } from '../studies/study-export.js';
import type { StudyResult } from '../studies/study-result.js';
import { writeFileAtomic } from './write-result.js';

/** Writes the study's files into `dir`; resolves to their paths, the JSON last. */
export async function writeStudyFiles(dir: string, result: StudyResult, signal?: AbortSignal): Promise<string[]> {
  const written: string[] = [];
  for (const file of studyCsvFiles(result)) {
    await writeFileAtomic(join(dir, file.name), file.text, signal);
    written.push(join(dir, file.name));
  }
  const svg = join(dir, `${result.study}.svg`);
  await writeFileAtomic(svg, `${studyFigureSvg(result)}\n`, signal);
  const json = join(dir, `${result.study}.json`);
  await writeFileAtomic(json, `${JSON.stringify(result)}\n`, signal);
  return [...written, svg, json];
}
