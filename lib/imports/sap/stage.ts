/**
 * Where an import's EDIDC and EDIDS rows wait until every file is read: the tables idoc_control
 * and idoc_status (rows accumulate across imports; idempotent on DOCNUM and on DOCNUM + COUNTR),
 * read back at the end (a preview keeps its rows in memory instead: memory-stage.ts).
 */
import { sql } from 'drizzle-orm';
import { pgErrorCode, rows, textArray, type Db } from '@/db';
import { BinaryCopyRows, canCopy, copyInto } from '@/db/copy';
import { DEAD_LETTER_CODES, FAILED_CODES } from './compute';
import type { ControlFact, StatusFact } from './fields';
import { isoOf } from './sap-time';

/** A status row as loaded, and whether this import brought it (its rejection is this import's to report). */
export interface LoadedStatus extends StatusFact {
  current: boolean;
}

export interface Loaded {
  controls: Map<string, ControlFact>;
  /** Each DOCNUM's status rows, one per COUNTR, in COUNTR order. */
  statuses: Map<string, LoadedStatus[]>;
}

export interface Stage {
  /** Whether a batch may be written while the next one is read (the Postgres server's COPY). */
  readonly overlaps?: boolean;
  /** Keeps rows; false when a preview has kept all it may and dropped these. */
  putControls(list: ControlFact[]): Promise<boolean>;
  /**
   * `hasControl` tells the DOCNUMs whose control record this request staged already: a status row of
   * an IDoc with a control record is never rejected, so its raw text need not be kept.
   */
  putStatuses(list: StatusFact[], hasControl?: (docnum: string) => boolean): Promise<boolean>;
  /**
   * Everything known of these DOCNUMs: the control records of all, the status rows of those in
   * `statusesOf` (default: all; the caller keeps a summary of the others' rows).
   */
  load(docnums: string[], statusesOf?: string[]): Promise<Loaded>;
  /** Which of these DOCNUMs have status rows stored (a dry run's stage, which keeps no summaries, has none). */
  withStatuses?(docnums: string[]): Promise<Set<string>>;
}

/**
 * The last row of each key: a batch may hold a row twice, and an upsert may touch a row only once.
 * Rows in strictly ascending order (an export sorted by its key, as SAP writes them) hold no key twice.
 */
function lastOf<T>(list: T[], key: (t: T) => string, before: (a: T, b: T) => boolean): T[] {
  let i = 1;
  while (i < list.length && before(list[i - 1], list[i])) i++;
  if (i >= list.length) return list;
  const byKey = new Map<string, T>();
  for (const t of list) byKey.set(key(t), t);
  return byKey.size === list.length ? list : [...byKey.values()];
}

const statusKey = (s: StatusFact) => `${s.docnum}\u0000${s.countr}`;
const statusBefore = (a: StatusFact, b: StatusFact) =>
  a.docnum < b.docnum || (a.docnum === b.docnum && a.countr < b.countr);
const controlBefore = (a: ControlFact, b: ControlFact) => a.docnum < b.docnum;
const iso = (ms: number | null) => (ms === null ? null : isoOf(ms));

const CONTROL_COLUMNS = 'docnum, mestyp, direct, sndprn, rcvprn, status, created_at, updated_at, raw, import_id';
const STATUS_COLUMNS =
  'docnum, countr, status, logged_at, stamid, stamno, statxt, stapa1, stapa2, stapa3, stapa4, raw, import_id, row_number, file_name';

/** The columns typed, for PGlite's JSON recordset. */
const CONTROL_TYPES =
  'docnum text, mestyp text, direct text, sndprn text, rcvprn text, status text, created_at timestamptz, ' +
  'updated_at timestamptz, raw text, import_id bigint';
const STATUS_TYPES =
  'docnum text, countr integer, status text, logged_at timestamptz, stamid text, stamno text, statxt text, ' +
  'stapa1 text, stapa2 text, stapa3 text, stapa4 text, raw text, import_id bigint, row_number integer, file_name text';

// An older export of a control record never replaces a newer one (UPDDAT+UPDTIM, else CREDAT+CRETIM).
const CONTROL_UPSERT = sql.raw(`on conflict (docnum) do update set mestyp = excluded.mestyp, direct = excluded.direct,
  sndprn = excluded.sndprn, rcvprn = excluded.rcvprn, status = excluded.status, created_at = excluded.created_at,
  updated_at = excluded.updated_at, raw = excluded.raw, import_id = excluded.import_id
  where coalesce(excluded.updated_at, excluded.created_at) >= coalesce(idoc_control.updated_at, idoc_control.created_at)`);
