/**
 * A real OpenID provider for the browser tests (the `oidc-provider` package with its development
 * login and consent pages), on loopback. playwright.config.ts points the app under test at it;
 * e2e/oidc.spec.ts starts it before its first sign-in (the app fetches the discovery document only
 * when someone signs in).
 */
import type { Server } from 'node:http';
import Provider from 'oidc-provider';

export const OIDC_PORT = 3391;
export const OIDC_ISSUER = `http://127.0.0.1:${OIDC_PORT}`;
export const OIDC_CLIENT_ID = 'sync-health-e2e';
export const OIDC_CLIENT_SECRET = 'e2e-oidc-client-secret-not-for-production';
export const OIDC_NAME = 'Test IdP';
/** The groups claim and its mapping to roles, as an operator would set them. */
export const OIDC_GROUP_ROLES = 'sh-admins=admin,sh-it=it';

/** The provider's people: the dev login page takes any password and the account id as the login. */
export const OIDC_ACCOUNTS = {
  'oidc-it': {
    email: 'oidc-it@example.com',
    email_verified: true,
    name: 'Ida Integration',
    groups: ['staff', 'sh-it'],
  },
  'oidc-unverified': {
    email: 'oidc-unverified@example.com',
    email_verified: false,
    name: 'Una Verified',
    groups: ['sh-admins'],
  },
} as const;

/** Starts the provider for an app at `appUrl`; resolves to a function that stops it. */
export async function startOidcProvider(appUrl: string): Promise<() => Promise<void>> {
  const provider = new Provider(OIDC_ISSUER, {
    clients: [
      {
        client_id: OIDC_CLIENT_ID,
        client_secret: OIDC_CLIENT_SECRET,
        redirect_uris: [`${appUrl}/api/auth/callback/oidc`],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    cookies: { keys: ['e2e-oidc-cookie-key-not-for-production'] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'groups'] },
    // next-auth reads the person from the ID token: put the scopes' claims in it, as Azure AD and Okta do.
    conformIdTokenClaims: false,
    async findAccount(_ctx, id) {
      const account = OIDC_ACCOUNTS[id as keyof typeof OIDC_ACCOUNTS];
      if (!account) return undefined;
      return { accountId: id, claims: async () => ({ sub: id, ...account, groups: [...account.groups] }) };
    },
  });
  const server: Server = await new Promise((resolve) => {
    const s = provider.listen(OIDC_PORT, '127.0.0.1', () => resolve(s));
  });
  return () => new Promise((resolve) => server.close(() => resolve()));
}
