/**
 * The feature flags: declared here once (type, owner, what it switches), defaulted per environment by the config's
 * `features`, and overridden without a deploy by `npm run flag` (values in the KeyValueStore, served by the edge at
 * /flags.json). The schema's `features` and this list name the same flags; a test keeps them equal.
 */
import type { EnvironmentConfig } from './schema';

export interface FlagDeclaration {
  /** Only booleans today: each can also be rolled out to a percentage of browsers. */
  readonly type: 'boolean';
  /** Who answers for the flag (decides its rollout and its removal). */
  readonly owner: string;
  readonly description: string;
}

export const FLAGS = {
  researchAgent: {
    type: 'boolean',
    owner: 'patient-experience',
    description: 'The AI research assistant on the procedure pages (calls the n8n chat webhook).',
  },
  smsReminders: {
    type: 'boolean',
    owner: 'practice-operations',
    description: 'Offers appointment reminders by SMS at booking.',
  },
  analytics: {
    type: 'boolean',
    owner: 'practice-marketing',
    description: 'Loads the consented analytics after the cookie banner.',
  },
} as const satisfies Record<string, FlagDeclaration>;

export type FlagName = keyof typeof FLAGS;
export const FLAG_NAMES = Object.keys(FLAGS) as FlagName[];

/** A flag's stored override: a value of its type, or a percentage rollout (on for that share of browsers). */
export type FlagOverride = boolean | { readonly percent: number };

/** The environment's default value of every flag (what /flags.json serves until a flag is set). */
export function flagDefaults(config: Pick<EnvironmentConfig, 'features'>): Record<FlagName, boolean> {
  return Object.fromEntries(FLAG_NAMES.map((name) => [name, config.features[name]])) as Record<FlagName, boolean>;
}
