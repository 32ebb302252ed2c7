/** Builds a bad config from the committed one and collects the problems validation reports (config tests). */
import { ConfigError, committedConfig, validateAppConfig } from '../../lib/config';

export type Mutable = Record<string, any>;

export function problemsAfter(edit: (config: { staging: Mutable; production: Mutable }) => void) {
  const config = structuredClone(committedConfig) as unknown as { staging: Mutable; production: Mutable };
  edit(config);
  try {
    validateAppConfig(config);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}
