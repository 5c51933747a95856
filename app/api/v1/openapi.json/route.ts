import { openApiDocument } from '@/lib/api/openapi';
import { alertsOpenApi } from '@/lib/alerts/openapi';

export const dynamic = 'force-static';

export function GET() {
  return Response.json(openApiDocument('/', alertsOpenApi()));
}
