import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The package root, from `src/dashboard/` (tests) and `dist/dashboard/` (built) alike: the
 * build is plain `tsc`, which copies no assets, so they are read from `src/dashboard/assets`.
 */
const packageRoot = fileURLToPath(new URL('../../', import.meta.url));
const ownAssets = join(packageRoot, 'src', 'dashboard', 'assets');

/** Chart.js's UMD build, served from node_modules so the page needs no other host. */
function chartJsFile(): string {
  const main = createRequire(import.meta.url).resolve('chart.js');
  return join(dirname(main), 'chart.umd.min.js');
}

const files: Record<string, { path: () => string; type: string }> = {
  'app.css': { path: () => join(ownAssets, 'app.css'), type: 'text/css; charset=utf-8' },
  'app.js': { path: () => join(ownAssets, 'app.js'), type: 'text/javascript; charset=utf-8' },
  'usage-chart.js': {
    path: () => join(ownAssets, 'usage-chart.js'),
    type: 'text/javascript; charset=utf-8',
  },
  'chart.umd.min.js': { path: chartJsFile, type: 'text/javascript; charset=utf-8' },
};

export interface Asset {
  body: Buffer;
  type: string;
}

const loaded = new Map<string, Asset>();

/** A dashboard asset by file name, read once; undefined for any other name. */
export function assetFile(name: string): Asset | undefined {
  const file = Object.hasOwn(files, name) ? files[name] : undefined;
  if (!file) return undefined;
  let asset = loaded.get(name);
  if (!asset) {
    asset = { body: readFileSync(file.path()), type: file.type };
    loaded.set(name, asset);
  }
  return asset;
}
