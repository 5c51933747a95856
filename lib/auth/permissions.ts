/**
 * The access matrix of SPEC section 7 as a typed capability map. Pure: used by server guards,
 * by the navigation (which only hides what the server refuses anyway) and by tests.
 */
import { ROLES, type Role } from '@/db/schema';

export type Capability =
  | 'overview.read' // tiles, overview, reviews
  | 'exceptions.read'
  | 'exceptions.act'
  | 'payloads.read' // payloads, raw errors, quarantine, message log
  | 'money.read' // unit cost, value
  | 'reconciliation.read'
  | 'reconciliation.run'
  | 'masterdata.read'
  | 'corrections.read'
  | 'imports.run' // imports from files (SPEC 10) and mapping profiles
  | 'alerts.read' // alerts: see (SPEC 7, 9)
  | 'alerts.act' // alerts: acknowledge (SPEC 9: ops, it or admin)
  | 'admin'; // admin pages, API keys

const ALL: Capability[] = [
  'overview.read',
  'exceptions.read',
  'exceptions.act',
  'payloads.read',
  'money.read',
  'reconciliation.read',
  'reconciliation.run',
  'masterdata.read',
  'corrections.read',
  'imports.run',
  'alerts.read',
  'alerts.act',
  'admin',
];

export const PERMISSIONS: Record<Role, ReadonlySet<Capability>> = {
  ops: new Set<Capability>([
    'overview.read',
    'exceptions.read',
    'exceptions.act',
    'reconciliation.read',
    'reconciliation.run',
    'masterdata.read',
    'corrections.read',
    'alerts.read',
    'alerts.act',
  ]),
  finance: new Set<Capability>([
    'overview.read',
    'exceptions.read',
    'money.read',
    'reconciliation.read',
    'reconciliation.run',
    'masterdata.read',
    'corrections.read',
    'alerts.read',
  ]),
  it: new Set<Capability>([
    'overview.read',
    'exceptions.read',
    'exceptions.act',
    'payloads.read',
    'reconciliation.read',
    'masterdata.read',
    'imports.run',
    'alerts.read',
    'alerts.act',
  ]),
  manager: new Set<Capability>([
    'overview.read',
    'exceptions.read',
    'money.read',
    'reconciliation.read',
    'corrections.read',
    'alerts.read',
  ]),
  admin: new Set<Capability>(ALL),
};

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function can(role: Role | null | undefined, capability: Capability): boolean {
  return !!role && PERMISSIONS[role].has(capability);
}

/**
 * Each role's daily work: where signing in leads a user who did not ask for a page. Ops work the
 * queue, finance the reconciliation, IT the failures by group; managers and admins start from the
 * overview. Every other page stays open to the role as PERMISSIONS says.
 */
export const LANDING: Record<Role, string> = {
  ops: '/exceptions',
  finance: '/reconciliation',
  it: '/exceptions?view=groups',
  manager: '/',
  admin: '/',
};

/**
 * The pages of SPEC section 6 and the capability each needs. "Reviews" opens the daily review,
 * whose tabs lead to the weekly and monthly ones.
 */
export const PAGES = [
  { href: '/', label: 'Overview', capability: 'overview.read' },
  { href: '/review/daily', label: 'Reviews', capability: 'overview.read' },
  { href: '/exceptions', label: 'Exceptions', capability: 'exceptions.read' },
  { href: '/alerts', label: 'Alerts', capability: 'alerts.read' },
  { href: '/reconciliation', label: 'Reconciliation', capability: 'reconciliation.read' },
  { href: '/corrections', label: 'Corrections', capability: 'corrections.read' },
  { href: '/master-data', label: 'Master data', capability: 'masterdata.read' },
  { href: '/messages', label: 'Messages', capability: 'payloads.read' },
  { href: '/tiles', label: 'Wall tiles', capability: 'overview.read' },
  { href: '/imports', label: 'Imports', capability: 'imports.run' },
  { href: '/api-docs', label: 'API', capability: 'payloads.read' },
  { href: '/admin', label: 'Admin', capability: 'admin' },
] as const satisfies readonly { href: string; label: string; capability: Capability }[];

export function pagesFor(role: Role) {
  return PAGES.filter((p) => can(role, p.capability));
}

/** The capability a page path needs: the longest matching page prefix (a detail page inherits its list's). */
export function capabilityForPath(pathname: string): Capability {
  const path = pathname.split('?')[0];
  let best: (typeof PAGES)[number] | undefined;
  for (const p of PAGES) {
    const match = p.href === '/' ? path === '/' : path === p.href || path.startsWith(p.href + '/');
    if (match && (!best || p.href.length > best.href.length)) best = p;
  }
  return best?.capability ?? 'overview.read';
}
