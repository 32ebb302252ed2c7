/**
 * The README's first command on a fresh copy of the repository: a clean HOME, a PATH holding only the machine's old
 * Node, and npm's cache as the only registry (tests stay off the network; ./setup itself filled the cache). It may
 * reuse the machine's Chromium and PostgreSQL. Then npm scripts must run on the project's Node 24.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { testTempDir } from '../support/temp-dir';

const REPO_ROOT = join(__dirname, '..', '..');
const NODE_MAJOR = Number(readFileSync(join(REPO_ROOT, '.nvmrc'), 'utf8').trim());
/** Debian's own Node and npm, as a newcomer's machine has them. */
const SYSTEM_NODE = '/usr/bin/node';
const systemNodeMajor = [SYSTEM_NODE, '/usr/bin/npm'].every((file) => existsSync(file))
  ? Number(execFileSync(SYSTEM_NODE, ['-p', 'process.versions.node.split(".")[0]']).toString())
  : undefined;
const oldNodeHere = systemNodeMajor !== undefined && systemNodeMajor < NODE_MAJOR;

/** The files a clone would have: tracked ones and new ones git does not ignore, as they are in the working tree. */
function freshCopy(): string {
  const copy = join(testTempDir('miko-fresh-machine-'), 'repo');
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: REPO_ROOT,
  })
    .toString()
    .split('\0')
    .filter((file) => file && existsSync(join(REPO_ROOT, file)));
  for (const file of files) {
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    cpSync(join(REPO_ROOT, file), join(copy, file));
  }
  return copy;
}

/**
 * It installs the whole dependency tree, long enough to time out other tests, so it runs only where MIKO_TEST_SETUP=1
 * (.ci/run sets it) and a Node older than the project's exists (else there is no old machine to stand for).
 */
const runHere = oldNodeHere && process.env.MIKO_TEST_SETUP === '1';

(runHere ? describe : describe.skip)(`./setup with only Node ${systemNodeMajor} on PATH`, () => {
  const repo = freshCopy();
  const home = join(repo, '..', 'home');
  mkdirSync(home);
  const env = {
    HOME: home,
    PATH: '/usr/bin:/bin',
    npm_config_cache: join(homedir(), '.npm'),
    npm_config_offline: 'true',
    npm_config_update_notifier: 'false',
  };
  const run = (command: string, args: string[]) =>
    spawnSync(command, args, { cwd: repo, env, encoding: 'utf8', timeout: 15 * 60_000 });

  it(`installs everything, and npm scripts then run on Node ${NODE_MAJOR} without PATH edits`, () => {
    const setup = run('./setup', []);
    // Fix when npm reports ENOTCACHED: run ./setup in the repository once (it fills ~/.npm from the registry).
    expect({ status: setup.status, stderr: setup.stderr.slice(-2000) }).toEqual({
      status: 0,
      stderr: expect.any(String),
    });
    expect(setup.stdout).toContain(`npm scripts run v${NODE_MAJOR}.`);

    // The shell's node is still the old one: only npm's scripts and tools see the project's.
    expect(run('node', ['-p', 'process.versions.node.split(".")[0]']).stdout.trim()).toBe(String(systemNodeMajor));
    expect(run('npm', ['exec', '--', 'node', '-p', 'process.versions.node.split(".")[0]']).stdout.trim()).toBe(
      String(NODE_MAJOR),
    );
    const synth = run('npm', ['run', '-s', 'synth', '--', '--help']);
    expect({ status: synth.status, usage: synth.stdout.split('\n')[0] }).toEqual({
      status: 0,
      usage: expect.stringMatching(/^usage: npm run synth/),
    });
  });
});
