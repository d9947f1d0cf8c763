import { tierAllows, type Catalog, type CatalogModel } from '../config/catalog.js';
import type { TierName } from '../config/schema.js';
import { GatewayError } from '../errors.js';

/** The catalog model a request names, if the caller's tier may call it. */
export function resolveModel(catalog: Catalog, name: string, tier: TierName): CatalogModel {
  const model = catalog.resolve(name);
  if (!model) {
    throw new GatewayError('model_not_found', `The model '${name}' does not exist.`, {
      param: 'model',
    });
  }
  if (!tierAllows(tier, model.tier)) {
    throw new GatewayError(
      'model_not_allowed',
      `The model '${model.id}' needs the ${model.tier} tier or higher; ` +
        `this account is on the ${tier} tier.`,
      { param: 'model' },
    );
  }
  return model;
}
