/** Command-line flags for the operator commands. */

/** Parses `--name value` pairs; every flag must be known, so a typo is an error rather than a silent default. */
export function parseFlags(
  argv: readonly string[],
  known: Record<string, 'value' | 'switch'>,
): Record<string, string | boolean> {
  const flags: Record<string, string | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].replace(/^--/, '');
    if (!argv[i].startsWith('--') || !(name in known)) {
      throw new Error(
        `unknown argument "${argv[i]}". Known: ${Object.keys(known)
          .map((k) => `--${k}`)
          .join(', ')}`,
      );
    }
    if (known[name] === 'switch') flags[name] = true;
    else {
      const value = argv[++i];
      if (value === undefined || value.startsWith('--')) throw new Error(`--${name} needs a value`);
      flags[name] = value;
    }
  }
  return flags;
}
