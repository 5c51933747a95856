import { PageHeader } from '@/components/ui/page-header';
import { requireCapability } from '@/lib/auth/session';

export default async function OverviewPage() {
  await requireCapability('overview.read');
  return <PageHeader title="Overview" description="KPI tiles and trends." />;
}
