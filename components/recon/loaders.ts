/**
 * The reconciliation page's queries, each read once per request however many cards show it (the
 * summary feeds four cards). React's cache compares arguments by identity: the page hands every
 * card the same filters object.
 */
import 'server-only';
import { cache } from 'react';
import { getDb } from '@/db';
import { differenceSummary, listDifferences, listRuns, type DifferenceFilters } from '@/lib/recon/queries';

export const RUNS_SHOWN = 30;

export const runsOf = cache(async (facility: string | null) => listRuns(await getDb(), facility, RUNS_SHOWN));
export const summaryOf = cache(async (f: DifferenceFilters, money: boolean) =>
  differenceSummary(await getDb(), f, money),
);
export const differencesOf = cache(async (f: DifferenceFilters, money: boolean) =>
  listDifferences(await getDb(), f, money),
);
