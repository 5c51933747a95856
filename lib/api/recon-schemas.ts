/**
 * The v1 contract of snapshots and reconciliations beyond their rows (SPEC 3.2, SPEC 10): the
 * snapshot answer and its CSV options, a run's request (with its SKU matching override), its state
 * and its differences.
 */
import { z } from 'zod';
import { SYSTEMS } from '@/db/schema';
import { text } from '@/lib/api/schemas';
import { NOT_STORABLE, storableText } from '@/lib/validation';

export const snapshotResult = z
  .object({
    id: z.number(),
    system: z.enum(SYSTEMS),
    facility: z.string(),
    takenAt: z.string(),
    rows: z.number(),
    unchanged: z.boolean().meta({
      description: 'True when the same snapshot (same rows) was stored already: `id` is that one; nothing was written.',
    }),
    warnings: z.array(z.object({ row: z.number().int(), message: z.string() })).meta({
      description:
        'What was stored as sent but deserves a look (first 1,000): negative quantities, and rows repeating the sku, ' +
        'location and lot of an earlier row (their quantities are summed). `row`: the line in a CSV file (the header ' +
        "is line 1), the index in a JSON body's rows.",
    }),
    warningCount: z.number().int().meta({ description: 'All warnings, listed or not.' }),
  })
  .meta({ id: 'SnapshotResult' });

/** The query options of a CSV snapshot (SPEC 10), besides system, facility, takenAt and col.<field>. */
export const snapshotCsvOptions = z.object({
  'default.uom': z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(20, 'at most 20 characters')
    .refine(storableText, NOT_STORABLE)
    .optional()
    .meta({
      description:
        "The UOM of rows without one (no UOM column, or an empty cell); without it, the ERP item master's base UOM " +
        'of the SKU. A row that neither gives a UOM rejects the snapshot (422, naming this option).',
    }),
  decimal: z
    .enum(['.', ','], { message: 'must be . or ,' })
    .default('.')
    .meta({ description: 'The decimal separator of quantities: `,` reads `1,5` as 1.5.' }),
});

const skuMatchingOverride = z
  .object({
    ignoreCase: z.boolean().optional(),
    ignoreSeparators: z.boolean().optional(),
    ignoreLeadingZeros: z.boolean().optional(),
  })
  .strict()
  .meta({
    description:
      'How SKUs are compared (surrounding spaces are always ignored): ignore case; ignore the separators - _ . / and ' +
      'spaces inside the code; ignore leading zeros.',
  });

export const reconciliationRequest = z
  .object({
    facility: text(64),
    skuMatching: skuMatchingOverride.optional().meta({
      description: "Overrides the facility's SKU matching rules for this run; a rule left out keeps the facility's.",
    }),
  })
  .meta({ id: 'ReconciliationRequest' });

export const reconciliationStatus = z
  .object({
    id: z.number(),
    facility: z.string(),
    status: z.enum(['queued', 'running', 'succeeded', 'failed']),
    progress: z.number().min(0).max(1),
    counts: z.record(z.string(), z.number()),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
    error: z.string().nullable(),
    skuMatching: z
      .object({ ignoreCase: z.boolean(), ignoreSeparators: z.boolean(), ignoreLeadingZeros: z.boolean() })
      .nullable()
      .meta({ description: 'The SKU matching rules the run compared with.' }),
    matchedByRule: z
      .number()
      .int()
      .nullable()
      .meta({
        description:
          'How many ERP/WMS row pairs matched only thanks to a SKU matching rule (their SKUs differ as written); ' +
          'null until compared.',
      }),
  })
  .meta({ id: 'Reconciliation' });

/** One difference of a run, as GET /api/v1/reconciliations/:id/differences lists it. */
export const reconciliationDifference = z
  .object({
    id: z.number().int(),
    kind: z.enum(['missing_in_erp', 'missing_in_wms', 'quantity', 'uom', 'lot', 'location']),
    sku: z
      .string()
      .meta({ description: "The item: the ERP item master's code when it knows it, else the SKU as written." }),
    erpSku: z.string().nullable().meta({ description: 'The SKU as written in the ERP snapshot (null: no ERP row).' }),
    wmsSku: z.string().nullable().meta({ description: 'The SKU as written in the WMS snapshot (null: no WMS row).' }),
    location: z.string().nullable(),
    lot: z.string().nullable(),
    wmsLocation: z.string().nullable(),
    wmsLot: z.string().nullable(),
    erpUoms: z.string().nullable(),
    wmsUoms: z.string().nullable(),
    erpQuantity: z.string().nullable().meta({ description: 'Base units.' }),
    wmsQuantity: z.string().nullable().meta({ description: 'Base units.' }),
    delta: z.string().meta({ description: 'WMS minus ERP, base units.' }),
    suspectedSource: z.string(),
  })
  .meta({ id: 'ReconciliationDifference' });
