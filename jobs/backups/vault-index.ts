/**
 * Reading what a vault holds (the S3 bucket or a directory, store.ts): the manifests, newest first, the newest
 * passing drill report, and objects downloaded and proven against their manifest before anything is restored.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import {
  BackupManifest,
  DrillReport,
  MANIFEST_FILE,
  backupsPrefix,
  drillsPrefix,
  parseManifest,
  runIdOf,
} from './manifest';
import type { Vault } from './store';

/** Thrown when what came back is not what the manifest promised; `check` names the check for the drill's report. */
export class VerificationError extends Error {
  constructor(
    readonly check: string,
    message: string,
  ) {
    super(message);
  }
}

/** Every manifest of an environment (of every environment when absent), newest first (run ids are timestamps). */
export async function listManifestKeys(vault: Vault, envName?: string): Promise<string[]> {
  const keys = await vault.list(envName ? backupsPrefix(envName) : 'backups/');
  return keys.filter((k) => k.endsWith(`/${MANIFEST_FILE}`)).sort((a, b) => runIdOf(b).localeCompare(runIdOf(a)));
}

export async function readManifest(vault: Vault, key: string): Promise<BackupManifest> {
  return parseManifest(await vault.readText(key), key);
}

/** The newest manifest, or undefined when there is none yet. */
export async function newestManifest(
  vault: Vault,
  envName?: string,
): Promise<{ key: string; manifest: BackupManifest } | undefined> {
  const [key] = await listManifestKeys(vault, envName);
  return key ? { key, manifest: await readManifest(vault, key) } : undefined;
}

/** The newest drill report that passed, or undefined when no drill has passed yet. */
export async function newestPassingDrill(vault: Vault, envName: string): Promise<DrillReport | undefined> {
  const keys = (await vault.list(drillsPrefix(envName))).filter((k) => k.endsWith('.json'));
  for (const key of keys.reverse()) {
    const report = JSON.parse(await vault.readText(key)) as DrillReport;
    if (report.ok === true && typeof report.finishedAt === 'string') return report;
  }
  return undefined;
}

/** Downloads one object to a file and proves its size and SHA-256; `check` names it in a failure. */
export async function downloadVerified(
  vault: Vault,
  object: { readonly key: string; readonly bytes: number; readonly sha256: string },
  file: string,
  check: string,
): Promise<void> {
  const hash = createHash('sha256');
  let bytes = 0;
  const body = await vault.read(object.key).catch((error: Error) => {
    throw new VerificationError(check, `${object.key} cannot be read from ${vault.name}: ${error.message}.`);
  });
  body.on('data', (chunk: Buffer) => {
    hash.update(chunk);
    bytes += chunk.length;
  });
  await pipeline(body, createWriteStream(file, { mode: 0o600 }));
  const sha256 = hash.digest('hex');
  if (bytes !== object.bytes || sha256 !== object.sha256) {
    throw new VerificationError(
      check,
      `${object.key} does not match its manifest (${bytes} bytes, sha256 ${sha256.slice(0, 12)}… vs ${object.bytes} bytes, ${object.sha256.slice(0, 12)}…): the object is corrupted. Fix: restore an older backup (--backup <key>) and investigate the vault.`,
    );
  }
}
