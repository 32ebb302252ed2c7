/**
 * Canary releases: a kept release serves a sticky share of browsers (lib/site/routing/assignment.js) along a step
 * plan; lambda/canary-abort sets its weight to 0 when a trusted signal fires. Each change is one conditional
 * KeyValueStore write, seen at the edge within seconds, and one audit record.
 *
 *   npm run release -- --env production --canary <id> --weight 5 --bake 10m --reason "…"   5 → 25 → live
 */
import { releaseExists } from '../lambda/shared/release-pointer';
import { readReleaseState, ReleaseState } from '../lambda/shared/release-store';
import { EnvironmentName } from '../lib/config';
import { RELEASE_ID_PATTERN } from '../lib/site/release-content';
import { environmentFlag, FlagValues, Io, processIo, runCommand, runIfMain, UsageError } from './lib/command';
import { actor, clientsFrom, ReleaseClients, siteOutputs, SiteOutputs } from './lib/release-aws';
import { ChangeRequest, changeReleaseState } from './lib/release-change';

export const EXIT = { done: 0, aborted: 1, usage: 2, failed: 3, notRecorded: 4 } as const;

const USAGE = `usage: npm run release -- --env <staging|production> (--canary <release> [--weight <percent>] [--bake <30s|10m|1h> [--steps 5,25,100]] | --promote | --abort | --status) --reason "<why>"
Exit codes: 0 done; 1 aborted while baking or not promotable; 2 usage; 3 could not change; 4 changed but not recorded`;

const SPEC = {
  name: 'release',
  usage: USAGE,
  options: {
    env: { type: 'string' as const },
    canary: { type: 'string' as const },
    weight: { type: 'string' as const },
    bake: { type: 'string' as const },
    steps: { type: 'string' as const },
    promote: { type: 'boolean' as const, default: false },
    abort: { type: 'boolean' as const, default: false },
    status: { type: 'boolean' as const, default: false },
    reason: { type: 'string' as const },
  },
};

/** Vercel's and Netlify's rollouts start small and widen; the last step, 100, is the promotion. */
export const DEFAULT_STEPS = [5, 25, 100];
/** How often a bake re-reads the store to notice an abort (the abort function writes it within seconds). */
export const BAKE_POLL_MS = 10_000;

export interface ReleaseIo extends Io {
  readonly clients?: ReleaseClients;
  /** Tests pass a scaled clock (a bake of 10 min runs in milliseconds). */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly who?: string;
}

type Mode =
  | { kind: 'status' }
  | { kind: 'promote' }
  | { kind: 'abort' }
  | { kind: 'canary'; release: string; weight: number; bakeMs?: number; steps: number[] };

interface Options {
  env: EnvironmentName;
  mode: Mode;
  reason: string;
}

export function parseDuration(text: string, flag: string): number {
  const match = /^(\d+)(s|m|h)$/.exec(text);
  if (!match) throw new UsageError(`${flag} must be a duration like 30s, 10m or 1h, got "${text}".`);
  return Number(match[1]) * { s: 1_000, m: 60_000, h: 3_600_000 }[match[2] as 's' | 'm' | 'h'];
}

function percent(text: string, flag: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0 || value > 100)
    throw new UsageError(`${flag} must be a percentage from 0 to 100, got "${text}".`);
  return value;
}

function parseOptions(flags: FlagValues): Options {
  const values = flags as {
    [K in 'env' | 'canary' | 'weight' | 'bake' | 'steps' | 'reason']?: string;
  } & { promote: boolean; abort: boolean; status: boolean };
  const env = environmentFlag(values.env);
  const chosen = [values.canary !== undefined, values.promote, values.abort, values.status].filter(Boolean).length;
  if (chosen !== 1) throw new UsageError('give exactly one of --canary, --promote, --abort, --status.');
  const reason = values.reason?.trim() ?? '';
  if (!values.status && !reason)
    throw new UsageError('say why: every change goes into the audit trail with its reason. Fix: add --reason "<why>".');
  if (values.status) return { env, mode: { kind: 'status' }, reason };
  if (values.promote) return { env, mode: { kind: 'promote' }, reason };
  if (values.abort) return { env, mode: { kind: 'abort' }, reason };
  const release = values.canary!;
  if (!RELEASE_ID_PATTERN.test(release))
    throw new UsageError(
      `"${release}" is not a release id. Fix: pick one from npm run rollback -- --env ${env} --list.`,
    );
  const steps = values.steps ? values.steps.split(',').map((s) => percent(s, '--steps')) : DEFAULT_STEPS;
  const weight = values.weight === undefined ? steps[0] : percent(values.weight, '--weight');
  if (steps.some((s, i) => i > 0 && s <= steps[i - 1]) || steps[steps.length - 1] !== 100)
    throw new UsageError(`--steps must rise and end at 100 (the promotion), got "${steps.join(',')}".`);
  const bakeMs = values.bake === undefined ? undefined : parseDuration(values.bake, '--bake');
  return { env, mode: { kind: 'canary', release, weight, bakeMs, steps: steps.filter((s) => s > weight) }, reason };
}

function describe(state: ReleaseState): string[] {
  const canary = state.canary;
  return [
    `live:   ${state.live ?? 'none'}`,
    canary
      ? `canary: ${canary.release} at ${canary.weight} %${canary.abortedBecause ? ` (ABORTED: ${canary.abortedBecause})` : ''}`
      : 'canary: none',
  ];
}

class Release {
  constructor(
    private readonly options: Options,
    private readonly clients: ReleaseClients,
    private readonly outputs: SiteOutputs,
    private readonly io: ReleaseIo & { who: string },
  ) {}

  private recordedAll = true;

