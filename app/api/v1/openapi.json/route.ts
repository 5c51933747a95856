import { openApiDocument } from '@/lib/api/openapi';
import { alertsOpenApi } from '@/lib/alerts/openapi';
import { otherMethods } from '@/lib/http/methods';

export const dynamic = 'force-static';

export function GET() {
  return Response.json(openApiDocument('/', alertsOpenApi()));
}

/** Every other method: a 405 in SPEC 3's error shape, with `Allow` (lib/http/methods.ts). */
export const { OPTIONS, POST, PUT, PATCH, DELETE } = otherMethods({ GET });