const STATUS_UPSERT = sql.raw(`on conflict (docnum, countr) do update set status = excluded.status,
  logged_at = excluded.logged_at, stamid = excluded.stamid, stamno = excluded.stamno, statxt = excluded.statxt,
  stapa1 = excluded.stapa1, stapa2 = excluded.stapa2, stapa3 = excluded.stapa3, stapa4 = excluded.stapa4,
  raw = excluded.raw, import_id = excluded.import_id, row_number = excluded.row_number, file_name = excluded.file_name`);

const controlValues = (c: ControlFact, importId: number): (string | number | null)[] => [
  c.docnum,
  c.mestyp,
  c.direct,
  c.sndprn,
  c.rcvprn,
  c.status,
  iso(c.createdMs),
  iso(c.updatedMs),
  c.raw,
  importId,
];
const statusValues = (s: StatusFact, importId: number, raw = s.raw): (string | number | null)[] => [
  s.docnum,
  s.countr,
  s.status,
  iso(s.loggedMs),
  s.stamid,
  s.stamno,
  s.statxt,
  s.stapa1,
  s.stapa2,
  s.stapa3,
  s.stapa4,
  raw,
  importId,
  s.row,
  s.file,
];

/** Strips NUL, which Postgres text refuses (STACK-NOTES 19); SAP exports have none, a damaged file may. */
const storable = (v: string | number | null) =>
  typeof v === 'string' && v.includes('\u0000') ? v.replace(/\u0000/g, '') : v;
const storableText = (v: string | null) => (v !== null && v.includes('\u0000') ? v.replace(/\u0000/g, '') : v);
/** Every cell is cut from the row's raw text: a row whose raw text (and file name) holds no NUL needs no stripping. */
const plain = (v: string | null) => v;
const cleanerOf = (raw: string, file?: string | null) =>
  raw.includes('\u0000') || (file ?? '').includes('\u0000') ? storableText : plain;

const usOf = (ms: number | null) => (ms === null ? null : ms * 1000);

/** A control row in COPY's binary format, in CONTROL_COLUMNS' order. */
function controlBinary(b: BinaryCopyRows, c: ControlFact, importId: number) {
  const t = cleanerOf(c.raw);
  b.row(10).text(t(c.docnum)).text(t(c.mestyp)).text(t(c.direct)).text(t(c.sndprn)).text(t(c.rcvprn));
  b.text(t(c.status)).timestamptz(usOf(c.createdMs)).timestamptz(usOf(c.updatedMs)).text(t(c.raw)).int8(importId);
}

/** A status row in COPY's binary format, in STATUS_COLUMNS' order. */
function statusBinary(b: BinaryCopyRows, s: StatusFact, importId: number, raw: string) {
  const t = cleanerOf(s.raw, s.file);
  b.row(15).text(t(s.docnum)).int4(s.countr).text(t(s.status)).timestamptz(usOf(s.loggedMs));
  b.text(t(s.stamid)).text(t(s.stamno)).text(t(s.statxt)).text(t(s.stapa1)).text(t(s.stapa2)).text(t(s.stapa3));
  b.text(t(s.stapa4)).text(t(raw)).int8(importId).int4(s.row).text(t(s.file));
}

/** The rows staged in the database: COPY into a temporary table and one upsert on Postgres, a JSON recordset on PGlite. */
export class DbStage implements Stage {
  overlaps = false;

  constructor(
    private readonly db: Db,
    private readonly importId: number,
  ) {}

