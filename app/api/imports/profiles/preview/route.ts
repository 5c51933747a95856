import { z } from 'zod';
import { getDb } from '@/db';
import { authenticate } from '@/lib/auth/session';
import { handler, json, readJson } from '@/lib/http/route';
import { memoryFile } from '@/lib/imports/collect';
import { runImport } from '@/lib/imports/run';
import { parseOrFail } from '@/lib/validation';
import { otherMethods } from '@/lib/http/methods';

export const dynamic = 'force-dynamic';

const MAX_SAMPLE = 2 * 1024 * 1024;

const previewRequest = z.object({
  profile: z.unknown(),
  sample: z.string().max(MAX_SAMPLE, `at most ${MAX_SAMPLE} characters: preview a part of the file`),
  fileName: z.string().trim().min(1).max(200).default('sample'),
  options: z.record(z.string(), z.string()).default({}),
});

/**
 * A mapping profile being written, tried on a sample before it is saved: the sample is mapped and
 * validated as a dry run (nothing stored); a profile that is not valid is a 422 with an error per field.
 */
export const POST = handler(async (req) => {
  const who = await authenticate(req, { apiKey: false, session: true, capability: 'imports.run' });
  const body = parseOrFail(
    previewRequest,
    await readJson(req, '{ profile, sample, fileName, options }', MAX_SAMPLE * 4 + 256 * 1024),
    'The preview request is not valid.',
  );
  const result = await runImport(await getDb(), {
    format: 'profile',
    files: [memoryFile(body.fileName, body.sample)],
    options: body.options,
    dryRun: true,
    profile: body.profile,
    source: who.kind === 'user' ? who.user.email : null,
    via: 'page',
  });
  return json(result);
});

/** Every other method: a 405 in SPEC 3's error shape, with `Allow` (lib/http/methods.ts). */
export const { GET, HEAD, OPTIONS, PUT, PATCH, DELETE } = otherMethods({ POST });
