/**
 * The two SAP tables an IDoc export holds, told apart by their header (EDIDS has `COUNTR`), and
 * their rows read into the facts the message is computed from. Header names are matched without
 * regard to case; cells are kept as written (DOCNUM's leading zeros included).
 */
import { AppError } from '@/lib/errors';
import { sapDateTime, type ZoneClock } from './sap-time';

export type TableKind = 'EDIDC' | 'EDIDS';

/** The EDIDC (control record) fields read, and the ones a file must have. */
export const CONTROL_FIELDS = [
  'DOCNUM',
  'MESTYP',
  'STATUS',
  'DIRECT',
  'SNDPRN',
  'RCVPRN',
  'CREDAT',
  'CRETIM',
  'UPDDAT',
  'UPDTIM',
];
export const CONTROL_REQUIRED = ['DOCNUM', 'MESTYP', 'STATUS', 'CREDAT', 'CRETIM'];
/** The EDIDS (status record) fields read, and the ones a file must have. */
export const STATUS_FIELDS = [
  'DOCNUM',
  'COUNTR',
  'STATUS',
  'LOGDAT',
  'LOGTIM',
  'STAMID',
  'STAMNO',
  'STATXT',
  'STAPA1',
  'STAPA2',
  'STAPA3',
  'STAPA4',
];
export const STATUS_REQUIRED = ['DOCNUM', 'COUNTR', 'STATUS', 'LOGDAT', 'LOGTIM'];

/** Other fields of the two tables (SE16 exports them too): known, so a header that runs them together is caught. */
// prettier-ignore
const OTHER_FIELDS = [
  'MANDT', 'DOCREL', 'DOCTYP', 'IDOCTP', 'CIMTYP', 'MESCOD', 'MESFCT', 'OUTMOD', 'EXPRSS', 'TEST', 'STD', 'STDVRS',
  'STDMES', 'SNDPOR', 'SNDPRT', 'SNDPFC', 'SNDSAD', 'SNDLAD', 'RCVPOR', 'RCVPRT', 'RCVPFC', 'RCVSAD', 'RCVLAD',
  'REFINT', 'REFGRP', 'REFMES', 'ARCKEY', 'SERIAL', 'UNAME', 'REPID', 'ROUTID', 'STACOD', 'SEGNUM', 'SEGFLD',
  'STATYP', 'TIMESTAMP', 'UPDDAT', 'UPDTIM', 'TABNAM',
];
const KNOWN = new Set([...CONTROL_FIELDS, ...STATUS_FIELDS, ...OTHER_FIELDS]);

/**
 * Which table a file's header (names upper-cased) is, or a 400 naming what was found and what is
 * expected: no known field, cells that run together (another delimiter than the one detected), a
 * required field missing.
 */
export function tableOf(file: string, names: string[], delimiter: string): TableKind {
  for (const cell of names) {
    const known = cell.split(/[^A-Z0-9_]+/).filter((t) => KNOWN.has(t));
    if (known.length > 1)
      throw new AppError(
        'bad_request',
        `${file}: the header cell "${cell.slice(0, 80)}" holds several SAP field names (${known.join(', ')}): the ` +
          `fields run together. Separate them with tabs, pipes, semicolons or commas (read as ${delimiterWord(delimiter)}).`,
      );
  }
  const has = new Set(names);
  const kind: TableKind | null = has.has('COUNTR')
    ? 'EDIDS'
    : has.has('DOCNUM') && (has.has('MESTYP') || has.has('CREDAT'))
      ? 'EDIDC'
      : null;
  if (!kind) {
    const found = names.filter(Boolean).slice(0, 12).join(', ') || 'nothing';
    throw new AppError(
      'bad_request',
      `${file}: the header names no SAP IDoc table (found: ${found}). Expected the field names of EDIDC ` +
        `(${CONTROL_REQUIRED.join(', ')}, …) or of EDIDS (${STATUS_REQUIRED.join(', ')}, …).`,
    );
  }
  const missing = (kind === 'EDIDS' ? STATUS_REQUIRED : CONTROL_REQUIRED).filter((f) => !has.has(f));
  if (missing.length)
    throw new AppError(
      'bad_request',
      `${file}: an ${kind} file (${kind === 'EDIDS' ? 'status records' : 'control records'}) needs the field` +
        `${missing.length > 1 ? 's' : ''} ${missing.join(', ')} in its header.`,
    );
  return kind;
}

const delimiterWord = (d: string) => ({ '\t': 'tab', '|': 'pipe', ';': 'semicolon', ',': 'comma' })[d] ?? d;

/** One EDIDC row as the computation needs it. */
export interface ControlFact {
  docnum: string;
  mestyp: string;
  direct: string | null;
  sndprn: string | null;
  rcvprn: string | null;
  status: string;
  createdMs: number;
  updatedMs: number | null;
  raw: string;
}

