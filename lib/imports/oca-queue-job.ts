/**
 * SPEC 10's `oca-queue-job`: Odoo's `queue.job` records (OCA queue_job) as a CSV export or a JSON
 * list, told apart by their first character (`[` or `{` is JSON). CSV headers may be the fields'
 * technical names (an import-compatible export, `model_name`) or their English labels (`Model`).
 * Odoo writes datetimes in UTC without a zone (`2026-11-20 10:00:05`); they are read in the
 * request's `timezone`, whose default UTC is Odoo's.
 */
import type { TxType } from '@/db/schema';
import { AppError } from '@/lib/errors';
import { readDelimited, readJson } from './read';
import { PIECE, recordOptions, type RecordOptions } from './options';
import { sniff } from './sniff';
import { emptyMapped, type ImportFile, type ImportFormat, type Mapped } from './types';
import { isoInZone } from './zoned-time';

/** queue.job's fields this format reads, by technical name, and their labels in Odoo's English UI. */
const LABELS: Record<string, string> = {
  uuid: 'uuid',
  model: 'model_name',
  'method name': 'method_name',
  state: 'state',
  'current try': 'retry',
  'max. retries': 'max_retries',
  exception: 'exc_name',
  'exception message': 'exc_message',
  'exception info': 'exc_info',
  'created date': 'date_created',
  'enqueue time': 'date_enqueued',
  'start date': 'date_started',
  'date done': 'date_done',
  'date cancelled': 'date_cancelled',
  'last updated on': 'write_date',
  description: 'name',
  task: 'func_string',
};
const TECHNICAL = new Set(Object.values(LABELS));
const REQUIRED_COLUMNS = ['uuid', 'model_name', 'method_name', 'state', 'date_created'];

/** A CSV header cell as the technical name it stands for (unknown columns keep their name). */
function columnName(header: string): string {
  const h = header.trim();
  if (TECHNICAL.has(h)) return h;
  return LABELS[h.toLowerCase()] ?? h;
}

/** queue.job states (queue_job/job.py STATES) and the SPEC 10 status each becomes. */
const PENDING_STATES = new Set(['pending', 'enqueued', 'started', 'wait_dependencies']);
const KNOWN_STATES = ['wait_dependencies', 'pending', 'enqueued', 'started', 'done', 'cancelled', 'failed'];

/** Odoo writes `false` for an empty field in JSON; CSV writes an empty cell. */
function text(v: unknown): string | null {
  if (v === null || v === undefined || v === false) return null;
  const s = typeof v === 'string' ? v.trim() : String(v);
  return s === '' ? null : s;
}

function count(v: unknown): number | null {
  const s = text(v);
  if (s === null) return 0;
  return /^\d+$/.test(s) ? Number(s) : null;
}

/** Exception class and message from the traceback's last line (`odoo.exceptions.UserError: …`), for exports without exc_name. */
function fromTraceback(info: string | null): { name: string | null; message: string | null } {
  const last = info
    ?.trim()
    .split('\n')
    .reverse()
    .find((l) => l.trim());
  const m = last && /^([A-Za-z_][\w.]*)(?::\s?(.*))?$/.exec(last.trim());
  return m ? { name: m[1], message: m[2] ?? null } : { name: null, message: null };
}

type Setup = RecordOptions;

type Outcome = { value: Record<string, unknown> } | { errors: string[]; key: string | null };

