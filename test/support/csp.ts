/** Reads a Content-Security-Policy back into directives, so tests assert on sources rather than on one long string. */

/** Directive name → sources (lower-cased), or undefined when a directive repeats or is not a directive name. */
export function parseContentSecurityPolicy(value: string): Map<string, string[]> | undefined {
  const directives = new Map<string, string[]>();
  for (const part of value
    .split(';')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [name, ...sources] = part.split(/\s+/).map((token) => token.toLowerCase());
    if (!/^[a-z-]+$/.test(name) || directives.has(name)) return undefined;
    directives.set(name, sources);
  }
  return directives.size > 0 ? directives : undefined;
}
