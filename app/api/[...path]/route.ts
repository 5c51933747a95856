import { AppError } from '@/lib/errors';
import { handler } from '@/lib/http/route';

export const dynamic = 'force-dynamic';

/**
 * An address under /api that names no route: a 404 in SPEC 3's error shape, not Next's HTML page.
 * Any route of the app folder matches before this catch-all does.
 */
const notFound = handler(async () => {
  throw new AppError(
    'not_found',
    'No route answers at this address; the machine API is described at /api/v1/openapi.json.',
  );
});

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
export { notFound as OPTIONS };
