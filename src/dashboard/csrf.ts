import { randomBytes, timingSafeEqual } from 'node:crypto';

/** The form field and the header that carry the CSRF token. */
export const csrfField = '_csrf';
export const csrfHeader = 'x-csrf-token';

export function newCsrfToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Constant-time comparison of the expected token and the one the request sent. */
export function csrfTokenMatches(expected: string | undefined, sent: string | undefined): boolean {
  if (!expected || !sent) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(sent);
  return a.length === b.length && timingSafeEqual(a, b);
}

export interface OriginHeaders {
  origin: string | undefined;
  secFetchSite: string | undefined;
  host: string | undefined;
}

/**
 * A second line behind the token: browsers say where a request came from. A cross-site
 * `Sec-Fetch-Site` or an `Origin` of another host is refused; clients that send neither
 * (old browsers, curl) are judged by the token alone.
 */
export function sameOrigin(headers: OriginHeaders): boolean {
  const site = headers.secFetchSite;
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return false;
  if (headers.origin === undefined) return true;
  if (headers.origin === 'null') return false;
  try {
    return new URL(headers.origin).host === headers.host;
  } catch {
    return false;
  }
}
