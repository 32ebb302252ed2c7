import type { EventBudgetSettings } from './event-budget';
import type { NoticeCapSettings } from './notice-caps';

/** The collector's settings, passed by the Telemetry stack in one environment variable (names only, no secret). */
export const SETTINGS_VARIABLE = 'MIKO_TELEMETRY_SETTINGS';

export interface CollectorSettings {
  readonly envName: string;
  /** The only `Origin` accepted, e.g. https://app.example.com. */
  readonly siteOrigin: string;
  readonly maxBodyBytes: number;
  readonly novelty: {
    readonly tableName: string;
    readonly windowDays: number;
    readonly timeoutMs: number;
    readonly rememberKnownMs: number;
  };
  /** Accepted events per minute across all instances, counted in the novelty table (event-budget.ts). */
  readonly budget: EventBudgetSettings;
  readonly notify: {
    readonly topicArn: string;
    readonly timeoutMs: number;
    /** New-kind notices per minute, per live release and per day, counted in the novelty table. */
    readonly caps: NoticeCapSettings;
  };
}

export function readSettings(env: NodeJS.ProcessEnv = process.env): CollectorSettings {
  const raw = env[SETTINGS_VARIABLE];
  if (!raw)
    throw new Error(`${SETTINGS_VARIABLE} is not set: the Telemetry stack writes it; locally, see scripts/preview.ts.`);
  return JSON.parse(raw) as CollectorSettings;
}
