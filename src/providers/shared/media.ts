import { GatewayError } from '../../errors.js';

/** An image (or other media) the client sent inline, with its type checked against its bytes. */
export interface InlineMedia {
  mediaType: string;
  /** Base64, as received (never re-encoded). */
  data: string;
}

const dataUrlPattern = /^data:([^;,]*)((?:;[^;,]*)*?);base64,(.*)$/s;

/**
 * Parses a `data:<type>;base64,<data>` URL. The media type is taken from the bytes when they
 * are a format we recognise, since clients often declare png for a jpeg (and providers then
 * reject the image as corrupt). Only base64 data URLs are accepted.
 */
export function parseDataUrl(url: string, param: string): InlineMedia {
  const match = dataUrlPattern.exec(url);
  if (!match) {
    throw new GatewayError('invalid_parameter', 'An inline file must be a base64 data URL.', {
      param,
    });
  }
  const declared = (match[1] ?? '').trim().toLowerCase();
  const data = (match[3] ?? '').trim();
  const sniffed = sniffMediaType(data);
  return { mediaType: sniffed ?? declared, data };
}

/** The media type the first bytes show, for the formats providers take; undefined otherwise. */
export function sniffMediaType(base64: string): string | undefined {
  const head = Buffer.from(base64.slice(0, 24), 'base64');
  const ascii = (from: number, to: number) => head.subarray(from, to).toString('latin1');
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg';
  if (ascii(0, 8) === '\x89PNG\r\n\x1a\n') return 'image/png';
  if (ascii(0, 6) === 'GIF87a' || ascii(0, 6) === 'GIF89a') return 'image/gif';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp';
  if (ascii(4, 8) === 'ftyp') {
    const brand = ascii(8, 12);
    if (['heic', 'heix', 'heim', 'heis'].includes(brand)) return 'image/heic';
    if (['mif1', 'msf1', 'heif'].includes(brand)) return 'image/heif';
  }
  if (ascii(0, 5) === '%PDF-') return 'application/pdf';
  return undefined;
}

/** Refuses a part whose media type the provider does not take, naming the part. */
export function unsupportedMedia(provider: string, what: string, param: string): GatewayError {
  return new GatewayError(
    'invalid_parameter',
    `${provider} does not accept ${what} in a message.`,
    { param },
  );
}

/** The media type an https URL's file extension suggests, for providers that want one. */
export function mediaTypeFromUrl(url: string): string | undefined {
  let path: string;
  try {
    path = new URL(url).pathname.toLowerCase();
  } catch {
    return undefined;
  }
  const extension = path.slice(path.lastIndexOf('.') + 1);
  const types: Record<string, string> = {
    jpg: 'image/jpeg',
    jpeg: 'image/jpeg',
    png: 'image/png',
    gif: 'image/gif',
    webp: 'image/webp',
    heic: 'image/heic',
    heif: 'image/heif',
  };
  return types[extension];
}
