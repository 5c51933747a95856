/**
 * An admin list declared once (STYLE habit 12): what it loads, its table columns, its CSV and API
 * fields, the form that adds or changes a row and the key that removes one, and who may do it.
 * components/admin/admin-list.tsx renders it, lib/admin/list-route.ts serves its API and CSV, and
 * lib/admin/list-actions.ts makes its server actions. No JSX here: a cell says what to show, the
 * component decides how.
 */
import type { z } from 'zod';
import type { Executor } from '@/db';
import type { Capability } from '@/lib/auth/permissions';
import type { ActionState } from '@/lib/http/action-state';
import { parseOrFail } from '@/lib/validation';

export type CellTone = 'neutral' | 'ok' | 'warn' | 'bad' | 'info';

/** What a table cell shows: text or a number (null is "—"), a timestamp, a badge, or text with a muted part. */
export type Cell =
  | string
  | number
  | null
  | { time: Date | string | null }
  | { badge: string; tone?: CellTone; detail?: string | null }
  | { text?: string; muted: string };

export interface Column<Row> {
  /** Names the column; a card may render it its own way under this key. */
  key: string;
  header: string;
  cell(row: Row): Cell;
  align?: 'right';
  className?: string;
}

/**
 * One input of the add/change form: a select of `options` (value or [value, label]), a group of
 * checkboxes of `choices` (those in `checked` ticked at first; the field is a list), else a text input.
 */
export interface FormField {
  name: string;
  label: string;
  options?: readonly (string | readonly [string, string])[];
  choices?: readonly (string | readonly [string, string])[];
  checked?: readonly string[];
  placeholder?: string;
  className?: string;
  type?: 'email' | 'password';
}

/** Adding or changing a row, from the API and from the form. */
export interface ListWrite<Input, Saved extends { created: boolean }> {
  /** The row as the API sends it; the form too, unless `formInput` is given. */
  input: z.ZodType<Input>;
  /** The form's fields when they differ from the API's (the units a tile shows), parsed to the same input. */
  formInput?: z.ZodType<Input>;
  /** What the API and the form say when a field is refused. */
  notSaved: string;
  save(db: Executor, input: Input): Promise<Saved>;
  /** What the form says once the row is saved. */
  said(input: Input, saved: Saved): string | ActionState;
  /** The form's inputs; a card with a form of its own leaves them out. */
  form?: { name: string; submit: string; fields: FormField[] };
}

/** Removing a row: by the API's query (?key=…) or the row's button, both parsed with `key`. */
export interface ListRemove<Row, Key> {
  key: z.ZodType<Key>;
  /** The API's message when the key is missing or malformed (400). */
  which: string;
  /** Removes it; a 404 AppError when there is no such row. */
  run(db: Executor, key: Key): Promise<unknown>;
  /** The key of a row, as the button posts it. */
  values(row: Row): Record<string, string | number>;
  /** The button's accessible name, when its text alone would not say which row. */
  label?(row: Row): string;
  verb?: string;
  /** Rows that can be removed (default: all). */
  when?(row: Row): boolean;
}

export interface AdminList<
  Row,
  Input = unknown,
  Saved extends { created: boolean } = { created: boolean },
  Key = unknown,
> {
  /** The address: /api/admin/<name>, /api/export/admin/<name>. */
  name: string;
  title: string;
  description: string;
  /** The table's name for screen readers. */
  caption: string;
  /** Shown instead of an empty table; without it the table shows with its header. */
  empty?: string;
  rowTestId: string;
  capability: Capability;
  load(db: Executor): Promise<Row[]>;
  rowKey(row: Row): string | number;
  rowTitle?(row: Row): string | undefined;
  columns: Column<Row>[];
  /** The fields the CSV and the API's GET give of each row, in order. */
  fields: readonly string[];
  csvFile: string;
  write?: ListWrite<Input, Saved>;
  remove?: ListRemove<Row, Key>;
  /** The list's JSON API (/api/admin/<name>): the key its rows go under, and the method that saves. */
  api?: { key: string; write: 'PUT' | 'POST'; hint: string; reply?(input: Input, saved: Saved): object };
}

/** Any list, as the generic route, actions and component take it. */
export type AnyAdminList = AdminList<unknown, unknown, { created: boolean }, unknown>;

/** Declares a list; its CSV and API fields must be fields of its rows. */
export function defineList<
  Row,
  Input = unknown,
  Saved extends { created: boolean } = { created: boolean },
  Key = unknown,
>(
  def: AdminList<Row, Input, Saved, Key> & { fields: readonly (keyof Row & string)[] },
): AdminList<Row, Input, Saved, Key> {
  return def;
}

/** A row by its CSV and API fields, dates as ISO 8601 UTC. */
export function pickFields(row: unknown, fields: readonly string[]): Record<string, unknown> {
  const r = row as Record<string, unknown>;
  return Object.fromEntries(fields.map((f) => [f, r[f] instanceof Date ? (r[f] as Date).toISOString() : r[f]]));
}

/** Saves a row from outside a form (the API, a script): validated as the API validates, else a 422 by field. */
export async function saveValue<I, S extends { created: boolean }>(
  write: ListWrite<I, S>,
  db: Executor,
  value: unknown,
): Promise<S> {
  return write.save(db, parseOrFail(write.input, value, write.notSaved));
}
