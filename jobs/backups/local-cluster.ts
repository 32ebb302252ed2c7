/**
 * A throwaway PostgreSQL server on 127.0.0.1 (own temp data directory and free port, removed on stop), for the
 * drill and the tests. initdb and postgres refuse root: as root (CI) the server runs as `postgres` via runuser,
 * which owns the temp folder. Many servers (tests) start from copies of one initdb'd ClusterTemplate.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  appendFileSync,
  chmodSync,
  chownSync,
  copyFileSync,
  existsSync,
  mkdtempSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseTarget } from './database';

export interface LocalClusterOptions {
  readonly pgBin: string;
  /** Require this password over TCP (scram-sha-256); without it, loopback connections are trusted. */
  readonly password?: string;
  /** Start from a copy of this initialized data directory instead of running initdb; its password applies. */
  readonly template?: ClusterTemplate;
  /** Serve TLS with this certificate and key (PEM files), so a client can verify-full against its CA. */
  readonly tls?: { readonly certFile: string; readonly keyFile: string };
  /** Extra server settings, e.g. { max_wal_size: '1GB' }. */
  readonly settings?: Record<string, string>;
}

export interface LocalCluster {
  readonly target: DatabaseTarget;
  readonly dataDir: string;
  stop(): void;
}

/**
 * A data directory as initdb leaves it, for callers that start many servers (the tests): initdb is most of a
 * server's start (half a second to a second of CPU), a copy of its directory a fraction of that.
 */
export interface ClusterTemplate {
  readonly dataDir: string;
  /** The password of the `postgres` role over TCP; loopback connections are trusted when absent. */
  readonly password?: string;
  /** Where the servers copied from it make their folders: the template's own parent (its caller chose that disk). */
  readonly tempDir: string;
  remove(): void;
}

const SERVER_USER = 'postgres';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** util-linux's runuser lives in an sbin folder, which a non-login PATH may not hold. */
const RUNUSER = ['/usr/sbin/runuser', '/sbin/runuser'].find((path) => existsSync(path)) ?? 'runuser';

const runningAsRoot = () => process.getuid?.() === 0;

function asServerUser(command: string, args: string[]): [string, string[]] {
  return runningAsRoot() ? [RUNUSER, ['-u', SERVER_USER, '--', command, ...args]] : [command, args];
}

let serverUserIds: { uid: number; gid: number } | undefined;
function serverUser(): { uid: number; gid: number } {
  serverUserIds ??= {
    uid: Number(execFileSync('id', ['-u', SERVER_USER], { encoding: 'utf8' }).trim()),
    gid: Number(execFileSync('id', ['-g', SERVER_USER], { encoding: 'utf8' }).trim()),
  };
  return serverUserIds;
}

/** A file only the server may read (a key, a password file): initdb and postgres refuse wider permissions. */
function serverOwned(file: string): void {
  chmodSync(file, 0o600);
  if (runningAsRoot()) chownSync(file, serverUser().uid, serverUser().gid);
}

/** A temp folder the server user owns, holding the data directory (and the server's socket and log). */
function serverOwnedTempDir(parent: string, prefix: string): string {
  const root = mkdtempSync(join(parent, prefix));
  if (runningAsRoot()) chownSync(root, serverUser().uid, serverUser().gid);
  return root;
}

function run(command: string, args: string[]): void {
  const [cmd, argv] = asServerUser(command, args);
  const result = spawnSync(cmd, argv, { encoding: 'utf8' });
  if (result.status !== 0)
    throw new Error(
      `${command.split('/').pop()} failed: ${(result.stderr || result.stdout || String(result.error)).trim()}`,
    );
}

function initdb(
  pgBin: string,
  root: string,
  dataDir: string,
  password: string | undefined,
  extraArgs: readonly string[] = [],
): void {
  const args = [
    '-D',
    dataDir,
    '-U',
    'postgres',
    '--encoding=UTF8',
    '--no-locale',
    '--auth-local=trust',
    '--no-sync',
    ...extraArgs,
  ];
  const pwfile = join(root, 'pwfile');
  if (password !== undefined) {
    writeFileSync(pwfile, password);
    serverOwned(pwfile);
    args.push(`--pwfile=${pwfile}`, '--auth-host=scram-sha-256');
  } else {
    args.push('--auth-host=trust');
  }
  try {
    run(join(pgBin, 'initdb'), args);
  } finally {
    rmSync(pwfile, { force: true });
  }
}

