import { z } from 'zod';

export const minPasswordLength = 10;
/** argon2 hashes whatever it gets; a bound keeps one request from costing seconds. */
const maxPasswordLength = 1024;

/** A sign-up or sign-in form, parsed at the edge. */
export const credentialsSchema = z.object({
  email: z
    .string()
    .trim()
    .max(254, 'That email is too long.')
    .pipe(z.email('Enter a valid email address.')),
  password: z.string().max(maxPasswordLength, `Use at most ${maxPasswordLength} characters.`),
});

export const signupSchema = credentialsSchema.extend({
  password: z
    .string()
    .min(minPasswordLength, `Use a password of at least ${minPasswordLength} characters.`)
    .max(maxPasswordLength, `Use at most ${maxPasswordLength} characters.`),
});

export type Credentials = z.infer<typeof credentialsSchema>;

/** The first problem of a failed parse, as a sentence for the form. */
export function firstIssue(error: z.ZodError): string {
  return error.issues[0]?.message ?? 'Check the form and try again.';
}
