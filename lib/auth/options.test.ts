import { describe, expect, it } from 'vitest';
import { parseEnv } from '@/lib/env';
import { emailUnverified, roleFromClaim } from '@/lib/auth/options';

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
