import { z } from 'zod';
import { getDb } from '@/db';
import { runCliCommand } from '@/lib/cli/commands';
import { requireCliAccess } from '@/lib/cli/token';
import { AppError } from '@/lib/errors';
import { handler, json } from '@/lib/http/route';
import { otherMethods } from '@/lib/http/methods';
import { SETTING_KEYS } from '@/lib/retention/settings';

export const dynamic = 'force-dynamic';

const command = z.discriminatedUnion('command', [
  z.object({ command: z.literal('api-key create'), name: z.string(), scopes: z.array(z.string()).optional() }),
  z.object({ command: z.literal('api-key list') }),
  z.object({ command: z.literal('api-key revoke'), name: z.string() }),
  z.object({
    command: z.literal('user add'),
    email: z.string(),
    role: z.string(),
    password: z.string(),
    name: z.string().optional(),
  }),
  z.object({ command: z.literal('user list') }),
  z.object({ command: z.literal('import-profile save'), file: z.string(), profile: z.unknown(), by: z.string() }),
  z.object({ command: z.literal('import-profile list') }),
  z.object({ command: z.literal('alerts apply'), file: z.string(), config: z.unknown(), by: z.string() }),
  z.object({ command: z.literal('alerts export'), withSecrets: z.boolean().optional() }),
  z.object({ command: z.literal('retention set'), kind: z.enum(SETTING_KEYS), days: z.string() }),
  z.object({ command: z.literal('retention preview'), json: z.boolean() }),
  z.object({ command: z.literal('retention run') }),
]);

/**
 * `npm run cli` on the same machine while this server holds the embedded database: the CLI proves
 * itself with the secret this process wrote into its lock file (readable by its owner only), from
 * loopback. Anything else (a server on Postgres, another host, no secret) is a 404 (lib/cli/token.ts).
 */
export const POST = handler(async (req) => {
  requireCliAccess(req);
  const parsed = command.safeParse(await req.json().catch(() => null));
  if (!parsed.success) throw new AppError('bad_request', 'Not a CLI command.');
  return json(await runCliCommand(await getDb(), parsed.data));
});

/** Every other method: a 405 in SPEC 3's error shape, with `Allow` (lib/http/methods.ts). */
export const { GET, HEAD, OPTIONS, PUT, PATCH, DELETE } = otherMethods({ POST });
