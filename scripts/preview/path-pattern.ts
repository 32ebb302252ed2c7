/**
 * CloudFront's cache-behaviour path patterns: case-sensitive, `*` matches any run of characters (slashes
 * included), `?` exactly one; behaviours are tried in order and the default (`*`) catches the rest.
 */
export function pathPatternMatches(pattern: string, path: string): boolean {
  const normalized = pattern.startsWith('/') || pattern === '*' ? pattern : `/${pattern}`;
  const regex = normalized
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${regex}$`).test(path);
}
