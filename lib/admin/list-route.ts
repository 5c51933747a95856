/**
 * The JSON API and CSV export of every admin list, made from its declaration:
 * GET /api/admin/<list> → { <key>: rows }; PUT or POST a row → 201 when new, 200 when changed;
 * DELETE ?<key fields> → { removed }. Signed-in sessions only, with the list's capability.
 * `answerList` and `answerListCsv` answer a person already resolved (tested per role without a
 * session); `listRoute` and `listCsv` resolve them from the session.
 */
import 'server-only';
import { getDb } from '@/db';
import { pickFields, type AnyAdminList } from '@/lib/admin/list';
import { ADMIN_LISTS, adminList } from '@/lib/admin/lists';
import { can, type Capability } from '@/lib/auth/permissions';
import { authenticate, type SessionUser } from '@/lib/auth/session';
import { AppError } from '@/lib/errors';
import { zodFieldErrors } from '@/lib/http/action-state';
import { csvResponse } from '@/lib/http/csv';
import { handler, json, readJson } from '@/lib/http/route';
import { parseOrFail } from '@/lib/validation';
import { readDb } from '@/lib/http/read';

type Ctx = { params: Promise<{ list: string }> };

export type ListMethod = 'GET' | 'PUT' | 'POST' | 'DELETE';

/** The signed-in person (401 when signed out or sending a key: admin lists take sessions only). */
async function signedIn(req: Request): Promise<SessionUser> {
  const who = await authenticate(req, { apiKey: false, session: true });
  if (who.kind !== 'user') throw new AppError('unauthorized', 'Sign in first.');
  return who.user;
}

function mayUse(user: SessionUser, capability: Capability) {
  if (!can(user.role, capability)) throw new AppError('forbidden', `The role ${user.role} may not do this.`);
}

/** The methods a list answers. */
function allowed(def: AnyAdminList): ListMethod[] {
  return ['GET', ...(def.write && def.api ? [def.api.write] : []), ...(def.remove ? (['DELETE'] as const) : [])];
}

async function serve(method: ListMethod, req: Request, def: AnyAdminList): Promise<Response> {
  if (method === 'GET')
    return json({ [def.api!.key]: (await def.load(await readDb())).map((r) => pickFields(r, def.fields)) });
  const db = await getDb();
  if (method === 'DELETE') {
    const remove = def.remove!;
    const parsed = remove.key.safeParse(Object.fromEntries(new URL(req.url).searchParams));
    if (!parsed.success) {
      const details = Object.entries(zodFieldErrors(parsed.error)).map(([field, message]) => `${field}: ${message}`);
      throw new AppError('bad_request', remove.which, details);
    }
    await remove.run(db, parsed.data);
    return json({ removed: parsed.data });
  }
  const write = def.write!;
  const input = parseOrFail(write.input, await readJson(req, def.api!.hint), write.notSaved);
  const saved = await write.save(db, input);
  return json(def.api!.reply ? def.api!.reply(input, saved) : { saved: true }, saved.created ? 201 : 200);
}

/**
 * /api/admin/<list> for a person already resolved: 404 for a list without an API, 405 for a method
 * it lacks, 403 without the list's capability (before anything is read or written). Errors are
 * thrown as AppError, for `handler` to answer.
 */
export async function answerList(method: ListMethod, req: Request, list: string, user: SessionUser) {
  const def = adminList(list);
  if (!def?.api) throw new AppError('not_found', `No admin list ${list}.`);
  const methods = allowed(def);
  if (!methods.includes(method)) {
    const body = {
      error: { code: 'method_not_allowed', message: `${list} answers ${methods.join(', ')}.`, details: [] },
    };
    return Response.json(body, { status: 405, headers: { allow: methods.join(', ') } });
  }
  mayUse(user, def.capability);
  return serve(method, req, def);
}

/** The handler of one method for /api/admin/[list]. */
export function listRoute(method: ListMethod) {
  return handler(async (req: Request, ctx: Ctx) => {
    const user = await signedIn(req);
    return answerList(method, req, (await ctx.params).list, user);
  });
}

/**
 * /api/export/admin/<table> for a person already resolved: one list as CSV, by its fields (key
 * hashes are never among them); 403 without its capability, before a missing list is named.
 */
export async function answerListCsv(table: string, user: SessionUser): Promise<Response> {
  const def = adminList(table);
  mayUse(user, def?.capability ?? 'admin');
  if (!def) throw new AppError('not_found', `No admin table ${table}; one of ${Object.keys(ADMIN_LISTS).join(', ')}.`);
  const rows = (await def.load(await readDb())).map((r) => pickFields(r, def.fields));
  const columns = def.fields.map((key) => ({ key, header: key }));
  // No empty page: the CSV stream waits for rows after the header until a page brings some.
  return csvResponse(
    def.csvFile,
    columns,
    (async function* () {
      if (rows.length) yield rows;
    })(),
  );
}

/** /api/export/admin/[table]. */
export const listCsv = handler(async (req: Request, ctx: { params: Promise<{ table: string }> }) => {
  const user = await signedIn(req);
  return answerListCsv((await ctx.params).table, user);
});
