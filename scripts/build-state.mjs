// Whether the production build in .next is missing or older than a source: `npm start` and the
// bench rebuild then, so neither serves code older than the checkout (after a `git pull`, say).
import fs from 'node:fs';
import path from 'node:path';

const SOURCES = [
  'app',
  'components',
  'lib',
  'db',
  'types',
  'next.config.ts',
  'proxy.ts',
  'instrumentation.ts',
  'instrumentation-node.ts',
  'package-lock.json',
];

/** Why a build is needed ("no build yet", "lib/x.ts is newer than the build"), or null. */
export function buildIsStale(root) {
  const id = path.join(root, '.next', 'BUILD_ID');
  if (!fs.existsSync(id)) return 'no build yet';
  const built = fs.statSync(id).mtimeMs;
  const newer = (p) => {
    if (!fs.existsSync(p)) return null;
    const st = fs.statSync(p);
    if (!st.isDirectory()) return st.mtimeMs > built ? p : null;
    for (const e of fs.readdirSync(p)) {
      const found = newer(path.join(p, e));
      if (found) return found;
    }
    return null;
  };
  for (const s of SOURCES) {
    const found = newer(path.join(root, s));
    if (found) return `${path.relative(root, found)} is newer than the build`;
  }
  return null;
}
