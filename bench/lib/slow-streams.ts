import type { SlowOptions } from './options.js';

export interface SlowResult { x: number }
export async function runSlowStreams(_o: SlowOptions, _log: (l: string) => void): Promise<SlowResult> { return { x: 1 }; }
export function renderSlowStreams(_r: SlowResult, _o: SlowOptions, _d: Date): string { return ''; }
