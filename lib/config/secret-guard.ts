/**
 * Refuses secret-looking values in anything published to the browser: the runtime `config.json`
 * (`findSecretLookingValues`, by key and value) and every file of the app's build (`findSecretsInText`), with one
 * list of credential shapes. It errs on refusing: a public value can be renamed, a leaked key not.
 * In build files it matches whole credentials, not words: supabase-js itself mentions `sb_secret_`.
 */
import { createHash } from 'node:crypto';

export interface SecretFinding {
  /** Dotted path of the offending key inside the public object. */
  readonly path: string;
  /** Why it looks like a secret (never the value itself). */
  readonly reason: string;
}

/** Key names that only ever hold secrets. */
const SECRET_KEY_NAME =
  /(secret|password|passwd|private[-_]?key|service[-_]?role|api[-_]?key|api[-_]?token|access[-_]?token|auth[-_]?token|webhook[-_]?secret|credential)/i;

const GOOGLE_API_KEY_REASON =
  'a Google API key (keep it in Secrets Manager, restricted, and call Google from a backend)';

/** Shapes of whole credentials (global, so they can be searched for in text). */
const CREDENTIAL_SHAPES: ReadonlyArray<{
  readonly pattern: RegExp;
  readonly reason: string;
  readonly googleApiKey?: true;
}> = [
  { pattern: /sb_secret_[A-Za-z0-9_-]{16,}/g, reason: 'a Supabase secret API key (sb_secret_…)' },
  { pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----/g, reason: 'a private key' },
  { pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, reason: 'an AWS access key id' },
  { pattern: /AIza[0-9A-Za-z_-]{35}/g, reason: GOOGLE_API_KEY_REASON, googleApiKey: true },
  { pattern: /\b(?:ghp|gho|ghs|github_pat)_[A-Za-z0-9_]{20,}/g, reason: 'a GitHub token' },
  { pattern: /\bxox[abpr]-[A-Za-z0-9-]{10,}/g, reason: 'a Slack token' },
  { pattern: /\bsk_(?:live|test)_[A-Za-z0-9]{10,}/g, reason: 'a Stripe secret key' },
];

/** In config values the prefix alone is enough to refuse: nothing public is named sb_secret_. */
const SECRET_VALUE_SHAPES: ReadonlyArray<{ readonly pattern: RegExp; readonly reason: string }> = [
  { pattern: /sb_secret_/i, reason: 'a Supabase secret API key (sb_secret_…)' },
  ...CREDENTIAL_SHAPES.slice(1).map(({ pattern, reason }) => ({ pattern: new RegExp(pattern.source), reason })),
];

/** The `role` claim of a JWT, or undefined when `value` is not a decodable JWT. */
function jwtRole(value: string): { role: unknown } | undefined {
  const parts = value.split('.');
  if (parts.length !== 3 || !value.startsWith('eyJ')) return undefined;
  try {
    const payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as { role?: unknown };
    return payload !== null && typeof payload === 'object' ? { role: payload.role } : undefined;
  } catch {
    return undefined;
  }
}

/** A JWT whose payload says it is Supabase's service role: it bypasses row-level security. */
function isServiceRoleJwt(value: string): boolean {
  return jwtRole(value)?.role === 'service_role';
}

/** Query parameter names that carry credentials (compared lower-cased, without "-", "_" or "."). */
const CREDENTIAL_PARAMETER_ENDINGS = [
  'key',
  'token',
  'secret',
  'sig',
  'signature',
  'password',
  'passwd',
  'pwd',
  'credential',
  'credentials',
  'auth',
  'jwt',
];

/** Bits per character of `value`'s own character distribution (Shannon entropy). */
function entropyPerCharacter(value: string): number {
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) bits -= (count / value.length) * Math.log2(count / value.length);
  return bits;
}

/**
 * A long token of mixed letters and digits with high entropy: what generated keys look like, and what words,
 * ids and dates in a URL do not.
 */
export function looksLikeGeneratedToken(value: string): boolean {
  return (
    value.length >= 20 &&
    /^[A-Za-z0-9_\-+/=.~%]+$/.test(value) &&
    /[A-Za-z]/.test(value) &&
    /\d/.test(value) &&
    entropyPerCharacter(value) >= 3.5
  );
}

export interface QueryCredentialFinding {
  /** The query parameter's name (never its value). */
  readonly parameter: string;
  readonly reason: string;
}

/**
 * Query parameters of `url` that look like credentials, by name (key, token, secret, …) or by a random-looking value:
 * a query string ends up in access logs, browser history and the public config.json. Not a URL: no findings.
 */
export function findQueryStringCredentials(url: string): QueryCredentialFinding[] {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [];
  }
  const findings: QueryCredentialFinding[] = [];
  for (const [parameter, value] of parsed.searchParams) {
    const normalized = parameter.toLowerCase().replace(/[-_.]/g, '');
    if (CREDENTIAL_PARAMETER_ENDINGS.some((ending) => normalized.endsWith(ending)))
      findings.push({ parameter, reason: `its name "${parameter}" says it carries a credential` });
    else if (looksLikeGeneratedToken(value))
      findings.push({ parameter, reason: `its value is a long random-looking token` });
  }
  return findings;
}

