import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

/**
 * Summarises a V8 .cpuprofile (from `npm run bench -- --cpu-prof DIR`): the top functions by self
 * time, and by total time (self plus callees) for frames from our own src/.
 * Usage: node --import tsx bench/analyse-profile.ts FILE.cpuprofile [top=25]
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

// With --import tsx, Node writes one profile per thread: pass the main thread's (…0.001.cpuprofile).
const [file, topArg] = process.argv.slice(2);
if (!file) throw new Error('usage: analyse-profile.ts FILE.cpuprofile [top]');
const top = Number(topArg ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const node of profile.nodes)
  for (const child of node.children ?? []) parent.set(child, node.id);

// Self time per node, from the sample timeline (each delta belongs to the sample it precedes).
const selfUs = new Map<number, number>();
profile.samples.forEach((id, i) =>
  selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)),
);
const totalUs = [...selfUs.values()].reduce((a, b) => a + b, 0);
const idle = sumWhere((n) => n.callFrame.functionName === '(idle)');

const label = (n: ProfileNode): string => {
  const { functionName, url, lineNumber } = n.callFrame;
  const where = url
    ? `${relative(process.cwd(), url.replace('file://', ''))}:${lineNumber + 1}`
    : '';
  return `${functionName || '(anonymous)'} ${where}`.trim();
};

const self = new Map<string, number>();
for (const [id, us] of selfUs) {
  const node = byId.get(id)!;
  if (node.callFrame.functionName !== '(idle)') add(self, label(node), us);
}

// Total time per src/ frame: every sample counts once for each distinct src/ frame on its stack.
const inclusive = new Map<string, number>();
for (const [id, us] of selfUs) {
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const node = byId.get(at)!;
    if (!node.callFrame.url.includes('/src/')) continue;
    const name = label(node);
    if (!seen.has(name)) (seen.add(name), add(inclusive, name, us));
  }
}

const busy = totalUs - idle;
console.log(
  `profile: ${(totalUs / 1e6).toFixed(1)} s, busy ${(busy / 1e6).toFixed(1)} s ((idle) excluded)`,
);
print('self time, % of busy', self, top);
print('total time of src/ frames, % of busy', inclusive, top);

function print(title: string, table: Map<string, number>, count: number): void {
  console.log(`\n| ${title} | ms | % |\n|---|--:|--:|`);
  const rows = [...table].sort((a, b) => b[1] - a[1]).slice(0, count);
  for (const [name, us] of rows) {
    console.log(`| ${name} | ${(us / 1000).toFixed(0)} | ${((100 * us) / busy).toFixed(1)} |`);
  }
}

function add(map: Map<string, number>, key: string, us: number): void {
  map.set(key, (map.get(key) ?? 0) + us);
}

function sumWhere(test: (n: ProfileNode) => boolean): number {
  let sum = 0;
  for (const [id, us] of selfUs) if (test(byId.get(id)!)) sum += us;
  return sum;
}
