/**
 * A worker thread for `barrier-lab check --jobs N`: checks the files it is
 * sent, one at a time, and posts back each result with its index.
 */

import { parentPort } from 'node:worker_threads';
import { checkFile, type CheckFileOptions } from './check-file.js';

export interface CheckJob {
  readonly index: number;
  readonly file: string;
  readonly options: CheckFileOptions;
}

parentPort?.on('message', (job: CheckJob) => {
  const result = checkFile(job.file, job.options, (examined) => parentPort!.postMessage({ index: job.index, progress: examined }));
  parentPort!.postMessage({ index: job.index, result });
});