export interface ClusterTemplateOptions {
  readonly pgBin: string;
  readonly password?: string;
  /** Server settings written into the template's postgresql.conf, so every copy starts with them. */
  readonly settings?: Record<string, string>;
  /** Extra initdb arguments, e.g. ['--wal-segsize=1'] for a smaller directory to copy. */
  readonly initdbArgs?: readonly string[];
  /** Where to make the template's folder, and its servers theirs; os.tmpdir() by default. */
  readonly tempDir?: string;
}

export function initClusterTemplate(options: ClusterTemplateOptions): ClusterTemplate {
  const tempDir = options.tempDir ?? tmpdir();
  const root = serverOwnedTempDir(tempDir, 'miko-pg-template-');
  const dataDir = join(root, 'data');
  const remove = () => rmSync(root, { recursive: true, force: true });
  try {
    initdb(options.pgBin, root, dataDir, options.password, options.initdbArgs);
    const lines = Object.entries(options.settings ?? {})
      .map(([name, value]) => `${name} = ${value}\n`)
      .join('');
    if (lines) appendFileSync(join(dataDir, 'postgresql.conf'), lines);
    return { dataDir, password: options.password, tempDir, remove };
  } catch (error) {
    remove();
    throw error;
  }
}

export async function startLocalCluster(options: LocalClusterOptions): Promise<LocalCluster> {
  if (options.template && options.password !== undefined)
    throw new Error(
      "a cluster started from a template has the template's password: pass the password to initClusterTemplate, not to startLocalCluster.",
    );
  const root = serverOwnedTempDir(options.template?.tempDir ?? tmpdir(), 'miko-pg-');
  const dataDir = join(root, 'data');
  const password = options.template ? options.template.password : options.password;
  const cleanup = () => rmSync(root, { recursive: true, force: true });
  try {
    // As the server user, so the copy is the server's (and keeps initdb's 0700 on the data directory).
    if (options.template) run('cp', ['-a', options.template.dataDir, dataDir]);
    else initdb(options.pgBin, root, dataDir, password);

    const settings: Record<string, string> = {
      listen_addresses: "'127.0.0.1'",
      unix_socket_directories: `'${root}'`,
      ...options.settings,
    };
    if (options.tls) {
      for (const [name, file] of [
        ['server.crt', options.tls.certFile],
        ['server.key', options.tls.keyFile],
      ] as const) {
        copyFileSync(file, join(dataDir, name));
        serverOwned(join(dataDir, name));
      }
      Object.assign(settings, { ssl: 'on', ssl_cert_file: "'server.crt'", ssl_key_file: "'server.key'" });
    }
    // hostssl only when TLS is on: a plain TCP attempt is then refused by pg_hba, not merely unencrypted.
    if (options.tls) {
      const method = password !== undefined ? 'scram-sha-256' : 'trust';
      writeFileSync(join(dataDir, 'pg_hba.conf'), `local all all trust\nhostssl all all 127.0.0.1/32 ${method}\n`);
      serverOwned(join(dataDir, 'pg_hba.conf'));
    }
    const port = await freePort();
    const serverOptions = [`-p ${port}`, ...Object.entries(settings).map(([k, v]) => `-c ${k}=${v}`)].join(' ');
    run(join(options.pgBin, 'pg_ctl'), [
      '-D',
      dataDir,
      '-o',
      serverOptions,
      '-l',
      join(root, 'server.log'),
      '-w',
      '-t',
      '60',
      'start',
    ]);
    let stopped = false;
    return {
      dataDir,
      target: { host: '127.0.0.1', port, database: 'postgres', user: 'postgres', password },
      stop: () => {
        if (stopped) return;
        stopped = true;
        try {
          run(join(options.pgBin, 'pg_ctl'), ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
        } finally {
          cleanup();
        }
      },
    };
  } catch (error) {
    cleanup();
    throw error;
  }
}
