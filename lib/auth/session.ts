import 'server-only';
import { cache } from 'react';
import { getServerSession } from 'next-auth';
import { forbidden, redirect } from 'next/navigation';
import { headers } from 'next/headers';
import type { Role } from '@/db/schema';
import { authOptions } from '@/lib/auth/options';
import { can, isRole, type Capability } from '@/lib/auth/permissions';
import { AppError } from '@/lib/errors';
import { getDb } from '@/db';
import { verifyApiKey } from '@/lib/auth/api-keys';
import type { KeyScope } from '@/lib/auth/route-policy';
import { assertSameSiteMutation, JSON_BODY } from '@/lib/auth/csrf';
import { env } from '@/lib/env';

export interface SessionUser {
  email: string;
  name: string;
  role: Role;
}

/** The signed-in person, resolved once per request. */
export const currentUser = cache(async (): Promise<SessionUser | null> => {
  const session = await getServerSession(authOptions());
  const role = session?.user?.role;
  if (!session?.user?.email || !isRole(role)) return null;
  return { email: session.user.email, name: session.user.name ?? session.user.email, role };
});

/** For pages and server actions: redirects to /login when signed out; 403 (app/forbidden.tsx) when not allowed. */
export async function requireCapability(capability: Capability): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) {
    const h = await headers();
    const next = h.get('x-pathname') ?? '/';
    redirect(`/login?callbackUrl=${encodeURIComponent(next)}`);
  }
  if (!can(user.role, capability)) forbidden();
  return user;
}

export async function requireUser(): Promise<SessionUser> {
  return requireCapability('overview.read');
}

/** Admin routes: signed-in admins only, never an API key. */
export const ADMIN_SESSION = { apiKey: false, session: true, capability: 'admin' } as const;

export type Principal = { kind: 'user'; user: SessionUser } | { kind: 'apiKey'; name: string };

/**
 * Who may call a route handler. `apiKey: true` names the `scope` a key must hold (SPEC 7, as
 * lib/auth/route-policy.ts declares it for the route); `capability`: what a signed-in person needs.
 */
export type RouteAccess = {
  capability?: Capability;
  session: boolean;
  accepts?: readonly string[];
} & ({ apiKey: false } | { apiKey: true; scope: KeyScope });

/**
 * For route handlers: a Bearer API key or a session. Throws 401 when neither, 403 when the
 * person lacks the capability, 403 `insufficient_scope` when the key lacks the route's scope.
 * A change (POST, PUT, PATCH, DELETE) made with the session cookie must come from this site's own
 * pages and carry a body of a type in `accepts` (default JSON): 403 `cross_origin` or 415
 * `unsupported_media_type` otherwise (lib/auth/csrf.ts), checked before anything is read.
 */
export async function authenticate(req: Request, opts: RouteAccess): Promise<Principal> {
  const auth = req.headers.get('authorization');
  if (auth) {
    const m = /^Bearer\s+(\S+)$/i.exec(auth);
    if (!m || !opts.apiKey) throw new AppError('unauthorized', 'Send an API key as "Authorization: Bearer <key>".');
    const key = await verifyApiKey(await getDb(), m[1]);
    if (!key) throw new AppError('unauthorized', 'The API key is not valid or has been revoked.');
    if (!key.scopes.includes(opts.scope)) {
      throw new AppError(
        'insufficient_scope',
        `The API key "${key.name}" has the scopes ${key.scopes.join(', ') || '(none)'}; this needs ${opts.scope}.`,
        [{ field: 'scope', message: `needs ${opts.scope}` }],
      );
    }
    return { kind: 'apiKey', name: key.name };
  }
  if (opts.session) {
    const user = await currentUser();
    if (user) {
      assertSameSiteMutation(req, opts.accepts ?? JSON_BODY, env().NEXTAUTH_URL);
      if (opts.capability && !can(user.role, opts.capability)) {
        throw new AppError('forbidden', `The role ${user.role} may not do this.`);
      }
      return { kind: 'user', user };
    }
  }
  throw new AppError(
    'unauthorized',
    opts.apiKey ? 'Send an API key as "Authorization: Bearer <key>".' : 'Sign in first.',
  );
}
