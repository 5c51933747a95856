import { AppError } from '@/lib/errors';
import type { ImportFormat } from './types';

/** SPEC 10's `celigo-errors` format (being written). */
export const celigoErrors: ImportFormat = {
  name: 'celigo-errors',
  start() {
    throw new AppError('bad_request', 'The celigo-errors import is not available yet.');
  },
};
