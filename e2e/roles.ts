import { ROLES, type Role } from '../db/schema';
import { DEMO_PASSWORD, demoEmail } from '../lib/bootstrap';

export { ROLES, DEMO_PASSWORD, demoEmail };
export type { Role };
export const storageStateFor = (role: Role) => `e2e/.auth/${role}.json`;
