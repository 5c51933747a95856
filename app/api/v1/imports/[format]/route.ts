import { getDb } from '@/db';
import { authenticate } from '@/lib/auth/session';
import { handler, json } from '@/lib/http/route';
import { bulk } from '@/lib/ingest/backpressure';
import { filesOf, optionsOf } from '@/lib/imports/request';
import { formatNamed, runImport } from '@/lib/imports/run';
import { otherMethods } from '@/lib/http/methods';

export const dynamic = 'force-dynamic';

/** What a signed-in upload may send: the page's multipart form, or one file as its own body. */
const IMPORT_BODY = ['multipart/form-data', 'text/csv', 'text/plain', 'application/json', 'application/x-ndjson'];

/** SPEC 10: a file (or several, as multipart) of a real system's log, through the one ingest path. */
export const POST = handler(
  bulk(async (req, ctx: { params: Promise<{ format: string }> }) => {
    const who = await authenticate(req, {
      apiKey: true,
      scope: 'ingest',
      session: true,
      capability: 'imports.run',
      accepts: IMPORT_BODY,
    });
    const format = formatNamed((await ctx.params).format);
    const { options, dryRun } = optionsOf(new URL(req.url));
    const result = await runImport(await getDb(), {
      format,
      files: filesOf(req),
      options,
      dryRun,
      source: who.kind === 'apiKey' ? who.name : who.user.email,
      via: who.kind === 'apiKey' ? 'api' : 'page',
    });
    return json(result);
  }),
);

/** Every other method: a 405 in SPEC 3's error shape, with `Allow` (lib/http/methods.ts). */
export const { GET, HEAD, OPTIONS, PUT, PATCH, DELETE } = otherMethods({ POST });
