import type { ImportFormatName } from '@/db/schema';
import { celigoErrors } from './celigo-errors';
import { ocaQueueJob } from './oca-queue-job';
import { profileFormat } from './profile';
import { sapIdocStatus } from './sap-idoc-status';
import type { ImportFormat } from './types';

/** Every import format of SPEC 10, by the name its route and command take. */
export const FORMATS: Record<ImportFormatName, ImportFormat> = {
  'sap-idoc-status': sapIdocStatus,
  'oca-queue-job': ocaQueueJob,
  'celigo-errors': celigoErrors,
  profile: profileFormat,
};
