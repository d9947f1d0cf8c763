import { hash, verify } from '@node-rs/argon2';

/** Algorithm.Argon2id; a const enum, which isolated modules cannot import. */
const argon2id = 2;

/** argon2id with the library's defaults (19 MiB, 2 passes), the OWASP baseline. */
export function hashPassword(password: string): Promise<string> {
  return hash(password, { algorithm: argon2id });
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}
