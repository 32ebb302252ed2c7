/** The environment variable the prober's construct writes its settings to (ProberSettings in run.ts, JSON). */
export const SETTINGS_VARIABLE = 'MIKO_PROBER_SETTINGS';
