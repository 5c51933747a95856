/**
 * Saved mapping profiles (SPEC 10): by name, with who saved each last and when. A profile is
 * validated before it is stored (422 by field) and again when read, so one stored before a rule
 * tightened cannot map a file wrongly.
 */
import { asc, eq, sql } from 'drizzle-orm';
import type { Executor } from '@/db';
import { importProfiles } from '@/db/schema';
import { parseProfile, type Profile } from './profile-schema';

export interface SavedProfile {
  name: string;
  profile: Profile;
  updatedBy: string | null;
  updatedAt: Date;
}

/** Validates and stores a profile under its name, replacing one of that name; `by` is who saved it. */
export async function saveProfile(
  db: Executor,
  input: unknown,
  by: string | null,
): Promise<SavedProfile & { created: boolean }> {
  const profile = parseProfile(input);
  const [row] = await db
    .insert(importProfiles)
    .values({ name: profile.name, profile, updatedBy: by })
    .onConflictDoUpdate({
      target: importProfiles.name,
      set: { profile, updatedBy: by, updatedAt: sql`now()` },
    })
    .returning({ updatedAt: importProfiles.updatedAt, created: sql<boolean>`xmax = 0` });
  return { name: profile.name, profile, updatedBy: by, updatedAt: row.updatedAt, created: row.created };
}

function saved(row: typeof importProfiles.$inferSelect): SavedProfile {
  return { name: row.name, profile: parseProfile(row.profile), updatedBy: row.updatedBy, updatedAt: row.updatedAt };
}

/** Every saved profile, by name. */
export async function listProfiles(db: Executor): Promise<SavedProfile[]> {
  const rows = await db.select().from(importProfiles).orderBy(asc(importProfiles.name));
  return rows.map(saved);
}

export async function getProfile(db: Executor, name: string): Promise<SavedProfile | null> {
  const [row] = await db.select().from(importProfiles).where(eq(importProfiles.name, name));
  return row ? saved(row) : null;
}

/** Whether a profile of that name was there to delete. */
export async function deleteProfile(db: Executor, name: string): Promise<boolean> {
  const rows = await db
    .delete(importProfiles)
    .where(eq(importProfiles.name, name))
    .returning({ name: importProfiles.name });
  return rows.length > 0;
}
