import Link from 'next/link';
import type { Role } from '@/db/schema';
import { pagesFor } from '@/lib/auth/permissions';
import { SignOutButton } from '@/components/auth/sign-out-button';

export function AppShell({
  user,
  firingAlerts = 0,
  children,
}: {
  user: { email: string; name: string; role: Role };
  /** Alerts firing now, shown beside "Alerts" (SPEC 9: the nav shows a count). */
  firingAlerts?: number;
  children: React.ReactNode;
}) {
  const pages = pagesFor(user.role);
  return (
    <div className="min-h-screen">
      <header className="bg-slate-900 text-white">
        {/* On a phone the brand and the user share the first row and the pages wrap below them. */}
        <div className="mx-auto flex max-w-[1600px] flex-wrap items-center gap-x-6 gap-y-1 px-4 py-2">
          <Link href="/" className="text-base font-bold tracking-tight">
            Sync Health
          </Link>
          <nav
            aria-label="Main"
            className="order-last flex w-full flex-wrap gap-1 md:order-none md:mx-0 md:w-auto md:flex-1"
            data-testid="main-nav"
          >
            {pages.map((p) => (
              <Link
                key={p.href}
                href={p.href}
                className="rounded-md px-2.5 py-1.5 text-sm text-slate-300 hover:bg-slate-800 hover:text-white"
              >
                {p.label}
                {p.href === '/alerts' && firingAlerts > 0 ? (
                  <>
                    <span
                      data-testid="nav-firing-count"
                      className="ml-1.5 rounded-full bg-red-600 px-1.5 py-0.5 text-xs font-semibold text-white tabular-nums"
                    >
                      {firingAlerts}
                    </span>
                    <span className="sr-only"> firing</span>
                  </>
                ) : null}
              </Link>
            ))}
          </nav>
          <div className="ml-auto flex items-center gap-3" data-testid="user-menu">
            <span className="text-right text-xs leading-tight">
              <span className="block text-slate-100">{user.name}</span>
              <span className="block text-slate-300">
                <span className="hidden sm:inline">{user.email} · </span>
                <strong data-testid="user-role" className="font-medium text-slate-200">
                  {user.role}
                </strong>
              </span>
            </span>
            <SignOutButton />
          </div>
        </div>
      </header>
      <main className="mx-auto max-w-[1600px] px-4 py-6">{children}</main>
    </div>
  );
}
