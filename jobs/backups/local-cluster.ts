/**
 * A throwaway PostgreSQL server on 127.0.0.1: its own data directory in a temp folder, its own free port, removed
 * on stop. The restore drill restores into one (inside the task, no second container to pay for); the tests start
 * their sources and targets the same way.
 *
 * initdb and postgres refuse to run as root. The task runs as the image's `postgres` user; where we are root (CI),
 * the server runs as the system user `postgres` through runuser, which owns the temp folder.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseTarget } from './database';

export interface LocalClusterOptions {
  readonly pgBin: string;
  /** Require this password over TCP (scram-sha-256); without it, loopback connections are trusted. */
  readonly password?: string;
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

function asServerUser(command: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? [RUNUSER, ['-u', SERVER_USER, '--', command, ...args]] : [command, args];
}

function run(command: string, args: string[]): void {
  const [cmd, argv] = asServerUser(command, args);
  const result = spawnSync(cmd, argv, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command.split('/').pop()} failed: ${(result.stderr || result.stdout || String(result.error)).trim()}`);
}

export async function startLocalCluster(options: LocalClusterOptions): Promise<LocalCluster> {
  const root = mkdtempSync(join(tmpdir(), 'miko-pg-'));
  const dataDir = join(root, 'data');
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', SERVER_USER], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', SERVER_USER], { encoding: 'utf8' }).trim());
    chownSync(root, uid, gid);
  }
  const cleanup = () => rmSync(root, { recursive: true, force: true });
  try {
    const serverOwned = (file: string) => {
      chmodSync(file, 0o600);
      if (process.getuid?.() === 0) chownSync(file, Number(execFileSync('id', ['-u', SERVER_USER], { encoding: 'utf8' })), Number(execFileSync('id', ['-g', SERVER_USER], { encoding: 'utf8' })));
    };
    const initdbArgs = ['-D', dataDir, '-U', 'postgres', '--encoding=UTF8', '--no-locale', '--auth-local=trust', '--no-sync'];
    if (options.password !== undefined) {
      const pwfile = join(root, 'pwfile');
      writeFileSync(pwfile, options.password);
      serverOwned(pwfile);
      initdbArgs.push(`--pwfile=${pwfile}`, '--auth-host=scram-sha-256');
    } else {
      initdbArgs.push('--auth-host=trust');
    }
    run(join(options.pgBin, 'initdb'), initdbArgs);
    rmSync(join(root, 'pwfile'), { force: true });

    const settings: Record<string, string> = { listen_addresses: "'127.0.0.1'", unix_socket_directories: `'${root}'`, ...options.settings };
    if (options.tls) {
      for (const [name, file] of [['server.crt', options.tls.certFile], ['server.key', options.tls.keyFile]] as const) {
        copyFileSync(file, join(dataDir, name));
        serverOwned(join(dataDir, name));
      }
      Object.assign(settings, { ssl: 'on', ssl_cert_file: "'server.crt'", ssl_key_file: "'server.key'" });
    }
    // hostssl only when TLS is on: a plain TCP attempt is then refused by pg_hba, not merely unencrypted.
    if (options.tls) {
      const method = options.password !== undefined ? 'scram-sha-256' : 'trust';
      writeFileSync(join(dataDir, 'pg_hba.conf'), `local all all trust\nhostssl all all 127.0.0.1/32 ${method}\n`);
      serverOwned(join(dataDir, 'pg_hba.conf'));
    }
    const port = await freePort();
    const serverOptions = [`-p ${port}`, ...Object.entries(settings).map(([k, v]) => `-c ${k}=${v}`)].join(' ');
    run(join(options.pgBin, 'pg_ctl'), ['-D', dataDir, '-o', serverOptions, '-l', join(root, 'server.log'), '-w', '-t', '60', 'start']);
    let stopped = false;
    return {
      dataDir,
      target: { host: '127.0.0.1', port, database: 'postgres', user: 'postgres', password: options.password },
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
