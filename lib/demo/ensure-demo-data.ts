import type { Db } from '@/db';

/** Loads simulated demo traffic into an empty demo database (the simulator lands separately). */
export async function ensureDemoData(db: Db): Promise<void> {
  void db;
}