  /**
   * One batch in one transaction. On the Postgres server the rows are COPYed straight into the
   * table, which is what a first import of an export does; when one of them is stored already
   * (a unique violation), the COPY is undone and the rows go through a temporary table and an
   * upsert instead.
   */
  private async upsert(
    table: 'idoc_control' | 'idoc_status',
    columns: string,
    types: string,
    rows: { values: () => (string | number | null)[][]; binary: (b: BinaryCopyRows) => void },
    upsert: ReturnType<typeof sql.raw>,
  ) {
    await this.db.transaction(async (tx) => {
      if (canCopy(tx)) {
        this.overlaps = true;
        // Staged rows need not wait for their WAL to reach the disk: the import's later commits (the
        // ingest's, its history's) are synchronous and flush the WAL before them, so by the time the
        // request is answered its rows are on disk; a crash before then fails the request anyway.
        await tx.execute(sql`set local synchronous_commit = off`);
        // The binary format: times travel as integers, not as ISO text built here and parsed there.
        const copy = new BinaryCopyRows();
        rows.binary(copy);
        await tx.execute(sql`savepoint sap_fresh`);
        try {
          await copyInto(tx, `${table} (${columns})`, () => copy);
          await tx.execute(sql`release savepoint sap_fresh`);
          return;
        } catch (e) {
          if (pgErrorCode(e) !== '23505') throw e;
          await tx.execute(sql`rollback to savepoint sap_fresh`);
        }
        const temp = `${table}_in`;
        await tx.execute(sql.raw(`create temp table ${temp} (like ${table}) on commit drop`));
        await copyInto(tx, `${temp} (${columns})`, () => copy);
        await tx.execute(
          sql`insert into ${sql.raw(table)} (${sql.raw(columns)}) select ${sql.raw(columns)} from ${sql.raw(temp)} ${upsert}`,
        );
        return;
      }
      const names = columns.split(', ');
      const objects = rows.values().map((v) => Object.fromEntries(names.map((n, i) => [n, storable(v[i])])));
      await tx.execute(sql`insert into ${sql.raw(table)} (${sql.raw(columns)})
        select ${sql.raw(columns)} from jsonb_to_recordset(${JSON.stringify(objects)}::jsonb) as r(${sql.raw(types)}) ${upsert}`);
    });
  }

  async putControls(list: ControlFact[]) {
    if (!list.length) return true;
    const last = lastOf(list, (c) => c.docnum, controlBefore);
    const id = this.importId;
    await this.upsert(
      'idoc_control',
      CONTROL_COLUMNS,
      CONTROL_TYPES,
      {
        values: () => last.map((c) => controlValues(c, id)),
        binary: (b) => {
          for (const c of last) controlBinary(b, c, id);
        },
      },
      CONTROL_UPSERT,
    );
    return true;
  }

  async putStatuses(list: StatusFact[], hasControl: (docnum: string) => boolean = () => false) {
    if (!list.length) return true;
    const rest = [...new Set(list.filter((s) => !hasControl(s.docnum)).map((s) => s.docnum))];
    const stored = rest.length
      ? new Set(
          (
            await rows<{ docnum: string }>(
              this.db,
              sql`select docnum from idoc_control where docnum = any(${textArray(rest)}::text[])`,
            )
          ).map((r) => r.docnum),
        )
      : new Set<string>();
    const keepRaw = (s: StatusFact) => !hasControl(s.docnum) && !stored.has(s.docnum);
    const last = lastOf(list, statusKey, statusBefore);
    const id = this.importId;
    await this.upsert(
      'idoc_status',
      STATUS_COLUMNS,
      STATUS_TYPES,
      {
        values: () => last.map((s) => statusValues(s, id, keepRaw(s) ? s.raw : '')),
        binary: (b) => {
          for (const s of last) statusBinary(b, s, id, keepRaw(s) ? s.raw : '');
        },
      },
      STATUS_UPSERT,
    );
    return true;
  }

  /** Which of these DOCNUMs have status rows stored (looked up by key, whatever the statistics say). */
  async withStatuses(docnums: string[]): Promise<Set<string>> {
    if (!docnums.length) return new Set();
    const found = await this.db.transaction(async (tx) => {
      await tx.execute(
        sql`select set_config('enable_seqscan', 'off', true), set_config('enable_bitmapscan', 'off', true)`,
      );
      return rows<{ docnum: string }>(
        tx,
        sql`select d as docnum from unnest(${textArray(docnums)}::text[]) as d
          where exists (select 1 from idoc_status s where s.docnum = d)`,
      );
    });
    return new Set(found.map((r) => r.docnum));
  }

  load(docnums: string[], statusesOf = docnums) {
    return loadStored(this.db, docnums, this.importId, statusesOf);
  }
}

