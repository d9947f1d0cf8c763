import { z } from 'zod';

export const tierNames = ['free', 'premium', 'enterprise'] as const;
export const tierSchema = z.enum(tierNames);
export type TierName = z.infer<typeof tierSchema>;

export const providerNames = ['openai', 'anthropic', 'google'] as const;
export const providerNameSchema = z.enum(providerNames);
export type ProviderName = z.infer<typeof providerNameSchema>;

const tierLimitsSchema = z.object({
  requestsPerMinute: z.number().int().positive(),
  requestsPerDay: z.number().int().positive(),
  tokensPerDay: z.number().int().positive(),
  /** Completion cap reserved and sent upstream when the client sets none. */
  defaultMaxTokens: z.number().int().positive(),
});
export type TierLimits = z.infer<typeof tierLimitsSchema>;

/** A named upstream host: which provider speaks its API, where it is, which credential. */
const hostSchema = z.object({
  provider: providerNameSchema,
  baseUrl: z.url(),
  /** Environment variable that overrides baseUrl. */
  baseUrlEnv: z.string().optional(),
  apiKey: z.string().optional(),
  /** Environment variable holding the credential; it wins over apiKey. */
  apiKeyEnv: z.string().optional(),
  /** Upstream timeout for the whole answer, in milliseconds. */
  timeoutMs: z.number().int().positive().optional(),
});
export type HostConfig = z.infer<typeof hostSchema>;

const deploymentSchema = z.object({
  host: z.string(),
  /** The model name the upstream knows. */
  model: z.string().min(1),
});
export type DeploymentConfig = z.infer<typeof deploymentSchema>;

const modelSchema = z.object({
  id: z.string().regex(/^[\w.-]+\/[\w.:-]+$/, 'a model id is provider/name'),
  tier: tierSchema,
  aliases: z.array(z.string()).default([]),
  deployments: z.array(deploymentSchema).min(1),
  ownedBy: z.string().optional(),
});
export type ModelConfig = z.infer<typeof modelSchema>;

export const configSchema = z.object({
  tiers: z.record(tierSchema, tierLimitsSchema),
  hosts: z.record(z.string(), hostSchema),
  models: z.array(modelSchema),
  /** Largest request body accepted, in bytes. */
  maxBodyBytes: z.number().int().positive(),
});
export type GatewayConfig = z.infer<typeof configSchema>;

/**
 * What a config file may say: every part optional. Tiers merge field by field, hosts by name,
 * models by id (a model given again replaces the default one), aliases add to the catalog.
 */
export const configFileSchema = z
  .object({
    tiers: z.partialRecord(tierSchema, tierLimitsSchema.partial()).optional(),
    hosts: z.record(z.string(), hostSchema.partial()).optional(),
    models: z
      .array(modelSchema.partial({ tier: true, deployments: true, aliases: true }))
      .optional(),
    aliases: z.record(z.string(), z.string()).optional(),
    maxBodyBytes: z.number().int().positive().optional(),
  })
  .strict();
export type ConfigFile = z.infer<typeof configFileSchema>;