function describeSecretValue(value: string): string | undefined {
  if (isServiceRoleJwt(value)) return 'a Supabase service-role JWT (it bypasses row-level security)';
  const shape = SECRET_VALUE_SHAPES.find(({ pattern }) => pattern.test(value))?.reason;
  if (shape) return shape;
  const [query] = findQueryStringCredentials(value);
  return query
    ? `a URL with a credential in its query string (parameter "${query.parameter}": ${query.reason})`
    : undefined;
}

/** Why a key/value pair looks like a secret (by its key name or its value), or undefined. Never repeats the value. */
export function describeSecretEntry(key: string, value: unknown): string | undefined {
  if (SECRET_KEY_NAME.test(key)) return `its name "${key}" says it holds a secret`;
  const found = findSecretLookingValues(value);
  return found.length > 0 ? found[0].reason : undefined;
}

/** Every key or value in `publicObject` that looks like a secret, with its path. Values are never repeated. */
export function findSecretLookingValues(publicObject: unknown, basePath = ''): SecretFinding[] {
  const findings: SecretFinding[] = [];
  const visit = (node: unknown, path: string): void => {
    if (typeof node === 'string') {
      const reason = describeSecretValue(node);
      if (reason) findings.push({ path, reason: `its value looks like ${reason}` });
      return;
    }
    if (node === null || typeof node !== 'object') return;
    for (const [key, child] of Object.entries(node)) {
      const childPath = path ? `${path}.${key}` : key;
      if (SECRET_KEY_NAME.test(key)) {
        findings.push({ path: childPath, reason: `its name "${key}" says it holds a secret` });
        continue;
      }
      visit(child, childPath);
    }
  };
  visit(publicObject, basePath);
  return findings;
}

/** One credential-shaped match in a text file: where it is and what it looks like (never the value). */
export interface TextSecretFinding {
  /** 1-based line of the match. */
  readonly line: number;
  readonly reason: string;
}

export interface TextGuardOptions {
  /** SHA-256 (hex) of Google API keys declared public by design (config `appBuild.publicGoogleApiKeys`). */
  readonly publicGoogleApiKeySha256s?: readonly string[];
}

/** Key names that hold a credential, as they appear in code (`apiToken = "…"`, `"client_secret": "…"`). */
const TOKEN_NAMED_ASSIGNMENT =
  /["']?\b((?:[A-Za-z_$][\w$-]*?)?(?:secret|password|passwd|private[-_]?key|service[-_]?role[-_]?key|api[-_]?token|access[-_]?token|auth[-_]?token|refresh[-_]?token|bearer[-_]?token|client[-_]?secret|webhook[-_]?secret)[\w$-]*)["']?\s*[:=]\s*["'`]([^"'`\s]{16,})["'`]/gi;
const JWT = /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g;

/**
 * Long and random-looking (letters and digits mixed, no spaces, not a path or URL): catches `apiToken = "f3a9…"`
 * pasted into source, not `password: "Password"` labels or supabase-js's `storageKey` names.
 */
function looksRandom(value: string): boolean {
  return (
    /[0-9]/.test(value) &&
    /[A-Za-z]/.test(value) &&
    !/^(?:https?:|\/|\.)/.test(value) &&
    !/^[a-z]+(?:[._-][a-z0-9]+)+$/.test(value)
  );
}

/** Every credential-shaped string in `text`, with its line. Values are never repeated. */
export function findSecretsInText(text: string, options: TextGuardOptions = {}): TextSecretFinding[] {
  const publicKeys = new Set(options.publicGoogleApiKeySha256s ?? []);
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const lineOf = (index: number): number => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (lineStarts[mid] <= index) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  };
  const findings: TextSecretFinding[] = [];
  for (const shape of CREDENTIAL_SHAPES) {
    for (const match of text.matchAll(shape.pattern)) {
      if (shape.googleApiKey && publicKeys.has(createHash('sha256').update(match[0]).digest('hex'))) continue;
      findings.push({
        line: lineOf(match.index),
        reason: shape.googleApiKey
          ? `${shape.reason}, not declared public in appBuild.publicGoogleApiKeys`
          : shape.reason,
      });
    }
  }
  for (const match of text.matchAll(JWT)) {
    const claims = jwtRole(match[0]);
    if (!claims || claims.role === 'anon') continue;
    findings.push({
      line: lineOf(match.index),
      reason:
        claims.role === 'service_role'
          ? 'a Supabase service-role JWT (it bypasses row-level security)'
          : `a JWT with role ${JSON.stringify(claims.role ?? null)} (only the anon key is public)`,
    });
  }
  for (const match of text.matchAll(TOKEN_NAMED_ASSIGNMENT)) {
    if (!looksRandom(match[2]) || describeSecretValue(match[2])) continue;
    findings.push({
      line: lineOf(match.index),
      reason: `a value assigned to "${match[1]}", a name that says it holds a secret`,
    });
  }
  return findings.sort((a, b) => a.line - b.line);
}
