/** `2026-12-03 14:05 UTC`: days and limits are UTC, so times are shown in UTC too. */
export function formatTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return 'never';
  return `${new Date(Number(ms)).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** `12,345` */
export function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}

/** `5 h 3 min` from now until `at`. */
export function formatIn(at: number, now: number): string {
  const minutes = Math.max(0, Math.ceil((at - now) / 60_000));
  const hours = Math.floor(minutes / 60);
  return hours > 0 ? `${hours} h ${minutes % 60} min` : `${minutes} min`;
}
