import { tierNames, type GatewayConfig, type ProviderName, type TierName } from './schema.js';

/** One way to serve a model, with its host's URL and credential resolved. */
export interface Deployment {
  host: string;
  provider: ProviderName;
  /** Model name sent upstream. */
  model: string;
  baseUrl: string;
  /** Undefined when no credential is configured; `credentialEnv` names what to set. */
  apiKey: string | undefined;
  credentialEnv: string | undefined;
  timeoutMs: number;
}

export interface CatalogModel {
  id: string;
  tier: TierName;
  aliases: readonly string[];
  ownedBy: string;
  deployments: readonly Deployment[];
}

const defaultTimeoutMs = 600_000;

/** Models by id and alias, resolved against the environment once at start. */
export class Catalog {
  readonly models: readonly CatalogModel[];
  readonly #byName = new Map<string, CatalogModel>();

  constructor(config: GatewayConfig, env: NodeJS.ProcessEnv = process.env) {
    this.models = config.models.map((m) => ({
      id: m.id,
      tier: m.tier,
      aliases: m.aliases,
      ownedBy: m.ownedBy ?? m.id.slice(0, m.id.indexOf('/')),
      deployments: m.deployments.map((d) => {
        const host = config.hosts[d.host]!;
        return {
          host: d.host,
          provider: host.provider,
          model: d.model,
          baseUrl: trimSlash((host.baseUrlEnv && env[host.baseUrlEnv]) || host.baseUrl),
          apiKey: (host.apiKeyEnv && env[host.apiKeyEnv]) || host.apiKey || undefined,
          credentialEnv: host.apiKeyEnv,
          timeoutMs: host.timeoutMs ?? defaultTimeoutMs,
        };
      }),
    }));
    for (const model of this.models) {
      this.#byName.set(model.id, model);
      for (const alias of model.aliases) {
        if (!this.#byName.has(alias)) this.#byName.set(alias, model);
      }
    }
  }

  /** The model a public id or alias names, if any. */
  resolve(name: string): CatalogModel | undefined {
    return this.#byName.get(name);
  }

  /** Models a tier may call: its own and those of every lower tier. */
  allowedFor(tier: TierName): CatalogModel[] {
    return this.models.filter((m) => tierAllows(tier, m.tier));
  }
}

/** Whether an account on `tier` may call a model that needs `needed`. */
export function tierAllows(tier: TierName, needed: TierName): boolean {
  return tierNames.indexOf(tier) >= tierNames.indexOf(needed);
}

function trimSlash(url: string): string {
  return url.endsWith('/') ? url.slice(0, -1) : url;
}
