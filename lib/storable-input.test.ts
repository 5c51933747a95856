/**
 * Text a person or a script sends that Postgres cannot store (a NUL character, half a surrogate
 * pair) is refused by field, or names no row: never a database error (a 500), on either database.
 */
import { describe, expect, it } from 'vitest';
import { removeGlossary, saveGlossary } from '@/lib/admin/lists/glossary';
import { removeOwnership, saveOwnership } from '@/lib/admin/lists/ownership';
import { addRule } from '@/lib/admin/lists/root-cause-rules';
import { removeStepSla } from '@/lib/admin/lists/step-slas';
import { removeThreshold } from '@/lib/kpi/threshold-settings';
import { createApiKey, revokeApiKey } from '@/lib/auth/api-keys';
import { AppError } from '@/lib/errors';
import { bulkActionInput } from '@/lib/exceptions/actions';
import { signoffInput } from '@/lib/review/signoff';
import { testDb } from '@/lib/testing/db';
import { addUser, checkCredentials } from '@/lib/auth/users';
import { NOT_STORABLE } from '@/lib/validation';

const h = testDb();

async function failure(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}

const NUL = 'a\u0000b';
const HALF = 'x\ud800y';

describe('text Postgres cannot store', () => {
  it('admin lists refuse it by field', async () => {
    const g = await failure(saveGlossary(h.db, { errorCode: 'E1', meaning: NUL, action: HALF }));
    expect([g.code, g.details]).toEqual(['validation_failed', [`meaning: ${NOT_STORABLE}`, `action: ${NOT_STORABLE}`]]);
    expect((await failure(saveGlossary(h.db, { errorCode: NUL, meaning: 'm' }))).details).toEqual([
      `errorCode: ${NOT_STORABLE}`,
    ]);
    const r = await failure(
      addRule(h.db, { priority: 5, errorCodePattern: '^E', category: 'timing', description: NUL }),
    );
    expect(r.details).toEqual([`description: ${NOT_STORABLE}`]);
    const o = await failure(
      saveOwnership(h.db, { dataObject: 'item', field: 'base_uom', owner: 'erp', precedence: NUL }),
    );
    expect(o.details).toEqual([`precedence: ${NOT_STORABLE}`]);
    // The same values without the bad characters are saved: the check is what refused them.
    await saveGlossary(h.db, { errorCode: 'E1', meaning: 'ab', action: 'xy' });
    await addRule(h.db, { priority: 5, errorCodePattern: '^E', category: 'timing', description: 'ab' });
  });

  it('a removal naming it finds no row', async () => {
    for (const p of [
      removeGlossary(h.db, NUL),
      removeOwnership(h.db, 'item', NUL),
      removeStepSla(h.db, NUL),
      removeThreshold(h.db, NUL, '*'),
    ]) {
      expect((await failure(p)).code).toBe('not_found');
    }
    await createApiKey(h.db, 'feed');
    expect(await revokeApiKey(h.db, `feed${NUL}`)).toBe(false);
  });

  it('people: a new user refuses it by field, and signing in with it finds no account', async () => {
    const u = await failure(
      addUser(h.db, { email: `ops${NUL}@example.com`, role: 'ops', password: 'long enough', name: HALF }),
    );
    expect(u.details).toEqual([
      { field: 'email', message: NOT_STORABLE },
      { field: 'name', message: NOT_STORABLE },
    ]);
    expect(await checkCredentials(h.db, `ops${NUL}@example.com`, 'long enough')).toBeNull();
  });

  it('exception actions and review sign-offs refuse it by field', () => {
    const a = bulkActionInput.safeParse({ ids: [1], action: 'assign', owner: NUL, note: HALF });
    expect(a.success ? [] : a.error.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['owner', NOT_STORABLE],
      ['note', NOT_STORABLE],
    ]);
    const s = signoffInput.safeParse({ cadence: 'daily', period: '2026-11-27', facility: 'DC1', notes: NUL });
    expect(s.success ? [] : s.error.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['notes', NOT_STORABLE],
    ]);
  });
});
