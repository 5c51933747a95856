/** Field schemas more than one admin list uses. */
import { z } from 'zod';
import { NOT_STORABLE, storableText } from '@/lib/validation';

/** Optional text of at most `max` characters; an empty form field is no value (null). */
export const optionalText = (max: number) =>
  z
    .preprocess(
      (v) => (typeof v === 'string' && v.trim() === '' ? null : v),
      z.string().trim().max(max, `at most ${max} characters`).refine(storableText, NOT_STORABLE).nullable().optional(),
    )
    .transform((v) => v ?? null);

/** A part of a row's key, from the API's query or a Remove button: present and not empty, as sent. */
export const keyPart = (message = 'is required') => z.string({ message }).min(1, message);
