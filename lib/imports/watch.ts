/**
 * The watched folder (IMPORT_WATCH_DIR): how SAP shops deliver files, an SFTP drop. Each subfolder
 * named after a format (`sap-idoc-status/`, `oca-queue-job/`, …) or `profile-<name>/` is polled; a
 * file is imported once its size and modification time have held still for `stableMs` (5 s), then
 * moved to the subfolder's `done/` (the import ran, whatever it rejected) or `failed/` (nothing
 * could be read), with `<file>.result.json` beside it. Files that arrived while the server was down
 * are found at the first poll. An optional `options.json` in a subfolder holds that folder's
 * import options (`{ "timezone": "Europe/Berlin", "map.WMMBXY": "adjustment" }`).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '@/db';
import { IMPORT_FORMATS, type ImportFormatName } from '@/db/schema';
import { AppError } from '@/lib/errors';
import { runImport } from './run';
import { logError } from '@/lib/log';

const OPTIONS_FILE = 'options.json';
const SKIP = new Set([OPTIONS_FILE, 'done', 'failed']);

export interface WatchOptions {
  /** How long a file's size and time must hold still before it is imported (ms). */
  stableMs?: number;
  /** How often the folders are looked at (ms). */
  pollMs?: number;
  /** Called after each file (tests wait on it). */
  onImported?: (file: string, outcome: 'done' | 'failed') => void;
}

/** A subfolder's format and the options its name implies, or null for a folder that is not a format's. */
export function folderFormat(name: string): { format: ImportFormatName; options: Record<string, string> } | null {
  if ((IMPORT_FORMATS as readonly string[]).includes(name)) return { format: name as ImportFormatName, options: {} };
  const m = /^profile-(.+)$/.exec(name);
  return m ? { format: 'profile', options: { profile: m[1] } } : null;
}

/** Starts polling `dir`; the returned function stops it (and waits for an import under way). */
export function watchFolder(db: Db, dir: string, opts: WatchOptions = {}): () => Promise<void> {
  const stableMs = opts.stableMs ?? 5000;
  const seen = new Map<string, { size: number; mtimeMs: number; since: number }>();
  let stopped = false;
  let running: Promise<void> = Promise.resolve();

  const tick = async () => {
    const now = Date.now();
    for (const sub of safeReaddir(dir)) {
      const kind = folderFormat(sub);
      if (!kind) continue;
      const folder = path.join(dir, sub);
      for (const name of safeReaddir(folder)) {
        if (stopped) return;
        if (SKIP.has(name) || name.startsWith('.') || name.endsWith('.result.json')) continue;
        const file = path.join(folder, name);
        const stat = fs.statSync(file, { throwIfNoEntry: false });
        if (!stat?.isFile()) continue;
        const last = seen.get(file);
        if (!last || last.size !== stat.size || last.mtimeMs !== stat.mtimeMs) {
          seen.set(file, { size: stat.size, mtimeMs: stat.mtimeMs, since: now });
          continue;
        }
        if (now - last.since < stableMs) continue;
        seen.delete(file);
        const outcome = await importFile(db, sub, folder, name, kind);
        opts.onImported?.(file, outcome);
      }
    }
  };

  const loop = async () => {
    while (!stopped) {
      running = tick().catch((e) => logError('imports', { watched: 'folder' }, e));
      await running;
      await new Promise((r) => setTimeout(r, opts.pollMs ?? 1000));
    }
  };
  void loop();
  return async () => {
    stopped = true;
    await running;
  };
}

function safeReaddir(dir: string): string[] {
  try {
    return fs.readdirSync(dir).sort();
  } catch {
    return [];
  }
}

async function importFile(
  db: Db,
  sub: string,
  folder: string,
  name: string,
  kind: { format: ImportFormatName; options: Record<string, string> },
): Promise<'done' | 'failed'> {
  const file = path.join(folder, name);
  let result: unknown;
  let outcome: 'done' | 'failed' = 'done';
  try {
    const options = { ...folderOptions(folder), ...kind.options };
    result = await runImport(db, {
      format: kind.format,
      files: [{ name, bytes: fs.createReadStream(file) }],
      options,
      source: `watch:${sub}`,
      via: 'watch',
    });
  } catch (e) {
    outcome = 'failed';
    result = e instanceof AppError ? e.toBody() : { error: { code: 'internal', message: String(e) } };
    if (!(e instanceof AppError)) logError('imports', { watched: JSON.stringify(path.join(sub, name)) }, e);
  }
  const into = path.join(folder, outcome);
  fs.mkdirSync(into, { recursive: true });
  let target = path.join(into, name);
  if (fs.existsSync(target)) target = path.join(into, `${Date.now()}-${name}`);
  fs.renameSync(file, target);
  fs.writeFileSync(`${target}.result.json`, JSON.stringify(result, null, 2) + '\n');
  return outcome;
}

/** The subfolder's `options.json`, when there is one: an object of option names to text. */
function folderOptions(folder: string): Record<string, string> {
  const file = path.join(folder, OPTIONS_FILE);
  if (!fs.existsSync(file)) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    throw new AppError('bad_request', `${file} is not valid JSON.`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new AppError('bad_request', `${file} must hold an object of option names to values.`);
  return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
}
