/**
 * `npm run cli -- import <format> <file…> [--option value]` (SPEC 10): the same import as
 * `POST /api/v1/imports/:format`, with the files read from disk as streams. Options are free
 * (`--timezone Europe/Berlin`, `--map.WMMBXY adjustment`, `--partner.WMS01=DC7`); `--dry-run`
 * maps and validates without storing, `--json` prints the response as the API gives it. When a
 * running server holds the embedded database, the files are sent to that server instead.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CliExit, defineCommand, helpText, usageError } from '../lib/cli/args';
import type { ImportResult } from '../lib/imports/run';

export const IMPORT = defineCommand({
  program: 'npm run cli',
  name: 'import',
  positionals: ['format', 'file…'],
  usage: '<format> <file…> [--<option> <value>…] [--dry-run] [--json]',
  summary: 'import files of a real system (sap-idoc-status, oca-queue-job, celigo-errors, profile)',
  description:
    'Options as in the API: --timezone <IANA zone>, --facility <id>, --map.<code> <txType>, ' +
    '--partner.<number> <facility>, --direction <erp_to_wms|wms_to_erp>, --profile <name>, --flow, --step.',
  options: {
    'dry-run': { type: 'boolean', description: 'map and validate only; store nothing' },
    json: { type: 'boolean', description: 'print the response as JSON' },
  },
});

/** Who runs the command line: the account's name (its uid where the system has no name for it, as in containers). */
export function cliUser(): string {
  try {
    return `cli:${os.userInfo().username}`;
  } catch {
    return `cli:uid ${process.getuid?.() ?? '?'}`;
  }
}

export interface ImportCommand {
  format: string;
  files: string[];
  options: Record<string, string>;
  dryRun: boolean;
  json: boolean;
}

/** The command line after `import`: free `--name value` options, the two flags, then positionals. */
export function parseImport(argv: string[]): ImportCommand {
  const c: ImportCommand = { format: '', files: [], options: {}, dryRun: false, json: false };
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') throw new CliExit(0, helpText(IMPORT));
    if (a === '--dry-run') c.dryRun = true;
    else if (a === '--json') c.json = true;
    else if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = a.slice(2, eq < 0 ? undefined : eq);
      const value = eq < 0 ? argv[++i] : a.slice(eq + 1);
      if (!name) throw usageError(IMPORT, `"${a}" names no option`);
      if (value === undefined) throw usageError(IMPORT, `--${name} needs a value`);
      c.options[name] = value;
    } else positionals.push(a);
  }
  [c.format = '', ...c.files] = positionals;
  if (!c.format) throw usageError(IMPORT, 'missing <format>');
  if (!c.files.length) throw usageError(IMPORT, 'missing <file…>');
  for (const f of c.files) {
    const stat = fs.statSync(f, { throwIfNoEntry: false });
    if (!stat?.isFile()) throw usageError(IMPORT, `${f}: no such file`);
  }
  return c;
}

export function describeImport(r: ImportResult): string[] {
  const lines = [
    `${r.dryRun ? 'Checked (dry run, nothing stored)' : `Import #${r.importId}`}: ${r.format}, ` +
      `${r.files.map((f) => f.name).join(', ')}; ${r.rows} rows read → ${r.accepted} accepted, ${r.updated} updated, ` +
      `${r.unchanged} unchanged, ${r.rejected.length} rejected; ${r.warningCount} warnings.`,
  ];
  for (const x of r.rejected.slice(0, 50)) lines.push(`  rejected ${x.file} row ${x.row}: ${x.errors.join('; ')}`);
  if (r.rejected.length > 50) lines.push(`  … and ${r.rejected.length - 50} more rejected rows (see /imports).`);
  for (const w of r.warnings.slice(0, 20)) lines.push(`  warning ${w.file} row ${w.row}: ${w.message}`);
  return lines;
}

/** Runs the import here, or in the server that holds the embedded database. Returns the exit code. */
export async function runImportCommand(c: ImportCommand): Promise<number> {
  const [db, { readLock }] = await Promise.all([import('../db'), import('../db/pglite-lock')]);
  const dir = db.pgliteDir();
  const holder = dir ? readLock(dir) : null;
  let outcome: { ok: true; result: ImportResult } | { ok: false; message: string; details: unknown[] };
  if (holder?.url && holder.token && holder.pid !== process.pid) {
    outcome = await viaServer(holder.url, holder.token, c);
  } else {
    const [{ seedDefaults }, { runImport }, { AppError }] = await Promise.all([
      import('../lib/bootstrap'),
      import('../lib/imports/run'),
      import('../lib/errors'),
    ]);
    try {
      const handle = await db.getHandle('cli');
      await seedDefaults(handle.db);
      const files = c.files.map((f) => ({ name: path.basename(f), bytes: fs.createReadStream(f) }));
      const result = await runImport(handle.db, {
        format: c.format,
        files,
        options: c.options,
        dryRun: c.dryRun,
        source: cliUser(),
        via: 'cli',
      });
      outcome = { ok: true, result };
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      outcome = { ok: false, message: e.message, details: e.details };
    } finally {
      await db.closeDb();
    }
  }
  if (!outcome.ok) {
    console.error(`error: ${outcome.message}`);
    for (const d of outcome.details) console.error(`  ${typeof d === 'string' ? d : JSON.stringify(d)}`);
    return 1;
  }
  if (c.json) console.log(JSON.stringify(outcome.result));
  else for (const line of describeImport(outcome.result)) console.log(line);
  return 0;
}

async function viaServer(url: string, token: string, c: ImportCommand) {
  const form = new FormData();
  for (const f of c.files) form.append('file', await fs.openAsBlob(f), path.basename(f));
  const query = new URLSearchParams(c.options);
  if (c.dryRun) query.set('dryRun', 'true');
  const res = await fetch(new URL(`/api/internal/import/${encodeURIComponent(c.format)}?${query}`, url), {
    method: 'POST',
    headers: { 'x-cli-token': token, 'x-cli-user': cliUser().slice(4) },
    body: form,
  });
  const body = (await res.json()) as ImportResult & { error?: { message: string; details: unknown[] } };
  if (res.ok) return { ok: true as const, result: body };
  return {
    ok: false as const,
    message: body.error?.message ?? `HTTP ${res.status}`,
    details: body.error?.details ?? [],
  };
}
