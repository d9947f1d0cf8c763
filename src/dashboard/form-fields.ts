import type { Context } from 'hono';
import type { DashboardEnv } from './dashboard-env.js';

/** The string fields of a posted form (files and repeated names are ignored). */
export async function formFields(c: Context<DashboardEnv>): Promise<Record<string, string>> {
  const body = await c.req.parseBody();
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(body)) {
    if (typeof value === 'string') fields[name] = value;
  }
  return fields;
}
