import { AppError } from '@/lib/errors';
import type { ImportFormat } from './types';

/** SPEC 10's `sap-idoc-status` format (being written). */
export const sapIdocStatus: ImportFormat = {
  name: 'sap-idoc-status',
  start() {
    throw new AppError('bad_request', 'The sap-idoc-status import is not available yet.');
  },
};
