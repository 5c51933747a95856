/**
 * The commands of `npm run cli`, run against a database and returning their output, so the same
 * code serves the CLI process and a running server that holds the embedded database.
 */
import type { Db } from '@/db';
import { createApiKey, listApiKeys, revokeApiKey } from '@/lib/auth/api-keys';
import { AppError } from '@/lib/errors';
import { addUser, listUsers } from '@/lib/auth/users';
import { listProfiles, saveProfile } from '@/lib/imports/profile-store';
import { applyAlertConfig, exportAlertConfig } from '@/lib/alerts/config';
import { retentionPreview, retentionRun, retentionSet } from '@/lib/cli/retention';
import type { SettingKey } from '@/lib/retention/settings';

export type CliCommand =
  /** `scopes` left out: ingest and read (SPEC 7). */
  | { command: 'api-key create'; name: string; scopes?: string[] }
  | { command: 'api-key list' }
  | { command: 'api-key revoke'; name: string }
  | { command: 'user add'; email: string; role: string; password: string; name?: string }
  | { command: 'user list' }
  /** A mapping profile read from `file` by the CLI process (the server that may run it cannot see the file); `by`: who saved it. */
  | { command: 'import-profile save'; file: string; profile: unknown; by: string }
  | { command: 'import-profile list' }
  /** An alert configuration read from `file` by the CLI process (SPEC 9), applied all or nothing. */
  | { command: 'alerts apply'; file: string; config: unknown; by: string }
  | { command: 'alerts export'; withSecrets?: boolean }
  | { command: 'retention set'; kind: SettingKey; days: string }
  | { command: 'retention preview'; json: boolean }
  | { command: 'retention run' };

export interface CliOutput {
  code: number;
  stdout: string[];
  stderr: string[];
}

const fmt = (d: Date | null) => (d ? d.toISOString() : '-');

/** `live`: where a long command's progress goes as it happens (the CLI process); collected otherwise. */
export async function runCliCommand(db: Db, c: CliCommand, live?: (line: string) => void): Promise<CliOutput> {
  const out: CliOutput = { code: 0, stdout: [], stderr: [] };
  const say = live ?? ((line: string) => out.stdout.push(line));
  try {
    switch (c.command) {
      case 'api-key create': {
        const k = await createApiKey(db, c.name, c.scopes);
        out.stdout.push(
          `Created API key "${k.name}" (${k.prefix}…) with scopes ${k.scopes.join(',')}. It is shown once; store it now:`,
          k.key,
        );
        break;
      }
      case 'api-key list': {
        const keys = await listApiKeys(db);
        if (!keys.length) out.stdout.push('No API keys yet. Create one with: npm run cli -- api-key create <name>');
        for (const k of keys) {
          out.stdout.push(
            `${k.name}\t${k.prefix}…\t${k.scopes.join(',')}\tcreated ${fmt(k.createdAt)}\tlast used ${fmt(k.lastUsedAt)}\t${k.revokedAt ? 'revoked ' + fmt(k.revokedAt) : 'active'}`,
          );
        }
        break;
      }
      case 'api-key revoke':
        if (await revokeApiKey(db, c.name)) out.stdout.push(`Revoked API key "${c.name}".`);
        else {
          out.stderr.push(`No active API key named "${c.name}".`);
          out.code = 1;
        }
        break;
      case 'user add': {
        const u = await addUser(db, { email: c.email, role: c.role, password: c.password, name: c.name });
        out.stdout.push(`Added ${u.email} as ${u.role}.`);
        break;
      }
      case 'user list':
        for (const u of await listUsers(db))
          out.stdout.push(`${u.email}\t${u.role}\t${u.disabled ? 'disabled' : 'active'}\tcreated ${fmt(u.createdAt)}`);
        break;
      case 'import-profile save': {
        const p = await saveProfile(db, c.profile, c.by);
        out.stdout.push(
          `${p.created ? 'Saved' : 'Replaced'} mapping profile "${p.name}" (${p.profile.input}) from ${c.file}.`,
        );
        break;
      }
      case 'import-profile list': {
        const profiles = await listProfiles(db);
        if (!profiles.length)
          out.stdout.push('No mapping profiles yet. Save one with: npm run cli -- import-profile save <file>');
        for (const p of profiles)
          out.stdout.push(
            `${p.name}\t${p.profile.input}\tsaved ${fmt(p.updatedAt)} by ${p.updatedBy ?? '-'}\t${p.profile.description ?? ''}`,
          );
        break;
      }
      case 'alerts apply': {
        const r = await applyAlertConfig(db, c.config, { by: c.by });
        for (const [what, list] of [
          ['created', r.created],
          ['updated', r.updated],
          ['unchanged', r.unchanged],
        ] as const)
          for (const item of list) out.stdout.push(`${what}\t${item}`);
        out.stdout.push(
          `Applied ${c.file}: ${r.created.length} created, ${r.updated.length} updated, ${r.unchanged.length} unchanged.`,
        );
        break;
      }
      case 'alerts export':
        out.stdout.push(JSON.stringify(await exportAlertConfig(db, { withSecrets: c.withSecrets }), null, 2));
        break;
      case 'retention set':
        out.stdout.push(...(await retentionSet(db, c.kind, c.days)));
        break;
      case 'retention preview':
        out.stdout.push(...(await retentionPreview(db, c.json)));
        break;
      case 'retention run':
        await retentionRun(db, say);
        break;
    }
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    out.code = 1;
    out.stderr.push(`error: ${e.message}`);
    for (const d of e.details as { field?: string; message?: string }[]) {
      out.stderr.push(typeof d === 'object' && d ? `  ${d.field}: ${d.message}` : `  ${String(d)}`);
    }
  }
  return out;
}
