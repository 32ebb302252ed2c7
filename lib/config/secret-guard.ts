/**
 * Refuses values that look like secrets in anything published to the browser (`config.json`).
 *
 * The assessment's first incident was credentials shipped in a public bundle; this guard makes the same mistake
 * fail synth instead of reaching a patient's browser. It errs on the side of refusing: a public value that trips
 * it can be renamed, a leaked key cannot be unleaked.
 */

export interface SecretFinding {
  /** Dotted path of the offending key inside the public object. */
  readonly path: string;
  /** Why it looks like a secret (never the value itself). */
  readonly reason: string;
}

/** Key names that only ever hold secrets. */
const SECRET_KEY_NAME = /(secret|password|passwd|private[-_]?key|service[-_]?role|api[-_]?key|api[-_]?token|access[-_]?token|auth[-_]?token|webhook[-_]?secret|credential)/i;

/** Value shapes of real credentials. */
const SECRET_VALUE_SHAPES: ReadonlyArray<{ readonly pattern: RegExp; readonly reason: string }> = [
  { pattern: /sb_secret_/i, reason: 'a Supabase secret API key (sb_secret_…)' },
  { pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----/, reason: 'a private key' },
  { pattern: /AKIA[0-9A-Z]{16}/, reason: 'an AWS access key id' },
  { pattern: /AIza[0-9A-Za-z_-]{35}/, reason: 'a Google API key (keep it in Secrets Manager, restricted, and call Google from a backend)' },
  { pattern: /\b(ghp|gho|ghs|github_pat)_[A-Za-z0-9_]{20,}/, reason: 'a GitHub token' },
  { pattern: /\bxox[abpr]-[A-Za-z0-9-]{10,}/, reason: 'a Slack token' },
  { pattern: /\bsk_(live|test)_[A-Za-z0-9]{10,}/, reason: 'a Stripe secret key' },
];

/** A JWT whose payload says it is Supabase's service role: it bypasses row-level security. */
function isServiceRoleJwt(value: string): boolean {
  const parts = value.split('.');
  if (parts.length !== 3 || !value.startsWith('eyJ')) return false;
  try {
    const payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as { role?: unknown };
    return payload.role === 'service_role';
  } catch {
    return false;
  }
}

/** Query parameter names that carry credentials (compared lower-cased, without "-", "_" or "."). */
const CREDENTIAL_PARAMETER_ENDINGS = ['key', 'token', 'secret', 'sig', 'signature', 'password', 'passwd', 'pwd', 'credential', 'credentials', 'auth', 'jwt'];

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
export function looksRandom(value: string): boolean {
  return value.length >= 20 && /^[A-Za-z0-9_\-+/=.~%]+$/.test(value) && /[A-Za-z]/.test(value) && /\d/.test(value) && entropyPerCharacter(value) >= 3.5;
}

export interface QueryCredentialFinding {
  /** The query parameter's name (never its value). */
  readonly parameter: string;
  readonly reason: string;
}

/**
 * Query parameters of `url` that look like credentials, by name (key, token, secret, sig, password, apikey, …)
 * or by a long random-looking value. Anything in a query string ends up in access logs, browser history and the
 * public config.json. Not a URL: no findings.
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
    if (CREDENTIAL_PARAMETER_ENDINGS.some((ending) => normalized.endsWith(ending))) findings.push({ parameter, reason: `its name "${parameter}" says it carries a credential` });
    else if (looksRandom(value)) findings.push({ parameter, reason: `its value is a long random-looking token` });
  }
  return findings;
}

function describeSecretValue(value: string): string | undefined {
  if (isServiceRoleJwt(value)) return 'a Supabase service-role JWT (it bypasses row-level security)';
  const shape = SECRET_VALUE_SHAPES.find(({ pattern }) => pattern.test(value))?.reason;
  if (shape) return shape;
  const [query] = findQueryStringCredentials(value);
  return query ? `a URL with a credential in its query string (parameter "${query.parameter}": ${query.reason})` : undefined;
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
