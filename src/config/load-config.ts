import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { defaultHosts, defaultMaxBodyBytes, defaultModels, defaultTiers } from './defaults.js';
import { configFileSchema, configSchema, type ConfigFile, type GatewayConfig } from './schema.js';

/** The default config, with the file named by `JASYS_CONFIG` (JSON or YAML) merged over it. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const path = env.JASYS_CONFIG;
  if (!path) return mergeConfig({});
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read the config file ${path}: ${(error as Error).message}`);
  }
  return mergeConfig(parseConfigText(text, path));
}

export function parseConfigText(text: string, origin = 'config'): ConfigFile {
  let raw: unknown;
  try {
    raw = origin.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new Error(`${origin} is not valid JSON or YAML: ${(error as Error).message}`);
  }
  const parsed = configFileSchema.safeParse(raw ?? {});
  if (!parsed.success) throw new Error(`${origin}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** Merges a config file over the defaults and checks that every reference resolves. */
export function mergeConfig(file: ConfigFile): GatewayConfig {
  const tiers = structuredClone(defaultTiers);
  for (const [name, limits] of Object.entries(file.tiers ?? {})) {
    Object.assign(tiers[name as keyof typeof tiers], limits);
  }

  const hosts = structuredClone(defaultHosts);
  for (const [name, host] of Object.entries(file.hosts ?? {})) {
    hosts[name] = { ...hosts[name], ...host } as GatewayConfig['hosts'][string];
  }

  const models = new Map(defaultModels.map((m) => [m.id, structuredClone(m)]));
  for (const entry of file.models ?? []) {
    const base = models.get(entry.id);
    models.set(entry.id, {
      ...base,
      ...entry,
      aliases: entry.aliases ?? base?.aliases ?? [],
    } as GatewayConfig['models'][number]);
  }
  for (const [alias, target] of Object.entries(file.aliases ?? {})) {
    const model = models.get(target);
    if (!model) throw new Error(`alias ${alias} points at unknown model ${target}`);
    model.aliases.push(alias);
  }

  const parsed = configSchema.safeParse({
    tiers,
    hosts,
    models: [...models.values()],
    maxBodyBytes: file.maxBodyBytes ?? defaultMaxBodyBytes,
  });
  if (!parsed.success) throw new Error(`config: ${z.prettifyError(parsed.error)}`);
  for (const model of parsed.data.models) {
    for (const deployment of model.deployments) {
      if (!parsed.data.hosts[deployment.host]) {
        throw new Error(`model ${model.id} names unknown host ${deployment.host}`);
      }
    }
  }
  return parsed.data;
}
