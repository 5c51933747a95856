import { headers } from 'next/headers';
import { AppShell } from '@/components/shell/app-shell';
import { capabilityForPath } from '@/lib/auth/permissions';
import { requireCapability } from '@/lib/auth/session';

export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  // Checked here, outside the loading boundary, so a refused page answers with a real 403 status
  // before anything streams. Every page checks again itself.
  const path = (await headers()).get('x-pathname') ?? '/';
  const user = await requireCapability(capabilityForPath(path));
  return <AppShell user={user}>{children}</AppShell>;
}