/** One queue.job record (technical field names) as a SPEC 3.1 message. */
export function mapJob(job: Record<string, unknown>, s: Setup): Outcome {
  const errors: string[] = [];
  const uuid = text(job.uuid);
  if (!uuid) errors.push('uuid: empty (it is the message id)');
  const model = text(job.model_name);
  const method = text(job.method_name);
  let txType: TxType | undefined;
  if (!model) errors.push('model_name: empty (the txType is mapped from it)');
  else {
    txType = (method ? s.maps.get(`${model}.${method}`) : undefined) ?? s.maps.get(model);
    if (!txType)
      errors.push(
        `no txType for ${model}${method ? `.${method}` : ''}: pass option ` +
          (method ? `map.${model}.${method}=<txType> (or map.${model}=<txType>)` : `map.${model}=<txType>`),
      );
  }
  const stateText = text(job.state);
  const state = stateText?.toLowerCase().replace(/\s+/g, '_') ?? null;
  const retry = count(job.retry);
  const maxRetries = count(job.max_retries);
  if (retry === null) errors.push(`retry: "${text(job.retry)}" is not a whole number`);
  if (maxRetries === null) errors.push(`max_retries: "${text(job.max_retries)}" is not a whole number`);
  const time = (field: string): string | null | undefined => {
    const v = text(job[field]);
    if (v === null) return null;
    const iso = isoInZone(v, s.timezone);
    if (iso === null) errors.push(`${field}: "${v}" is not a date and time (Odoo writes YYYY-MM-DD HH:MM:SS)`);
    return iso ?? undefined;
  };
  const createdAt = time('date_created');
  if (createdAt === null) errors.push('date_created: empty');
  const dateDone = time('date_done');
  const later = ['date_enqueued', 'date_started', 'date_cancelled', 'write_date'].map(time);

  let status: string | undefined;
  let processedAt: string | null = null;
  if (state === 'done') {
    status = 'delivered';
    processedAt = dateDone ?? null;
    if (dateDone === null) errors.push('date_done: empty on a done job (it is the processedAt of a delivered message)');
  } else if (state === 'failed') {
    // max_retries empty or 0: "Retries are infinite when empty" (queue_job's field help).
    status = maxRetries && retry !== null && retry >= maxRetries ? 'dead_letter' : 'failed';
  } else if (state === 'cancelled') status = 'dead_letter';
  else if (state && PENDING_STATES.has(state)) status = 'pending';
  else errors.push(`state: "${stateText ?? ''}" is not a queue.job state (${KNOWN_STATES.join(', ')})`);

  if (errors.length) return { errors, key: uuid };
  let errorCode = text(job.exc_name);
  let errorMessage = text(job.exc_message);
  if (!('exc_name' in job) && !('exc_message' in job))
    ({ name: errorCode, message: errorMessage } = fromTraceback(text(job.exc_info)));
  // Without write_date, the latest of the job's own dates: a job that failed after being pending
  // must replace the pending record, and SPEC 3.1 replaces only on a later updatedAt.
  const times = [createdAt, dateDone, ...later].filter((t): t is string => !!t);
  const updatedAt = text(job.write_date) ? later[3]! : times.reduce((a, b) => (Date.parse(b) > Date.parse(a) ? b : a));
  return {
    value: {
      messageId: uuid,
      txType,
      direction: s.direction,
      facility: s.facility,
      status,
      attempts: Math.max(1, (retry ?? 0) + 1),
      errorCode,
      errorMessage,
      createdAt,
      processedAt,
      updatedAt,
      payload: job,
    },
  };
}

async function* fromCsv(file: ImportFile, s: Setup): AsyncGenerator<Mapped> {
  let piece = emptyMapped();
  for await (const item of readDelimited(file)) {
    if (!('row' in item)) {
      const names = item.names.map(columnName);
      const missing = REQUIRED_COLUMNS.filter((c) => !names.includes(c));
      if (missing.length)
        throw new AppError(
          'bad_request',
          `${file.name}: not a queue.job export: no column ${missing.join(', ')} (technical names or Odoo's English labels).`,
        );
      continue;
    }
    const job: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(item.cells)) job[columnName(k)] = v;
    add(piece, file.name, item.row, job, item.raw, s);
    if (piece.rows >= PIECE) {
      yield piece;
      piece = emptyMapped();
    }
  }
  if (piece.rows) yield piece;
}

/** The jobs of a JSON document: a list, a JSON-RPC answer (`result`, or `result.records` of web_search_read), `records`, or one job. */
function jobsOf(doc: unknown): unknown[] | null {
  if (Array.isArray(doc)) return doc;
  if (!doc || typeof doc !== 'object') return null;
  const o = doc as Record<string, unknown>;
  if ('result' in o) return jobsOf(o.result);
  if (Array.isArray(o.records)) return o.records;
  return 'uuid' in o ? [o] : null;
}

async function* fromJson(file: ImportFile, s: Setup): AsyncGenerator<Mapped> {
  const jobs = jobsOf(await readJson(file));
  if (!jobs)
    throw new AppError(
      'bad_request',
      `${file.name}: expected a JSON list of queue.job records (or { "result": [...] }).`,
    );
  for (let i = 0; i < jobs.length; i += PIECE) {
    const piece = emptyMapped();
    jobs.slice(i, i + PIECE).forEach((job, j) => {
      const row = i + j + 1;
      if (!job || typeof job !== 'object' || Array.isArray(job)) {
        piece.rows++;
        piece.rejected.push({ file: file.name, row, raw: JSON.stringify(job) ?? '', errors: ['not a JSON object'] });
      } else add(piece, file.name, row, job as Record<string, unknown>, JSON.stringify(job), s);
    });
    yield piece;
  }
}

function add(piece: Mapped, file: string, row: number, job: Record<string, unknown>, raw: string, s: Setup) {
  piece.rows++;
  const out = mapJob(job, s);
  if ('value' in out) piece.records.push({ file, row, raw, value: out.value });
  else piece.rejected.push({ file, row, raw, errors: out.errors, key: out.key });
}

export const ocaQueueJob: ImportFormat = {
  name: 'oca-queue-job',
  start(ctx) {
    const setup = recordOptions(ctx.options, 'oca-queue-job');
    return {
      async *file(file) {
        const { first, file: whole } = await sniff(file);
        if (!first) throw new AppError('bad_request', `${file.name}: the file is empty.`);
        yield* first === '[' || first === '{' ? fromJson(whole, setup) : fromCsv(whole, setup);
      },
    };
  },
};
