/**
 * The browser family of a User-Agent, the only part of it stored: the full string is close to a fingerprint of
 * the patient's device, the family is what a bug report needs. Order matters (Edge and Opera say "Chrome" too).
 */
const FAMILIES: Array<[string, RegExp]> = [
  ['Edge', /\bEdg(?:e|A|iOS)?\//],
  ['Opera', /\bOPR\//],
  ['Samsung Internet', /\bSamsungBrowser\//],
  ['Firefox', /\b(?:Firefox|FxiOS)\//],
  ['Chrome', /\b(?:Chrome|Chromium|CriOS|HeadlessChrome)\//],
  ['Safari', /\bVersion\/[\d.]+.*Safari\//],
];

export type BrowserFamily = string;

export function browserFamilyOf(userAgent: string | undefined): BrowserFamily {
  if (!userAgent) return 'unknown';
  return FAMILIES.find(([, pattern]) => pattern.test(userAgent))?.[0] ?? 'other';
}

/** A family the client claims, kept only when it is one we know (free text here would be a side channel). */
export function knownFamily(claimed: unknown, userAgent: string | undefined): BrowserFamily {
  const names = new Set([...FAMILIES.map(([name]) => name), 'other', 'unknown']);
  return typeof claimed === 'string' && names.has(claimed) ? claimed : browserFamilyOf(userAgent);
}