/** An idoc_control row as selected: ControlFact's cells (MESTYP and STATUS nullable) with its times in milliseconds. */
type ControlRow = Omit<ControlFact, 'mestyp' | 'status' | 'createdMs' | 'updatedMs'> & {
  mestyp: string | null;
  status: string | null;
  created_ms: number | string | null;
  updated_ms: number | string | null;
};

/** An idoc_status row as selected: StatusFact's cells, its time in milliseconds, its place, whether it is current. */
type StatusRow = Omit<StatusFact, 'loggedMs' | 'file' | 'row'> & {
  logged_ms: number | string | null;
  row_number: number | null;
  file_name: string | null;
  current: boolean;
};

/** The error fields of the rows that can give a message its error; null for the others. */
const ERROR_FIELDS = sql.raw(
  ['stamid', 'stamno', 'statxt', 'stapa1', 'stapa2', 'stapa3', 'stapa4']
    .map(
      (f) =>
        `case when s.status in (${[...FAILED_CODES, ...DEAD_LETTER_CODES].map((c) => `'${c}'`).join(', ')}) then s.${f} end as ${f}`,
    )
    .join(', '),
);

const msOf = (v: number | string | null) => (v === null ? null : Number(v));

/** The stored rows of these DOCNUMs; a status row is current when import `importId` (null: none) wrote it last. */
export async function loadStored(
  db: Db,
  docnums: string[],
  importId: number | null,
  statusesOf = docnums,
): Promise<Loaded> {
  const list = textArray(docnums);
  const [controls, statuses] = [
    await rows<ControlRow>(
      db,
      sql`select docnum, mestyp, direct, sndprn, rcvprn, status, (extract(epoch from created_at) * 1000)::float8 as created_ms,
        (extract(epoch from updated_at) * 1000)::float8 as updated_ms, raw
      from idoc_control where docnum = any(${list}::text[])`,
    ),
    !statusesOf.length
      ? []
      : await rows<StatusRow>(
          db,
          // A status row's raw text is only wanted when it is rejected (no control record): the others' would be
          // read back for nothing (a million rows of an export are 200 MB).
          // Likewise a row's error (STAMID, STAMNO, STATXT and its parameters) is only read from a failed or dead-letter row.
          sql`select s.docnum, s.countr, s.status, (extract(epoch from s.logged_at) * 1000)::float8 as logged_ms,
        ${ERROR_FIELDS}, case when c.docnum is null then s.raw else '' end as raw, s.row_number, s.file_name,
        coalesce(s.import_id = ${importId ?? -1}, false) as current
      from idoc_status s left join idoc_control c on c.docnum = s.docnum
      where s.docnum = any(${textArray(statusesOf)}::text[]) order by s.docnum, s.countr`,
        ),
  ];
  // Field by field, not by rest and spread: compiled for the server, an object rest copies a row by a loop over
  // its keys, which took 10 s of a million status rows.
  const out: Loaded = { controls: new Map(), statuses: new Map() };
  for (const c of controls)
    out.controls.set(c.docnum, {
      docnum: c.docnum,
      mestyp: c.mestyp ?? '',
      direct: c.direct,
      sndprn: c.sndprn,
      rcvprn: c.rcvprn,
      status: c.status ?? '',
      createdMs: msOf(c.created_ms) ?? 0,
      updatedMs: msOf(c.updated_ms),
      raw: c.raw,
    });
  let docnum = '';
  let ofDocnum: LoadedStatus[] = [];
  for (const s of statuses) {
    const fact: LoadedStatus = {
      docnum: s.docnum,
      countr: Number(s.countr),
      status: s.status,
      loggedMs: msOf(s.logged_ms) ?? 0,
      stamid: s.stamid,
      stamno: s.stamno,
      statxt: s.statxt,
      stapa1: s.stapa1,
      stapa2: s.stapa2,
      stapa3: s.stapa3,
      stapa4: s.stapa4,
      raw: s.raw,
      file: s.file_name,
      row: s.row_number,
      current: s.current === true || (s.current as unknown) === 't',
    };
    // The rows come ordered by DOCNUM: a DOCNUM's list is the one before until the DOCNUM changes.
    if (s.docnum !== docnum) {
      docnum = s.docnum;
      ofDocnum = [];
      out.statuses.set(docnum, ofDocnum);
    }
    ofDocnum.push(fact);
  }
  return out;
}