  private async change(action: ChangeRequest['action'], decide: ChangeRequest['decide']) {
    const result = await changeReleaseState(
      this.clients,
      this.outputs,
      { env: this.options.env, action, who: this.io.who, why: this.options.reason, decide },
      this.io.err,
    );
    this.recordedAll &&= result.recorded;
    return result;
  }

  private exitCode(code: number): number {
    return code === EXIT.done && !this.recordedAll ? EXIT.notRecorded : code;
  }

  async run(): Promise<number> {
    const { env, mode } = this.options;
    if (mode.kind === 'status') {
      for (const line of describe((await readReleaseState(this.clients.kvs, this.outputs.kvsArn)).state))
        this.io.out(`${env} ${line}`);
      return EXIT.done;
    }
    if (mode.kind === 'abort') {
      const { before, change } = await this.change('canary-abort', (state) =>
        state.canary && state.canary.weight > 0
          ? { canary: { ...state.canary, weight: 0, abortedBecause: this.options.reason } }
          : undefined,
      );
      this.io.out(
        change
          ? `${env}: canary ${before.canary!.release} aborted (weight ${before.canary!.weight} % -> 0); every browser is on ${before.live ?? 'none'}.`
          : `${env}: no canary is serving; nothing changed.`,
      );
      return this.exitCode(EXIT.done);
    }
    if (mode.kind === 'promote') return this.exitCode(await this.promote());
    return this.exitCode(await this.canary(mode));
  }

  private async promote(expected?: string): Promise<number> {
    const { env } = this.options;
    let refusal = '';
    const { before, change } = await this.change('canary-promote', (state) => {
      if (!state.canary) refusal = 'there is no canary to promote';
      else if (state.canary.abortedBecause)
        refusal = `canary ${state.canary.release} was aborted (${state.canary.abortedBecause})`;
      else if (expected && state.canary.release !== expected)
        refusal = `the canary is now ${state.canary.release}, not ${expected}`;
      else return { live: state.canary.release, canary: null };
      return undefined;
    });
    if (!change) {
      this.io.err(`release: not promoted: ${refusal}. Fix: start a canary with --canary <release>.`);
      return EXIT.aborted;
    }
    this.io.out(`${env}: ${before.canary!.release} is live (was ${before.live ?? 'none'}); the canary is done.`);
    return EXIT.done;
  }

  private async setWeight(release: string, weight: number, action: 'canary-start' | 'canary-weight'): Promise<void> {
    const { before } = await this.change(action, (state) =>
      state.canary?.release === release && state.canary.weight === weight && !state.canary.abortedBecause
        ? undefined
        : { canary: { release, weight } },
    );
    this.io.out(
      `${this.options.env}: canary ${release} serves ${weight} % of browsers (was ${before.canary?.release === release ? `${before.canary.weight} %` : 'not serving'}); live stays ${before.live ?? 'none'}.`,
    );
  }

  private async canary(mode: Extract<Mode, { kind: 'canary' }>): Promise<number> {
    const { env } = this.options;
    if (!(await releaseExists(this.clients.s3, this.outputs.bucket, mode.release)))
      throw new Error(
        `release ${mode.release} is not in ${this.outputs.bucket} (pruned or never deployed); nothing changed. Fix: deploy it, or pick one from npm run rollback -- --env ${env} --list.`,
      );
    if ((await readReleaseState(this.clients.kvs, this.outputs.kvsArn)).state.live === mode.release) {
      this.io.out(`${env}: ${mode.release} is already live; nothing changed.`);
      return EXIT.done;
    }
    await this.setWeight(mode.release, mode.weight, 'canary-start');
    if (mode.bakeMs === undefined) return EXIT.done;
    let weight = mode.weight;
    for (const step of mode.steps) {
      const aborted = await this.bake(mode.release, weight, mode.bakeMs);
      if (aborted) {
        this.io.err(
          `release: canary ${mode.release} stopped while baking at ${weight} %: ${aborted}. Live is unchanged.`,
        );
        return EXIT.aborted;
      }
      if (step === 100) return this.promote(mode.release);
      await this.setWeight(mode.release, step, 'canary-weight');
      weight = step;
    }
    return EXIT.done;
  }

  /** Waits out a bake, re-reading the store; returns why the canary stopped, or undefined when it baked clean. */
  private async bake(release: string, weight: number, bakeMs: number): Promise<string | undefined> {
    const sleep = this.io.sleep ?? ((ms: number) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.io.out(`${this.options.env}: baking ${release} at ${weight} % for ${Math.round(bakeMs / 1000)} s`);
    for (let waited = 0; waited < bakeMs; waited += BAKE_POLL_MS) {
      await sleep(Math.min(BAKE_POLL_MS, bakeMs - waited));
      const { canary } = (await readReleaseState(this.clients.kvs, this.outputs.kvsArn)).state;
      if (!canary || canary.release !== release) return `the canary is now ${canary?.release ?? 'gone'}`;
      if (canary.abortedBecause || canary.weight === 0) return `aborted: ${canary.abortedBecause ?? 'weight set to 0'}`;
    }
    return undefined;
  }
}

/** The command: parses argv, changes the store, and returns the exit code the process ends with. */
export function main(argv: string[], io: ReleaseIo = processIo): Promise<number> {
  return runCommand(SPEC, argv, io, async (values) => {
    const options = parseOptions(values);
    try {
      const clients = io.clients ?? clientsFrom(process.env);
      const outputs = await siteOutputs(clients.cloudFormation, options.env);
      return await new Release(options, clients, outputs, { ...io, who: io.who ?? actor() }).run();
    } catch (error) {
      io.err(`release: could not change: ${(error as Error).message}`);
      return EXIT.failed;
    }
  });
}

runIfMain(module, main);
