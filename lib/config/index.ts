/** The app's config: the committed environments' values, validated once. */
import { production } from './environments/production';
import { staging } from './environments/staging';
import { validateAppConfig } from './validate';

export * from './schema';
export { ConfigError, validateAppConfig } from './validate';

/** Raw values as committed; tests start from these to build bad configs. */
export const committedConfig = { staging, production };

/** The committed config, validated; throws `ConfigError` listing every problem. */
export function loadAppConfig() {
  return validateAppConfig(committedConfig);
}
