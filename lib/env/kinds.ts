/** How lib/env's variables are declared and read: the declaration and the value kinds they share. */
import { z } from 'zod';

/** One variable: how to read it, and the README's row for it. */
export interface EnvVar<S extends z.ZodType = z.ZodType> {
  schema: S;
  /** What a wrong value is refused for: "expected <this>". */
  expected: string;
  /** The default as the README shows it. */
  default: string;
  /** Who reads it. */
  usedBy: string;
  /** One line: what it does. */
  description: string;
  /** Its value is never repeated in a message. */
  secret?: boolean;
}

export const v = <S extends z.ZodType>(spec: EnvVar<S>) => spec;

/** A whole number in [min, max], from its decimal digits only ("1e3", "10 " and "-1" are refused). */
export const wholeNumber = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/)
    .transform(Number)
    .refine((n) => n >= min && n <= max);

export const urlWith = (protocols: string[]) =>
  z.string().refine((s) => URL.canParse(s) && protocols.includes(new URL(s).protocol) && new URL(s).hostname !== '');

export const postgresUrl = urlWith(['postgres:', 'postgresql:']);
export const httpUrl = urlWith(['http:', 'https:']);
/** "1" on, "0" off. */
export const flag = z.enum(['0', '1']).transform((s) => s === '1');
