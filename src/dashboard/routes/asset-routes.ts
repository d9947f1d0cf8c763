import { Hono } from 'hono';
import { assetFile } from '../asset-files.js';
import type { DashboardEnv } from '../dashboard-env.js';

/** Styles and scripts of the pages, from this process only. */
export const assetRoutes = new Hono<DashboardEnv>();

assetRoutes.get('/:name', (c) => {
  const asset = assetFile(c.req.param('name'));
  if (!asset) return c.notFound();
  c.header('content-type', asset.type);
  c.header('cache-control', 'public, max-age=300');
  return c.body(new Uint8Array(asset.body));
});
