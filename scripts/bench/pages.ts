/**
 * Page timings: the server render of each of the seven pages (the whole streamed HTML, every card's
 * Suspense included) at its default range, signed in through the real sign-in form's endpoint; the
 * 95th percentile of 20 requests after 3 untimed ones. A manager, except where a manager may not go
 * (/messages needs payloads.read, which managers lack: an admin there, and the table says so).
 */
import { randomBytes } from 'node:crypto';
import { can } from '../../lib/auth/permissions';
import { PAGE_POLICY } from '../../lib/auth/route-policy';
import { addUser } from '../../lib/auth/users';
import type { Role } from '../../db/schema';
import { PAGES, round } from './figures';
import { median, pct } from './measure';
import type { BenchConfig } from './options';
import { log, type BenchRun } from './table';

const WARMUP = 3;
const TIMED = 20;

/** A session cookie from next-auth's credentials sign-in, as the sign-in page posts it. */
async function signIn(base: string, email: string, password: string): Promise<string> {
  const csrf = await fetch(`${base}/api/auth/csrf`);
  const jar = new Map<string, string>();
  const keep = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair.indexOf('=');
      jar.set(pair.slice(0, i), pair.slice(i + 1));
    }
  };
  keep(csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const res = await fetch(`${base}/api/auth/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookie(), origin: base },
    body: new URLSearchParams({ csrfToken, email, password, callbackUrl: `${base}/`, json: 'true' }),
  });
  keep(res);
  if (![...jar.keys()].some((k) => k.endsWith('next-auth.session-token')))
    throw new Error(`sign-in as ${email} failed: ${res.status}`);
  return cookie();
}

export async function benchPages(cfg: BenchConfig, run: BenchRun) {
  const base = `http://127.0.0.1:${cfg.port}`;
  const cookies = new Map<Role, string>();
  const as = async (role: Role) => {
    if (!cookies.has(role)) {
      const email = `bench-${role}-${randomBytes(3).toString('hex')}@example.com`;
      const password = randomBytes(12).toString('base64url');
      await addUser(run.handle.db, { email, role, password });
      cookies.set(role, await signIn(base, email, password));
    }
    return cookies.get(role)!;
  };
  for (const page of PAGES) {
    const capability = PAGE_POLICY[page];
    const role: Role = capability === 'public' || can('manager', capability) ? 'manager' : 'admin';
    const cookie = await as(role);
    const get = async () => {
      const t = performance.now();
      const res = await fetch(base + page, { headers: { cookie }, redirect: 'manual' });
      await res.text();
      if (res.status !== 200) throw new Error(`${page} as ${role}: ${res.status}`);
      return performance.now() - t;
    };
    for (let i = 0; i < WARMUP; i++) await get();
    const times: number[] = [];
    for (let i = 0; i < TIMED; i++) times.push(await get());
    const p95 = pct(times, 0.95);
    run.figures.pagesP95Ms[page] = round(p95);
    log(`page ${page} as ${role}: p95 ${p95.toFixed(0)} ms`);
    run.rows.push([
      `page ${page} (ms${role === 'manager' ? '' : `, as ${role}`})`,
      `median ${median(times).toFixed(0)}, p95 ${p95.toFixed(0)}`,
      `${TIMED} renders after ${WARMUP}, default range`,
      'target p95 ≤ 300',
    ]);
  }
}
