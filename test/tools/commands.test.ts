/**
 * Every `npm run` command that runs a file of ours answers --help (usage and exit codes, exit 0) and a bad flag
 * (usage on stderr, exit 2) through its exported main(argv, io), in process. scripts/lib/command.ts is the harness.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const scripts: Record<string, string> = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts;

/** The commands that are a TypeScript file of this repository (lint only calls one among other tools). */
const commands = Object.entries(scripts).flatMap(([name, line]) => {
  const file = /^node -r \S+register-typescript\.cjs (\S+\.ts)/.exec(line)?.[1];
  return file ? [{ name, file }] : [];
});

/** build:fixture-app's file is part of the fixture's sources hash: changing it means rebuilding the fixture (registry). */
const NOT_YET = ['build:fixture-app'];

type Main = (argv: string[], io: { out(l: string): void; err(l: string): void }) => Promise<number>;

async function run(main: Main, argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => void out.push(l), err: (l) => void err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('the npm run commands', () => {
  it('are all found in package.json', () => {
    expect(commands.map((c) => c.name)).toEqual(expect.arrayContaining(['synth', 'alarms', 'cost', 'ttd', ...NOT_YET]));
  });

  const harnessed = commands.filter((c) => !NOT_YET.includes(c.name));
  it.each(harnessed)(
    '$name: --help prints usage and exit codes (exit 0); a bad flag gives usage and exit 2',
    async ({ file }) => {
      const { main } = require(join(ROOT, file)) as { main?: Main };
      expect(typeof main).toBe('function');
      const help = await run(main!, ['--help']);
      expect(help.code).toBe(0);
      expect(help.out).toMatch(/^usage: /);
      expect(help.out).toMatch(/Exit codes: 0 /);
      const bad = await run(main!, ['--no-such-flag']);
      expect(bad.code).toBe(2);
      expect(bad.err).toContain(help.out.split('\n')[0]);
    },
  );
});

describe('where a script lives', () => {
  const workflows = readdirSync(join(ROOT, '.github', 'workflows')).map((f) =>
    readFileSync(join(ROOT, '.github', 'workflows', f), 'utf8'),
  );
  const calledByWorkflows = [
    ...new Set(workflows.flatMap((w) => [...w.matchAll(/register-typescript\.cjs (\S+\.ts)/g)].map((m) => m[1]))),
  ];

  it("scripts/ holds the npm run commands (and lint's own check); a script only CI runs is in scripts/ci/", () => {
    const topLevel = readdirSync(join(ROOT, 'scripts')).filter((f) => f.endsWith('.ts'));
    const lint = /register-typescript\.cjs (scripts\/\S+\.ts)/.exec(scripts.lint)?.[1];
    const known = new Set([...commands.map((c) => c.file), lint]);
    expect(topLevel.map((f) => `scripts/${f}`).filter((f) => !known.has(f))).toEqual([]);
    expect(calledByWorkflows.length).toBeGreaterThan(0);
    expect(calledByWorkflows.filter((f) => !f.startsWith('scripts/ci/'))).toEqual([]);
  });
});
