/**
 * The embedded database's files are for their owner alone: its folders 0700, its files 0600
 * (PGlite creates them as the process umask allows, typically 0644/0755 and 0666 under umask 0,
 * and an older install left them so). Applied to the whole folder when it is opened, so an
 * existing install is fixed at its next start; a file PGlite adds later sits in a 0700 folder
 * that no one else can enter.
 */
import fs from 'node:fs';
import path from 'node:path';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

function chmodQuietly(p: string, mode: number) {
  try {
    fs.chmodSync(p, mode);
  } catch {
    /* gone meanwhile, or not ours to change: nothing a start should stop for */
  }
}

/** Makes `root` and everything under it owner-only (symbolic links are left alone, not followed). */
export function makePrivate(root: string): void {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(root);
  } catch {
    return;
  }
  if (stat.isSymbolicLink()) return;
  if (!stat.isDirectory()) {
    if ((stat.mode & 0o777) !== PRIVATE_FILE_MODE) chmodQuietly(root, PRIVATE_FILE_MODE);
    return;
  }
  if ((stat.mode & 0o777) !== PRIVATE_DIR_MODE) chmodQuietly(root, PRIVATE_DIR_MODE);
  let entries: string[];
  try {
    entries = fs.readdirSync(root);
  } catch {
    return;
  }
  for (const name of entries) makePrivate(path.join(root, name));
}

/**
 * Creates the embedded database's folder owner-only and makes what is already there private: the
 * folder itself, and when it lies in a `.data` folder (the default `.data/pglite`), that whole
 * folder, which also holds the demo's session secret.
 */
export function preparePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  const parent = path.dirname(dir);
  makePrivate(path.basename(parent) === '.data' ? parent : dir);
}
