import { headers } from 'next/headers';
import { AppShell } from '@/components/shell/app-shell';
import { getDb } from '@/db';
import { firingCount } from '@/lib/alerts/queries';
import { can, capabilityForPath } from '@/lib/auth/permissions';
import { requireCapability } from '@/lib/auth/session';

export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  // Checked here, outside the loading boundary, so a refused page answers with a real 403 status
  // before anything streams. Every page checks again itself.
  const path = (await headers()).get('x-pathname') ?? '/';
  const user = await requireCapability(capabilityForPath(path));
  const firing = can(user.role, 'alerts.read') ? await firingCount(await getDb()) : 0;
  return (
    <AppShell user={user} firingAlerts={firing}>
      {children}
    </AppShell>
  );
}
