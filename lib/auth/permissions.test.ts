import { describe, expect, it } from 'vitest';
import { ROLES } from '@/db/schema';
import { can, capabilityForPath, LANDING, pagesFor } from './permissions';

describe('capability map', () => {
  it('maps page paths to the capability of their list', () => {
    expect(capabilityForPath('/')).toBe('overview.read');
    expect(capabilityForPath('/exceptions?state=open')).toBe('exceptions.read');
    expect(capabilityForPath('/exceptions/42')).toBe('exceptions.read');
    expect(capabilityForPath('/messages')).toBe('payloads.read');
    expect(capabilityForPath('/admin')).toBe('admin');
    expect(capabilityForPath('/administrator')).toBe('overview.read');
  });

  it('shows each role only the pages it may open', () => {
    expect(pagesFor('finance').map((p) => p.href)).toEqual([
      '/',
      '/review/daily',
      '/exceptions',
      '/alerts',
      '/reconciliation',
      '/corrections',
      '/master-data',
      '/tiles',
    ]);
    expect(pagesFor('it').map((p) => p.href)).toEqual([
      '/',
      '/review/daily',
      '/exceptions',
      '/alerts',
      '/reconciliation',
      '/master-data',
      '/messages',
      '/tiles',
      '/imports',
      '/api-docs',
    ]);
    expect(capabilityForPath('/master-data')).toBe('masterdata.read');
    expect(capabilityForPath('/alerts/12')).toBe('alerts.read');
    expect(capabilityForPath('/admin/alerts/rules')).toBe('admin');
    expect(capabilityForPath('/imports')).toBe('imports.run');
    expect((['ops', 'finance', 'it', 'manager', 'admin'] as const).filter((r) => can(r, 'imports.run'))).toEqual([
      'it',
      'admin',
    ]);
    expect(capabilityForPath('/review/daily')).toBe('overview.read');
    expect(pagesFor('admin').map((p) => p.href)).toContain('/admin');
    expect(can('ops', 'money.read')).toBe(false);
    expect(can('finance', 'money.read')).toBe(true);
    expect(can(null, 'overview.read')).toBe(false);
  });

  it('lands each role on its daily work, a page the role may open', () => {
    expect(LANDING).toMatchObject({ ops: '/exceptions', finance: '/reconciliation', it: '/exceptions?view=groups' });
    expect(LANDING).toMatchObject({ manager: '/', admin: '/' });
    for (const role of ROLES) expect(can(role, capabilityForPath(LANDING[role]))).toBe(true);
  });
});