/** A status row's error fields: kept only from a row whose status is failed or dead letter. */
export interface ErrorRow {
  status: string;
  stamid: string | null;
  stamno: string | null;
  statxt: string | null;
  stapa1: string | null;
  stapa2: string | null;
  stapa3: string | null;
  stapa4: string | null;
}

/** One EDIDS row as the computation needs it, with the place it was read from. */
export interface StatusFact extends ErrorRow {
  docnum: string;
  countr: number;
  loggedMs: number;
  raw: string;
  file: string | null;
  row: number | null;
}

/**
 * A copy of `s` that holds no reference to the text it was cut from: a cell is a slice of the
 * parser's chunk, and keeping the slice (DOCNUMs stay in a set for the whole import) would keep
 * every chunk of a 200 MB file alive.
 */
export const own = (s: string) => (' ' + s).slice(1);

const orNull = (s: string | undefined) => (s ? own(s) : null);
const cellOrNull = (s: string | undefined) => s || null;

/** A two-digit IDoc status (`3` becomes `03`), or null when the cell is not one. */
export function statusCode(s: string | undefined): string | null {
  if (!s || !/^\d{1,2}$/.test(s)) return null;
  return s.length === 1 ? '0' + s : own(s);
}

/**
 * A row's date cell and time cell read together: the instant in milliseconds, or null when the date is
 * empty or wrong. The error naming a wrong cell goes to `errors`, and so does an empty date when `required`.
 */
function cellsDateTime(
  clock: ZoneClock,
  cells: Record<string, string>,
  date: string,
  time: string,
  errors: string[],
  required: boolean,
): number | null {
  const r = sapDateTime(clock, { field: date, value: cells[date] ?? '' }, { field: time, value: cells[time] ?? '' });
  if (r.error) errors.push(r.error);
  else if (r.ms === null && required) errors.push(`${date} is empty`);
  return r.ms ?? null;
}

type Parsed<T> = { fact: T; errors?: undefined } | { fact?: undefined; errors: string[] };

/** An EDIDC row, or the reasons it cannot be read. */
export function controlFact(cells: Record<string, string>, raw: string, clock: ZoneClock): Parsed<ControlFact> {
  const errors: string[] = [];
  const docnum = cells.DOCNUM ?? '';
  if (!docnum) errors.push('DOCNUM is empty');
  const mestyp = cells.MESTYP ?? '';
  if (!mestyp) errors.push('MESTYP is empty');
  const status = statusCode(cells.STATUS);
  if (!status) errors.push(`STATUS "${cells.STATUS ?? ''}" is not an IDoc status (two digits)`);
  const created = cellsDateTime(clock, cells, 'CREDAT', 'CRETIM', errors, true);
  const updated = cellsDateTime(clock, cells, 'UPDDAT', 'UPDTIM', errors, false);
  if (errors.length) return { errors };
  return {
    fact: {
      docnum: own(docnum),
      mestyp: own(mestyp),
      direct: orNull(cells.DIRECT),
      sndprn: orNull(cells.SNDPRN),
      rcvprn: orNull(cells.RCVPRN),
      status: status!,
      createdMs: created!,
      updatedMs: updated,
      raw,
    },
  };
}

/**
 * An EDIDS row, or the reasons it cannot be read. Its cells stay slices of the text read: a status
 * row lives only until its batch is staged (a million rows' copies were a gigabyte of garbage), and
 * what outlives it (an IDoc's DOCNUM and error fields in the import's summaries) is copied there.
 */
export function statusFact(
  cells: Record<string, string>,
  raw: string,
  clock: ZoneClock,
  place: { file: string; row: number },
): Parsed<StatusFact> {
  const errors: string[] = [];
  const docnum = cells.DOCNUM ?? '';
  if (!docnum) errors.push('DOCNUM is empty');
  const countr = /^\d{1,9}$/.test(cells.COUNTR ?? '') ? Number(cells.COUNTR) : null;
  if (countr === null) errors.push(`COUNTR "${cells.COUNTR ?? ''}" is not a counter (a whole number)`);
  const status = statusCode(cells.STATUS);
  if (!status) errors.push(`STATUS "${cells.STATUS ?? ''}" is not an IDoc status (two digits)`);
  const logged = cellsDateTime(clock, cells, 'LOGDAT', 'LOGTIM', errors, true);
  if (errors.length) return { errors };
  return {
    fact: {
      docnum,
      countr: countr!,
      status: status!,
      loggedMs: logged!,
      stamid: cellOrNull(cells.STAMID),
      stamno: cellOrNull(cells.STAMNO),
      statxt: cellOrNull(cells.STATXT),
      stapa1: cellOrNull(cells.STAPA1),
      stapa2: cellOrNull(cells.STAPA2),
      stapa3: cellOrNull(cells.STAPA3),
      stapa4: cellOrNull(cells.STAPA4),
      raw,
      file: place.file,
      row: place.row,
    },
  };
}
