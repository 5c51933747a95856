import type { LoggerInstance, NextAuthOptions } from 'next-auth';
import type { OAuthConfig } from 'next-auth/providers/oauth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { eq, sql } from 'drizzle-orm';
import { getDb } from '@/db';
import { users, type Role } from '@/db/schema';
import { isRole } from '@/lib/auth/permissions';
import { env } from '@/lib/env';
import { clientAddress, throttledSignIn } from '@/lib/auth/throttle';
import { accessNow, checkCredentials } from '@/lib/auth/users';
import { safeCallbackPath } from '@/lib/auth/callback';
import { logError } from '@/lib/log';

/**
 * An OpenID Connect provider (Azure AD, Okta, Keycloak…) switched on by OIDC_ISSUER,
 * OIDC_CLIENT_ID and OIDC_CLIENT_SECRET. The role comes from the `users` table by email, else
 * from the claim OIDC_ROLE_CLAIM (default `roles`; through OIDC_GROUP_ROLES when set), else
 * OIDC_DEFAULT_ROLE; with none, sign-in is refused. An email the provider says is not verified is
 * refused (providers that do not send `email_verified`, such as Azure AD, are taken at their word).
 */
function oidcProvider(): OAuthConfig<Record<string, unknown>> | null {
  const { OIDC_ISSUER: issuer, OIDC_CLIENT_ID: clientId, OIDC_CLIENT_SECRET: clientSecret, OIDC_NAME } = env();
  if (!issuer || !clientId || !clientSecret) return null;
  return {
    id: 'oidc',
    name: OIDC_NAME,
    type: 'oauth',
    wellKnown: `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`,
    clientId,
    clientSecret,
    authorization: { params: { scope: 'openid email profile' } },
    idToken: true,
    checks: ['pkce', 'state'],
    profile(profile) {
      const email = String(profile.email ?? profile.preferred_username ?? profile.upn ?? '');
      return { id: String(profile.sub), email, name: String(profile.name ?? email) };
    },
  };
}

export const oidcEnabled = () => oidcProvider() !== null;

async function roleForOidc(email: string, profile: Record<string, unknown> | undefined): Promise<Role | null> {
  const db = await getDb();
  const [known] = await db
    .select({ role: users.role, disabled: users.disabled })
    .from(users)
    .where(eq(sql`lower(${users.email})`, email.toLowerCase()));
  if (known) return known.disabled ? null : known.role;
  return roleFromClaim(profile?.[env().OIDC_ROLE_CLAIM], env().OIDC_GROUP_ROLES) ?? env().OIDC_DEFAULT_ROLE ?? null;
}

/**
 * The role a roles/groups claim gives: with a group mapping, the first pair (in the setting's
 * order) whose group the claim holds, and nothing else; without one, the first value that is a role.
 */
export function roleFromClaim(claim: unknown, groupRoles: readonly (readonly [string, Role])[]): Role | null {
  const values = (Array.isArray(claim) ? claim : [claim]).filter((c): c is string => typeof c === 'string');
  if (groupRoles.length) return groupRoles.find(([group]) => values.includes(group))?.[1] ?? null;
  return values.find(isRole) ?? null;
}

/** `email_verified` as providers send it: a boolean, or (Cognito and others) the text "false". */
export const emailUnverified = (profile: Record<string, unknown> | undefined) =>
  profile?.email_verified === false || profile?.email_verified === 'false';

const errorOf = (metadata: unknown): unknown =>
  metadata instanceof Error ? metadata : ((metadata as { error?: unknown } | undefined)?.error ?? undefined);

/** next-auth's logger without data: its code (`OAUTH_CALLBACK_ERROR`, …) and the error's class. */
export const nextAuthLogger: LoggerInstance = {
  error: (code, metadata) => logError('next-auth', { code: String(code).slice(0, 60) }, errorOf(metadata)),
  warn: (code) => logError('next-auth', { warning: String(code).slice(0, 60) }),
  debug: () => {},
};

export function authOptions(): NextAuthOptions {
  const oidc = oidcProvider();
  return {
    secret: env().NEXTAUTH_SECRET,
    session: { strategy: 'jwt', maxAge: 12 * 60 * 60 },
    // One rule for the cookie name, shared with the proxy's getToken: secure only behind https.
    useSecureCookies: env().NEXTAUTH_URL?.startsWith('https://') ?? false,
    pages: { signIn: '/login', error: '/login' },
    // next-auth's own logger prints an error's message and metadata (a provider's response, a
    // token endpoint's body): its errors go through lib/log.ts as a code and a class instead.
    logger: nextAuthLogger,
    providers: [
      CredentialsProvider({
        id: 'credentials',
        name: 'Email and password',
        credentials: { email: { label: 'Email', type: 'email' }, password: { label: 'Password', type: 'password' } },
        // A SignInLocked thrown here reaches the login page as `?error=<its message>`.
        async authorize(credentials, req) {
          if (!credentials?.email || !credentials.password) return null;
          const { email, password } = credentials;
          const db = await getDb();
          const attempt = { email, address: clientAddress(req?.headers) };
          const user = await throttledSignIn(db, attempt, () => checkCredentials(db, email, password));
          if (!user) return null;
          return { id: String(user.id), email: user.email, name: user.name, role: user.role };
        },
      }),
      ...(oidc ? [oidc] : []),
    ],
    callbacks: {
      // next-auth's default keeps any URL that starts with "/" or has baseUrl's origin; ours keeps
      // only what the login page keeps (lib/auth/callback.ts), else the login page, which sends a
      // signed-in user on to their role's landing page.
      async redirect({ url, baseUrl }) {
        return `${baseUrl}${safeCallbackPath(url, baseUrl) ?? '/login'}`;
      },
      async signIn({ user, account, profile }) {
        if (account?.provider !== 'oidc') return true;
        const claims = profile as Record<string, unknown> | undefined;
        if (emailUnverified(claims)) return '/login?error=EmailUnverified';
        const role = await roleForOidc(user.email ?? '', claims);
        if (!role) return '/login?error=NoRole';
        (user as { role?: Role }).role = role;
        return true;
      },
      async jwt({ token, user }) {
        if (user) {
          token.role = (user as { role?: Role }).role;
          token.signedInAt = Date.now();
          return token;
        }
        // A session carries its role for hours: the users table has the last word, so an admin's
        // change of role, or switching an account off, holds at the next request, and a session
        // from before an account was switched off stays void when it is switched on again.
        // Someone signed in by a single sign-on claim alone (no row) keeps the claim's role.
        if (token.email) {
          const now = await accessNow(await getDb(), token.email, token.signedInAt);
          if (now !== undefined) token.role = now ?? undefined;
        }
        return token;
      },
      async session({ session, token }) {
        if (session.user) {
          session.user.role = isRole(token.role) ? token.role : undefined;
          session.user.email = token.email ?? session.user.email;
        }
        return session;
      },
    },
  };
}
