import fs from 'node:fs';
import { z } from 'zod';

/** A settings file holds the environment variables' names with strings, numbers or booleans. */
const FileSettings = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));

export type SettingSource = 'environment' | string;

export interface MergedSettings {
  values: Record<string, string>;
  /** Where each setting came from: "environment" or the file's path. */
  sources: Record<string, SettingSource>;
}

/**
 * The settings in `LATCH_CONFIG` (a JSON file with the same keys as the environment variables, e.g.
 * `{"PORT": 8080, "DATABASE_URL": "postgres://…"}`) under the environment: a variable that is set
 * and not empty wins over the file. Unknown keys, and anything but a flat object of strings,
 * numbers and booleans, stop the start with the file's name and the key.
 */
export function mergeConfigFile(
  env: Record<string, string | undefined>,
  knownKeys: readonly string[],
): MergedSettings {
  const values: Record<string, string> = {};
  const sources: Record<string, SettingSource> = {};
  const file = env.LATCH_CONFIG;
  if (file) {
    for (const [key, value] of Object.entries(readConfigFile(file, knownKeys))) {
      values[key] = value;
      sources[key] = file;
    }
  }
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined || value === '' || key === 'LATCH_CONFIG') continue;
    values[key] = value;
    sources[key] = 'environment';
  }
  return { values, sources };
}

function readConfigFile(file: string, knownKeys: readonly string[]): Record<string, string> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`LATCH_CONFIG=${file}: cannot read it (${err instanceof Error ? err.message : err})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`LATCH_CONFIG=${file} is not valid JSON: ${err instanceof Error ? err.message : err}`);
  }
  const parsed = FileSettings.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? ` at "${issue.path.join('.')}"` : '';
    throw new Error(
      `LATCH_CONFIG=${file} must be one JSON object of settings (strings, numbers or booleans)${where}`,
    );
  }
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed.data)) {
    if (key === 'LATCH_CONFIG')
      throw new Error(`LATCH_CONFIG=${file}: a config file cannot name another one`);
    if (!knownKeys.includes(key)) {
      throw new Error(`LATCH_CONFIG=${file}: unknown setting "${key}" (settings are listed in the README)`);
    }
    // Empty means "default", as in the environment.
    if (value !== '') out[key] = String(value);
  }
  return out;
}

/** One line per invalid setting, naming it and where it came from; never its value (it may be a secret). */
export function describeInvalidSettings(error: z.ZodError, sources: Record<string, SettingSource>): string {
  const lines = error.issues.map((issue) => {
    const key = String(issue.path[0] ?? '?');
    const from = sources[key]
      ? ` (from ${sources[key] === 'environment' ? 'the environment' : sources[key]})`
      : '';
    return `  ${key}${from}: ${issue.message}`;
  });
  return `Invalid settings:\n${lines.join('\n')}`;
}
