import { utcDay } from '../limits/utc-day.js';
import type { UsageReportRow } from '../usage/usage-report.js';

/** What the usage chart draws: one value per day and model, oldest day first. */
export interface UsageSeries {
  days: string[];
  models: string[];
  requests: Record<string, number[]>;
  tokens: Record<string, number[]>;
}

/** Spreads ledger rows over every day of the window, days without usage at zero. */
export function usageSeries(rows: UsageReportRow[], days: number, now: number): UsageSeries {
  const dayList = Array.from({ length: days }, (_, i) => utcDay(now - (days - 1 - i) * 86_400_000));
  const index = new Map(dayList.map((day, i) => [day, i]));
  const models = [...new Set(rows.map((r) => r.model))].sort();
  const requests: Record<string, number[]> = {};
  const tokens: Record<string, number[]> = {};
  for (const model of models) {
    requests[model] = new Array<number>(days).fill(0);
    tokens[model] = new Array<number>(days).fill(0);
  }
  for (const row of rows) {
    const i = index.get(row.day);
    if (i === undefined) continue;
    requests[row.model]![i]! += row.requests;
    tokens[row.model]![i]! += row.promptTokens + row.completionTokens;
  }
  return { days: dayList, models, requests, tokens };
}
