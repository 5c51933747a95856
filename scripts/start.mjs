#!/usr/bin/env node
// `npm start`: builds first when no build exists or a source is newer than it, fills in what a
// local demo needs, serves, and says where to open it. Production deployments set their own
// NEXTAUTH_SECRET and DATABASE_URL.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { buildIsStale } from './build-state.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
process.chdir(root);
const nextBin = path.join(root, 'node_modules', '.bin', 'next');
const port = process.env.PORT ?? '3000';
const env = { ...process.env, PORT: port };

const stale = buildIsStale(root);
if (stale) {
  console.log(`[sync-health] ${stale}: running \`next build\` (about a minute)…`);
  const r = spawnSync(nextBin, ['build'], { stdio: 'inherit', env });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

if (!env.NEXTAUTH_SECRET) {
  // A local secret kept beside the embedded database, so sessions survive restarts: 32 random
  // bytes, as a production server requires (lib/env), readable by this user only.
  const file = path.join(root, '.data', 'auth-secret');
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.chmodSync(path.dirname(file), 0o700);
  if (!fs.existsSync(file)) fs.writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
  fs.chmodSync(file, 0o600);
  env.NEXTAUTH_SECRET = fs.readFileSync(file, 'utf8').trim();
}
// Without NEXTAUTH_URL, trust the Host header (localhost or 127.0.0.1 both work locally).
if (!env.NEXTAUTH_URL) env.AUTH_TRUST_HOST = 'true';

console.log(
  `[sync-health] starting on ${env.DATABASE_URL ? 'Postgres (DATABASE_URL)' : 'the embedded database in ' + (env.PGLITE_DIR ?? '.data/pglite')}`,
);
// Idle connections stay open 65 s, past the 60 s a load balancer or an HTTP client's pool keeps
// one (Node's default of 5 s closed them under clients that were just reusing them: a reset,
// seen in CI with Playwright's request pool after a slow step).
const args = process.argv.slice(2);
if (!args.some((a) => a.startsWith('--keepAliveTimeout')))
  args.unshift('--keepAliveTimeout', process.env.KEEP_ALIVE_TIMEOUT_MS ?? '65000');
const child = spawn(nextBin, ['start', '-p', port, ...args], { stdio: ['inherit', 'pipe', 'inherit'], env });
let announced = false;
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  if (!announced && /Ready in|started server|Local:/i.test(String(chunk))) {
    announced = true;
    console.log(
      `\n[sync-health] open http://localhost:${port} — sign in with a demo account listed on the login page\n`,
    );
  }
});
const stop = (sig) => child.kill(sig);
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
