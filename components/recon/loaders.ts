/**
 * The reconciliation page's queries, each read once per request however many cards show it (the
 * summary feeds four cards). React's cache compares arguments by identity: the page hands every
 * card the same filters object.
 */
import 'server-only';
import { cache } from 'react';
import { differenceSummary, listDifferences, listRuns, type DifferenceFilters } from '@/lib/recon/queries';
import { readDb } from '@/lib/http/read';

export const RUNS_SHOWN = 30;

export const runsOf = cache(async (facility: string | null) => listRuns(await readDb(), facility, RUNS_SHOWN));
export const summaryOf = cache(async (f: DifferenceFilters, money: boolean) =>
  differenceSummary(await readDb(), f, money),
);
export const differencesOf = cache(async (f: DifferenceFilters, money: boolean) =>
  listDifferences(await readDb(), f, money),
);
