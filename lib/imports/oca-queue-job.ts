import { AppError } from '@/lib/errors';
import type { ImportFormat } from './types';

/** SPEC 10's `oca-queue-job` format (being written). */
export const ocaQueueJob: ImportFormat = {
  name: 'oca-queue-job',
  start() {
    throw new AppError('bad_request', 'The oca-queue-job import is not available yet.');
  },
};
