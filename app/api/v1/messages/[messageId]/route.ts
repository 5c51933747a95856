import { sql } from 'drizzle-orm';
import { rows } from '@/db';
import { authenticate } from '@/lib/auth/session';
import { AppError } from '@/lib/errors';
import { handler, json } from '@/lib/http/route';
import { readDb } from '@/lib/http/read';
import { otherMethods } from '@/lib/http/methods';
import { messageWithKeptById } from '@/lib/retention/kept';

export const dynamic = 'force-dynamic';

/** One stored message with its payload and raw error: IT and admin only (SPEC 7). */
export const GET = handler(async (req: Request, ctx: { params: Promise<{ messageId: string }> }) => {
  await authenticate(req, { apiKey: false, session: true, capability: 'payloads.read' });
  const { messageId } = await ctx.params;
  const [m] = await rows<Record<string, unknown>>(
    await readDb(),
    sql`select message_id as "messageId", tx_type as "txType", direction, facility, correlation_key as "correlationKey",
      line_key as "lineKey",
          sku, quantity::text as quantity, uom, lot, location, status, attempts, error_code as "errorCode",
            error_message as "errorMessage",
          created_at as "createdAt", processed_at as "processedAt", updated_at as "updatedAt", payload
        from ${messageWithKeptById(messageId)} m limit 1`,
  );
  if (!m) throw new AppError('not_found', `No message ${messageId}.`);
  return json(m);
});

/** Every other method: a 405 in SPEC 3's error shape, with `Allow` (lib/http/methods.ts). */
export const { OPTIONS, POST, PUT, PATCH, DELETE } = otherMethods({ GET });
