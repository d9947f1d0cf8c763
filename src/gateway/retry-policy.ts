import { GatewayError } from '../errors.js';

/**
 * Whether a failed attempt may go to the model's next deployment. Only ever asked before the
 * first byte of the answer reached the client; a started answer is never retried.
 * - The upstream was unreachable, timed out, overloaded or rate limiting (503): another
 *   deployment may well serve it.
 * - The operator's credential for that deployment was refused (500 upstream_auth_failed):
 *   another deployment has its own credential.
 * - A deployment without a credential is skipped.
 * - Anything the client's request caused (4xx) would fail the same way everywhere: no.
 */
export function canFallBack(error: unknown): boolean {
  if (!(error instanceof GatewayError)) return false;
  return error.status === 503 || error.code === 'upstream_auth_failed';
}
