import { getDb } from '@/db';
import { requireCliAccess } from '@/lib/cli/token';
import { handler, json } from '@/lib/http/route';
import { bulk } from '@/lib/ingest/backpressure';
import { filesOf, optionsOf } from '@/lib/imports/request';
import { formatNamed, runImport } from '@/lib/imports/run';
import { otherMethods } from '@/lib/http/methods';

export const dynamic = 'force-dynamic';

/** `npm run cli -- import …` while this server holds the embedded database: the CLI's files, imported here. */
export const POST = handler(
  bulk(async (req, ctx: { params: Promise<{ format: string }> }) => {
    requireCliAccess(req);
    const format = formatNamed((await ctx.params).format);
    const { options, dryRun } = optionsOf(new URL(req.url));
    const user = (req.headers.get('x-cli-user') ?? '').slice(0, 100);
    return json(
      await runImport(await getDb(), {
        format,
        files: filesOf(req),
        options,
        dryRun,
        source: `cli:${user}`,
        via: 'cli',
      }),
    );
  }),
);

/** Every other method: a 405 in SPEC 3's error shape, with `Allow` (lib/http/methods.ts). */
export const { GET, HEAD, OPTIONS, PUT, PATCH, DELETE } = otherMethods({ POST });
