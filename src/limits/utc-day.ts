const dayMs = 86_400_000;

let cachedDayNumber = Number.NaN;
let cachedDay = '';

/** The UTC calendar day of `now`, as `YYYY-MM-DD` (formatted once a day: it is on the hot path). */
export function utcDay(now: number): string {
  const dayNumber = Math.floor(now / dayMs);
  if (dayNumber !== cachedDayNumber) {
    cachedDay = new Date(dayNumber * dayMs).toISOString().slice(0, 10);
    cachedDayNumber = dayNumber;
  }
  return cachedDay;
}

/** Epoch milliseconds of the next 00:00 UTC after `now`. */
export function nextUtcMidnight(now: number): number {
  return (Math.floor(now / dayMs) + 1) * dayMs;
}
