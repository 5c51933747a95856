/**
 * SPEC 10's `profile` format: a file from anything else (Boomi, MuleSoft, a WMS webhook, a log
 * table) mapped by the saved mapping profile that option `profile=<name>` names. CSV gives a record
 * per row; JSON a record per element of the list at the profile's `records` path (or the whole body,
 * and each element of a top-level list); NDJSON the same for each line. Zone-less timestamps are
 * read in the request's `timezone` when it gives one, else the profile's, else UTC.
 */
import { AppError } from '@/lib/errors';
import { PIECE } from './options';
import { profileMapper, valueAt } from './profile-map';
import { parseProfile, type Profile } from './profile-schema';
import { getProfile, listProfiles } from './profile-store';
import { readDelimited, readJson, textOf } from './read';
import { emptyMapped, type ImportContext, type ImportFile, type ImportFormat } from './types';

/** A record read and the row it came from (data row, list element or line, from 1). */
interface Read {
  row: number;
  raw: string;
  record?: unknown;
  /** Why the row gave no record. */
  error?: string;
}

/** The records of a JSON value at the profile's `records` path: a list's elements, else the value itself. */
function recordsOf(doc: unknown, path: string): unknown[] | string {
  const at = path ? valueAt(doc, path) : doc;
  if (at === undefined) return `no "${path}" in it (the profile's records path)`;
  return Array.isArray(at) ? at : [at];
}

async function* csvRecords(file: ImportFile): AsyncGenerator<Read> {
  for await (const item of readDelimited(file))
    if ('row' in item) yield { row: item.row, raw: item.raw, record: item.cells };
}

async function* jsonRecords(file: ImportFile, path: string): AsyncGenerator<Read> {
  const records = recordsOf(await readJson(file), path);
  if (typeof records === 'string') throw new AppError('bad_request', `${file.name}: ${records}.`);
  let row = 0;
  for (const record of records) yield { row: ++row, raw: JSON.stringify(record) ?? '', record };
}

/** NDJSON, streamed a line at a time; the row is the line number, and a line holding a list gives each element. */
async function* ndjsonRecords(file: ImportFile, path: string): AsyncGenerator<Read> {
  let rest = '';
  let line = 0;
  const one = function* (text: string): Generator<Read> {
    line++;
    const raw = text.replace(/\r$/, '');
    if (!raw.trim()) return;
    let doc: unknown;
    try {
      doc = JSON.parse(raw);
    } catch (e) {
      yield { row: line, raw, error: `not valid JSON (${(e as Error).message})` };
      return;
    }
    const records = recordsOf(doc, path);
    if (typeof records === 'string') yield { row: line, raw, error: records };
    else
      for (const record of records) yield { row: line, raw: records.length > 1 ? JSON.stringify(record) : raw, record };
  };
  for await (const text of textOf(file)) {
    rest += text;
    let nl: number;
    while ((nl = rest.indexOf('\n')) >= 0) {
      yield* one(rest.slice(0, nl));
      rest = rest.slice(nl + 1);
    }
  }
  if (rest) yield* one(rest);
}

/** The saved profile that option `profile` names, or a 400 naming the option and the profiles there are. */
async function savedProfile(ctx: ImportContext): Promise<Profile> {
  const name = ctx.options.all.profile?.trim();
  if (!name)
    throw new AppError(
      'bad_request',
      'The profile import needs option profile=<name>: the saved mapping profile to use.',
      ['profile: required'],
    );
  const saved = await getProfile(ctx.db, name);
  if (!saved) {
    const names = (await listProfiles(ctx.db)).map((p) => p.name);
    throw new AppError(
      'bad_request',
      `Option profile: no mapping profile is named "${name}" (${names.length ? `saved: ${names.join(', ')}` : 'none is saved yet'}).`,
      ['profile: no such mapping profile'],
    );
  }
  return saved.profile;
}

export const profileFormat: ImportFormat = {
  name: 'profile',
  async start(ctx) {
    const profile = ctx.profile === undefined ? await savedProfile(ctx) : parseProfile(ctx.profile);
    const name = profile.name;
    if (profile.fields.facility === undefined && !ctx.options.facility)
      throw new AppError(
        'bad_request',
        `Profile "${name}" maps no facility: pass option facility (the facility of every record).`,
        ['facility: required'],
      );
    const zone = ctx.options.all.timezone?.trim() || profile.timezone || 'UTC';
    const map = profileMapper(profile, zone, ctx.options.facility);
    return {
      async *file(file) {
        const reads =
          profile.input === 'csv'
            ? csvRecords(file)
            : profile.input === 'json'
              ? jsonRecords(file, profile.records)
              : ndjsonRecords(file, profile.records);
        let piece = emptyMapped();
        let lastRow = 0;
        for await (const r of reads) {
          if (r.row !== lastRow) piece.rows++; // a line of several records is one row read
          lastRow = r.row;
          const out = r.error === undefined ? map(r.record) : { errors: [r.error], key: null };
          if ('value' in out) piece.records.push({ file: file.name, row: r.row, raw: r.raw, value: out.value });
          else piece.rejected.push({ file: file.name, row: r.row, raw: r.raw, errors: out.errors, key: out.key });
          if (piece.records.length + piece.rejected.length >= PIECE) {
            yield piece;
            piece = emptyMapped();
          }
        }
        if (piece.rows || piece.records.length || piece.rejected.length) yield piece;
      },
    };
  },
};
