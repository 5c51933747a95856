/**
 * Options several formats check the same way before any file is read: a required `direction`,
 * a facility that must come from somewhere, and `map.<key>=<txType>` pairs; `recordOptions` reads
 * them all for a format whose records name neither their direction nor their facility.
 */
import { DIRECTIONS, TX_TYPES, type TxType } from '@/db/schema';
import { AppError } from '@/lib/errors';
import { prefixed, type ImportFormatName, type ImportOptions } from './types';

export type Direction = (typeof DIRECTIONS)[number];

/** Option `direction` (`erp_to_wms` or `wms_to_erp`), or a 400 naming it. */
function requireDirection(options: ImportOptions, format: ImportFormatName): Direction {
  const v = options.all.direction?.trim();
  if (!v)
    throw new AppError(
      'bad_request',
      `The ${format} import needs option direction (${DIRECTIONS.join(' or ')}): its records do not say which way they went.`,
      [`direction: required (${DIRECTIONS.join(' or ')})`],
    );
  if (!(DIRECTIONS as readonly string[]).includes(v))
    throw new AppError('bad_request', `Option direction must be ${DIRECTIONS.join(' or ')}, not "${v}".`, [
      `direction: must be ${DIRECTIONS.join(' or ')}`,
    ]);
  return v as Direction;
}

/** Option `facility`, or a 400 naming it when the format's records name none. */
function requireFacility(options: ImportOptions, format: ImportFormatName): string {
  const v = options.facility?.trim();
  if (!v)
    throw new AppError(
      'bad_request',
      `The ${format} import needs option facility: its records name no facility, and every message belongs to one.`,
      ['facility: required'],
    );
  return v;
}

/** The `map.<key>=<txType>` options by key; a value that is no txType is a 400 naming the option. */
export function txTypeMap(options: ImportOptions): Map<string, TxType> {
  const out = new Map<string, TxType>();
  for (const [key, value] of Object.entries(prefixed(options, 'map.'))) {
    const v = value.trim();
    if (!(TX_TYPES as readonly string[]).includes(v))
      throw new AppError('bad_request', `Option map.${key}: "${value}" is not a txType (${TX_TYPES.join(', ')}).`, [
        `map.${key}: must be one of ${TX_TYPES.join(', ')}`,
      ]);
    out.set(key, v as TxType);
  }
  return out;
}

/** What a format whose records name neither their direction nor their facility takes from its options. */
export interface RecordOptions {
  direction: Direction;
  facility: string;
  maps: Map<string, TxType>;
  timezone: string;
}

/** The options `format` needs, checked in this order: direction, facility, the `map.` options; a 400 names the first wrong. */
export function recordOptions(options: ImportOptions, format: ImportFormatName): RecordOptions {
  return {
    direction: requireDirection(options, format),
    facility: requireFacility(options, format),
    maps: txTypeMap(options),
    timezone: options.timezone,
  };
}

/** A piece is handed on every PIECE rows, so a large file streams through the runner. */
export const PIECE = 500;
