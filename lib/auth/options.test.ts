import { describe, expect, it, vi } from 'vitest';
import { parseEnv } from '@/lib/env';
import { emailUnverified, nextAuthLogger, roleFromClaim } from '@/lib/auth/options';

describe('single sign-on: roles from a claim, unverified emails', () => {
  it('reads OIDC_GROUP_ROLES as group=role pairs, in order, and refuses a role that does not exist', () => {
    expect(parseEnv({}).OIDC_GROUP_ROLES).toEqual([]);
    expect(parseEnv({ OIDC_GROUP_ROLES: 'sh-admins=admin, sh-it=it,CN=a=b=ops' }).OIDC_GROUP_ROLES).toEqual([
      ['sh-admins', 'admin'],
      ['sh-it', 'it'],
      ['CN=a=b', 'ops'],
    ]);
    for (const bad of ['sh-admins=owner', 'sh-admins', '=admin'])
      expect(() => parseEnv({ OIDC_GROUP_ROLES: bad })).toThrow(/OIDC_GROUP_ROLES=.*expected comma-separated/);
  });

  it('maps groups to roles by the first matching pair; without a mapping, takes role names', () => {
    const mapping = parseEnv({ OIDC_GROUP_ROLES: 'sh-admins=admin,sh-it=it' }).OIDC_GROUP_ROLES;
    expect(roleFromClaim(['staff', 'sh-it'], mapping)).toBe('it');
    expect(roleFromClaim(['sh-it', 'sh-admins'], mapping)).toBe('admin');
    expect(roleFromClaim('sh-it', mapping)).toBe('it');
    // With a mapping, a group that happens to be named like a role gives nothing.
    expect(roleFromClaim(['admin'], mapping)).toBeNull();
    expect(roleFromClaim(undefined, mapping)).toBeNull();
    expect(roleFromClaim(['staff', 'finance'], [])).toBe('finance');
    expect(roleFromClaim([{ name: 'admin' }], [])).toBeNull();
  });

  it('refuses an email the provider says is unverified, and only then', () => {
    expect(emailUnverified({ email_verified: false })).toBe(true);
    expect(emailUnverified({ email_verified: 'false' })).toBe(true);
    expect(emailUnverified({ email_verified: true })).toBe(false);
    expect(emailUnverified({})).toBe(false);
  });
});

describe("next-auth's logger", () => {
  it('logs the code and the error class, never the message or the metadata', () => {
    const lines: string[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void lines.push(a.join(' ')));
    try {
      const err = new Error('token endpoint said: {"access_token":"eyJ-secret"}');
      nextAuthLogger.error('OAUTH_CALLBACK_ERROR', { error: err, providerId: 'oidc', message: 'eyJ-secret' } as never);
      nextAuthLogger.warn('NEXTAUTH_URL');
    } finally {
      spy.mockRestore();
    }
    const all = lines.join('\n');
    expect(all).toContain('[next-auth] code=OAUTH_CALLBACK_ERROR error=Error');
    expect(all).toContain('[next-auth] warning=NEXTAUTH_URL');
    expect(all).not.toContain('eyJ-secret');
  });
});
