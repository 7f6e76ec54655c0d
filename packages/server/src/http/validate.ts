import type { z } from 'zod';
import { validationFailed } from '../errors';

/** Parses untrusted input with a protocol schema; the error names the first offending field. */
export function parse<S extends z.ZodType>(schema: S, data: unknown): z.infer<S> {
  const r = schema.safeParse(data);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
  const what =
    issue?.code === 'unrecognized_keys' ? `unknown field ${issue.keys.join(', ')}` : issue?.message;
  throw validationFailed(`${where}${what ?? 'invalid input'}`);
}
