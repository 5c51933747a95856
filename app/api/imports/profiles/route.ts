import { getDb } from '@/db';
import { authenticate } from '@/lib/auth/session';
import { AppError } from '@/lib/errors';
import { handler, json, readJson } from '@/lib/http/route';
import { deleteProfile, listProfiles, saveProfile } from '@/lib/imports/profile-store';
import { readDb } from '@/lib/http/read';
import { otherMethods } from '@/lib/http/methods';

export const dynamic = 'force-dynamic';

const WHO = { apiKey: false, session: true, capability: 'imports.run' } as const;

/** The saved mapping profiles (SPEC 10), IT and admin. */
export const GET = handler(async (req) => {
  await authenticate(req, WHO);
  return json(await listProfiles(await readDb()));
});

/** Saves a profile under its name (replacing one of that name); 422 with an error per field. */
export const POST = handler(async (req) => {
  const who = await authenticate(req, WHO);
  const body = await readJson(req, 'a mapping profile as JSON', 256 * 1024);
  const saved = await saveProfile(await getDb(), body, who.kind === 'user' ? who.user.email : null);
  return json(saved, saved.created ? 201 : 200);
});

export const DELETE = handler(async (req) => {
  await authenticate(req, WHO);
  const name = new URL(req.url).searchParams.get('name') ?? '';
  if (!(await deleteProfile(await getDb(), name)))
    throw new AppError('not_found', `No mapping profile is named "${name}".`);
  return json({ deleted: name });
});

/** Every other method: a 405 in SPEC 3's error shape, with `Allow` (lib/http/methods.ts). */
export const { OPTIONS, PUT, PATCH } = otherMethods({ GET, POST, DELETE });
