import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseOptions } from '../../bench/lib/options.js';
import { runBench } from '../../bench/run.js';

// A benchmark is not a test: this only proves the harness still runs end to end and prints its
// table. No timing is asserted. The peer is skipped to keep it short.
describe('bench harness', () => {
  const outDir = mkdtempSync(join(tmpdir(), 'jasys-bench-test-'));
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('runs a tiny load configuration and writes a table with every scenario and target', async () => {
    const options = parseOptions([
      '--quick',
      '--targets',
      'upstream,bare,ours',
      '--ttfb-requests',
      '3',
      '--out',
      outDir,
    ]);
    const { markdown, file } = await runBench(options, () => {});

    expect(readFileSync(file, 'utf8').trim()).toBe(markdown.trim());
    expect(markdown).toContain(
      '| scenario | target | req/s | p50 ms | p99 ms | CPU µs/req | peak RSS MB | errors |',
    );
    for (const scenario of ['non-stream @1', 'non-stream @50', 'stream @1', 'stream @50']) {
      for (const target of ['upstream', 'bare', 'ours']) {
        expect(markdown).toMatch(new RegExp(`\\| ${scenario} \\| ${target} \\| \\d+ \\|`));
      }
    }
    expect(markdown).toMatch(/\| ours \| [\d.]+ \| [\d.]+ \| 3 \|/);
    expect(markdown).toContain('ours/bare');
    expect(markdown).toContain('ledger rows = requests that reached the upstream');
  }, 120_000);
});
