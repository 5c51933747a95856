import { afterAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase as openAny } from '@/db';

/** The embedded database in `dir`, also when this run's DATABASE_URL names a server ('' overrides it). */
const openDatabase = (o: { dir: string; purpose: string }) => openAny({ ...o, url: '' });

const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'sh-modes-'));
afterAll(() => fs.rmSync(temp, { recursive: true, force: true }));

/** Every path under `root` (itself included) whose mode is not 0700 (folder) or 0600 (file). */
function notPrivate(root: string): string[] {
  const out: string[] = [];
  const walk = (p: string) => {
    const s = fs.lstatSync(p);
    const mode = s.mode & 0o777;
    if (s.isDirectory()) {
      if (mode !== 0o700) out.push(`${path.relative(temp, p) || '.'} ${mode.toString(8)}`);
      for (const n of fs.readdirSync(p)) walk(path.join(p, n));
    } else if (!s.isSymbolicLink() && mode !== 0o600) out.push(`${path.relative(temp, p)} ${mode.toString(8)}`);
  };
  walk(root);
  return out;
}

describe('the embedded database folder', () => {
  it('is created owner-only: folders 0700, files 0600', async () => {
    const dir = path.join(temp, 'fresh', '.data', 'pglite');
    const h = await openDatabase({ dir, purpose: 'test' });
    try {
      expect(fs.readdirSync(dir).length).toBeGreaterThan(3);
      expect(notPrivate(path.join(temp, 'fresh', '.data'))).toEqual([]);
    } finally {
      await h.close();
    }
  });

  it('is made owner-only when an older install left it 0666/0755, its .data folder included', async () => {
    const data = path.join(temp, 'old', '.data');
    const dir = path.join(data, 'pglite');
    const first = await openDatabase({ dir, purpose: 'test' });
    await first.close();
    fs.writeFileSync(path.join(data, 'auth-secret'), 'x');
    const open = (p: string) => {
      const s = fs.lstatSync(p);
      fs.chmodSync(p, s.isDirectory() ? 0o755 : 0o666);
      if (s.isDirectory()) for (const n of fs.readdirSync(p)) open(path.join(p, n));
    };
    open(data);
    expect(notPrivate(data).length).toBeGreaterThan(3);
    const again = await openDatabase({ dir, purpose: 'test' });
    try {
      expect(notPrivate(data)).toEqual([]);
    } finally {
      await again.close();
    }
  });
});
