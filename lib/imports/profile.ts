import { AppError } from '@/lib/errors';
import type { ImportFormat } from './types';

/** SPEC 10's `profile` format (being written). */
export const profileFormat: ImportFormat = {
  name: 'profile',
  start() {
    throw new AppError('bad_request', 'The profile import is not available yet.');
  },
};
