/**
 * SPEC 10's `celigo-errors`: what integrator.io's errors API answers for one flow step —
 * `GET /v1/flows/:_flowId/:_expOrImpId/errors` (open) or `…/resolved` — as `{ "errors": [...] }` or
 * a bare list. One message per `traceKey` (else `errorId`): errors of one record seen several times
 * (retried, failed again, resolved) are one message, decided by its latest error. Messages are
 * made after the last file, so an open and a resolved export of one step can come in one request.
 */
import { AppError } from '@/lib/errors';
import { PIECE, recordOptions, type RecordOptions } from './options';
import { readJson } from './read';
import { emptyMapped, type ImportFormat, type Mapped, type RowPlace } from './types';
import { isoInZone } from './zoned-time';

interface Setup extends RecordOptions {
  flow: string | null;
  step: string | null;
}

function text(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  const s = typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : null;
  return s ? s : null;
}

/** One error object read: where it came from and what the message needs of it. */
interface Seen extends RowPlace {
  raw: string;
  error: Record<string, unknown>;
  errorId: string | null;
  occurredAt: string;
  resolvedAt: string | null;
  flow: string | null;
  step: string | null;
}

/** The errors of a document: `{ errors: [...] }` (what the API answers) or a list. */
function errorsOf(doc: unknown): unknown[] | null {
  if (Array.isArray(doc)) return doc;
  if (doc && typeof doc === 'object' && Array.isArray((doc as Record<string, unknown>).errors))
    return (doc as { errors: unknown[] }).errors;
  return null;
}

/** The latest by occurredAt (then resolvedAt, then the later row), which decides the message. */
function later(a: Seen, b: Seen): Seen {
  const t = (s: Seen) => Date.parse(s.occurredAt);
  if (t(a) !== t(b)) return t(a) > t(b) ? a : b;
  const r = (s: Seen) => (s.resolvedAt ? Date.parse(s.resolvedAt) : -Infinity);
  return r(a) > r(b) ? a : b;
}

/** The messages of the errors seen, one per key. */
function toMessages(byKey: Map<string, Seen[]>, s: Setup): Mapped[] {
  const pieces: Mapped[] = [];
  let piece = emptyMapped();
  for (const [key, seen] of byKey) {
    const last = seen.reduce(later);
    const first = seen.reduce((a, b) => (Date.parse(b.occurredAt) < Date.parse(a.occurredAt) ? b : a));
    const txType = (last.step ? s.maps.get(last.step) : undefined) ?? (last.flow ? s.maps.get(last.flow) : undefined);
    const place = { file: last.file, row: last.row, raw: last.raw };
    if (!txType) {
      const ids = [last.step, last.flow].filter(Boolean);
      piece.rejected.push({
        ...place,
        key,
        errors: [
          ids.length
            ? `no txType for ${ids.map((id) => `map.${id}`).join(' or ')}: pass option map.<step or flow id>=<txType>`
            : 'no flow or step id: the error has no _flowId or _expOrImpId, so pass options flow and step (and map.<step or flow id>=<txType>)',
        ],
      });
    } else {
      const distinct = new Set(seen.map((e) => e.errorId ?? `${e.file}:${e.row}`));
      piece.records.push({
        ...place,
        value: {
          messageId: key,
          txType,
          direction: s.direction,
          facility: s.facility,
          status: last.resolvedAt ? 'delivered' : 'failed',
          attempts: distinct.size,
          errorCode: text(last.error.code),
          errorMessage: text(last.error.message),
          createdAt: first.occurredAt,
          processedAt: last.resolvedAt,
          // A record resolved, then failing again, is a later error: the latest event wins.
          updatedAt: last.resolvedAt ?? last.occurredAt,
          payload: { ...last.error, _flowId: last.flow, _expOrImpId: last.step },
        },
      });
    }
    if (piece.records.length + piece.rejected.length >= PIECE) {
      pieces.push(piece);
      piece = emptyMapped();
    }
  }
  if (piece.records.length || piece.rejected.length) pieces.push(piece);
  return pieces;
}

export const celigoErrors: ImportFormat = {
  name: 'celigo-errors',
  start(ctx) {
    const s: Setup = {
      ...recordOptions(ctx.options, 'celigo-errors'),
      flow: ctx.options.all.flow?.trim() || null,
      step: ctx.options.all.step?.trim() || null,
    };
    const byKey = new Map<string, Seen[]>();
    return {
      async *file(file) {
        const errors = errorsOf(await readJson(file));
        if (!errors)
          throw new AppError(
            'bad_request',
            `${file.name}: expected what integrator.io's errors API answers: { "errors": [...] } or a list of errors.`,
          );
        const piece = emptyMapped();
        errors.forEach((e, i) => {
          const row = i + 1;
          const raw = JSON.stringify(e) ?? '';
          piece.rows++;
          if (!e || typeof e !== 'object' || Array.isArray(e)) {
            piece.rejected.push({ file: file.name, row, raw, errors: ['not a JSON object'] });
            return;
          }
          const error = e as Record<string, unknown>;
          const problems: string[] = [];
          const errorId = text(error.errorId);
          const key = text(error.traceKey) ?? errorId;
          if (!key) problems.push('neither traceKey nor errorId: the message id comes from one of them');
          const time = (field: string) => {
            const v = text(error[field]);
            const iso = v === null ? null : isoInZone(v, s.timezone);
            if (v !== null && iso === null) problems.push(`${field}: "${v}" is not an ISO 8601 timestamp`);
            return iso;
          };
          const occurredAt = time('occurredAt');
          const resolvedAt = time('resolvedAt');
          if (text(error.occurredAt) === null) problems.push('occurredAt: empty (it is the createdAt of the message)');
          if (problems.length || !key || !occurredAt) {
            piece.rejected.push({ file: file.name, row, raw, errors: problems, key });
            return;
          }
          // The error object's own ids win: a file may hold errors of several steps.
          const flow = text(error._flowId) ?? s.flow;
          const step = text(error._expOrImpId) ?? s.step;
          const seen: Seen = { file: file.name, row, raw, error, errorId, occurredAt, resolvedAt, flow, step };
          const list = byKey.get(key);
          if (list) list.push(seen);
          else byKey.set(key, [seen]);
        });
        yield piece;
      },
      async *finish() {
        yield* toMessages(byKey, s);
      },
    };
  },
};
