import { utcDay } from '../limits/utc-day.js';
import type { Db } from '../store/open-store.js';

export interface UsageReportRow {
  day: string;
  model: string;
  requests: number;
  promptTokens: number;
  completionTokens: number;
  failed: number;
}

/** Ledger totals of an account per UTC day and model, for the last `days` days (today too). */
export async function usageReport(
  db: Db,
  accountId: string,
  days: number,
  now = Date.now(),
): Promise<UsageReportRow[]> {
  const since = utcDay(now - (days - 1) * 86_400_000);
  const rows = await db
    .selectFrom('ledger')
    .select((eb) => [
      'day',
      'model',
      eb.fn.countAll<number>().as('requests'),
      eb.fn.sum<number>('prompt_tokens').as('promptTokens'),
      eb.fn.sum<number>('completion_tokens').as('completionTokens'),
      eb.fn.sum<number>(eb.case().when('status', '!=', 'ok').then(1).else(0).end()).as('failed'),
    ])
    .where('account_id', '=', accountId)
    .where('day', '>=', since)
    .groupBy(['day', 'model'])
    .orderBy('day', 'desc')
    .orderBy('model')
    .execute();
  return rows.map((r) => ({
    day: r.day,
    model: r.model,
    requests: Number(r.requests),
    promptTokens: Number(r.promptTokens),
    completionTokens: Number(r.completionTokens),
    failed: Number(r.failed),
  }));
}
