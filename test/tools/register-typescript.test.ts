/**
 * scripts/lib/register-typescript.cjs, the hook every command and the CDK app run their TypeScript through: what
 * TypeScript has beyond type annotations compiles (parameter properties, enums), `await import('./x')` finds x.ts,
 * and a stack trace names the line of the .ts file.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TYPESCRIPT_NODE_ARGS } from '../support/run-script';
import { testTempDir } from '../support/temp-dir';

function runTypeScript(files: Record<string, string>, main: string) {
  const dir = testTempDir('miko-ts-hook-');
  for (const [name, source] of Object.entries(files)) writeFileSync(join(dir, name), source);
  return spawnSync(process.execPath, [...TYPESCRIPT_NODE_ARGS, join(dir, main)], { cwd: dir, encoding: 'utf8' });
}

it('runs TypeScript with parameter properties, enums and a dynamic import of a sibling .ts file', () => {
  const run = runTypeScript(
    {
      'greeter.ts':
        'export enum Tone { Plain, Loud }\nexport class Greeter {\n  constructor(private readonly name: string, private readonly tone: Tone) {}\n  greet(): string { return this.tone === Tone.Loud ? `HELLO ${this.name.toUpperCase()}` : `hello ${this.name}`; }\n}\n',
      'main.ts':
        "async function main(): Promise<void> {\n  const { Greeter, Tone } = await import('./greeter');\n  console.log(new Greeter('clinic', Tone.Loud).greet());\n}\nmain();\n",
    },
    'main.ts',
  );
  expect(run.stderr).toBe('');
  expect(run.stdout).toBe('HELLO CLINIC\n');
  expect(run.status).toBe(0);
});

it('reports an error at its line in the .ts file, not in the compiled output', () => {
  const run = runTypeScript(
    {
      'fails.ts':
        "interface Booking { readonly id: string }\n\nfunction confirm(booking: Booking): never {\n  throw new Error(`booking ${booking.id} cannot be confirmed`);\n}\nconfirm({ id: 'b-1' });\n",
    },
    'fails.ts',
  );
  expect(run.status).toBe(1);
  expect(run.stderr).toContain('Error: booking b-1 cannot be confirmed');
  expect(run.stderr).toMatch(/at confirm \(\S*fails\.ts:4:9\)/);
});
