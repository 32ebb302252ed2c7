/**
 * Feature flags without a deploy: declared in lib/config/flags.ts and defaulted per environment; this writes their
 * current values to the release store, which the edge serves at /flags.json within seconds.
 *
 *   npm run flag -- --env production --set smsReminders=10% --reason "start the rollout"
 *
 * A percentage uses the canary's sticky bucket, so a browser keeps its answer as the share grows.
 */
import type { StoredFlag } from '../lambda/shared/release-store';
import { readReleaseState } from '../lambda/shared/release-store';
import { ENVIRONMENT_NAMES, EnvironmentName, loadAppConfig } from '../lib/config';
import { FLAG_NAMES, FlagName, FLAGS, flagDefaults } from '../lib/config/flags';
import { environmentFlag, FlagValues, Io, processIo, runCommand, runIfMain } from './lib/command';
import { actor, clientsFrom, ReleaseClients, siteOutputs } from './lib/release-aws';
import { changeReleaseState } from './lib/release-change';

export const EXIT = { done: 0, usage: 2, failed: 3, notRecorded: 4 } as const;

const USAGE = `usage: npm run flag -- --env <staging|production> (--set <flag>=<true|false|N%> … | --unset <flag> … | --list) --reason "<why>"
Exit codes: 0 done; 2 usage (unknown flag, wrong type); 3 could not change; 4 changed but not recorded`;

const SPEC = {
  name: 'flag',
  usage: USAGE,
  options: {
    env: { type: 'string' as const },
    set: { type: 'string' as const, multiple: true },
    unset: { type: 'string' as const, multiple: true },
    list: { type: 'boolean' as const, default: false },
    reason: { type: 'string' as const },
  },
};

/** Tests pass stand-in clients and who is changing. */
export interface FlagIo extends Io {
  readonly clients?: ReleaseClients;
  readonly who?: string;
}

const describeValue = (value: StoredFlag) => (typeof value === 'boolean' ? String(value) : `${value.percent}%`);

function flagList(env: EnvironmentName): string {
  const defaults = flagDefaults(loadAppConfig()[env]);
  return [
    'flags:',
    ...FLAG_NAMES.map(
      (name) =>
        `  ${name} (${FLAGS[name].type}, default ${defaults[name]} in ${env}, owner ${FLAGS[name].owner}): ${FLAGS[name].description}`,
    ),
  ].join('\n');
}

/** `name=value` → the flag and its stored value, or an error naming the flag and what it accepts. */
export function parseAssignment(text: string): [FlagName, StoredFlag] {
  const at = text.indexOf('=');
  const name = at > 0 ? text.slice(0, at) : text;
  const raw = at > 0 ? text.slice(at + 1) : '';
  if (!(FLAG_NAMES as string[]).includes(name))
    throw new Error(
      `"${name}" is not a declared flag. Fix: use one of the flags below, or declare it in lib/config/flags.ts.`,
    );
  if (raw === 'true' || raw === 'false') return [name as FlagName, raw === 'true'];
  const percent = /^(\d{1,3}(?:\.\d{1,2})?)%$/.exec(raw);
  if (percent && Number(percent[1]) <= 100) return [name as FlagName, { percent: Number(percent[1]) }];
  throw new Error(
    `${name} is a ${FLAGS[name as FlagName].type}: "${raw}" is not one. Fix: --set ${name}=true, ${name}=false or ${name}=<0-100>% (a rollout).`,
  );
}

interface Options {
  env: EnvironmentName;
  set: Array<[FlagName, StoredFlag]>;
  unset: FlagName[];
  list: boolean;
  reason: string;
}

function parseOptions(values: FlagValues): Options {
  const env = environmentFlag(values.env);
  const set = ((values.set as string[] | undefined) ?? []).map(parseAssignment);
  const unset = ((values.unset as string[] | undefined) ?? []).map((name) => parseAssignment(`${name}=false`)[0]);
  if (!values.list && set.length + unset.length === 0) throw new Error('say what to change: --set, --unset or --list.');
  const reason = (values.reason as string | undefined)?.trim() ?? '';
  if (!values.list && !reason)
    throw new Error('say why: every flag change goes into the audit trail with its reason. Fix: add --reason "<why>".');
  return { env, set, unset, list: values.list === true, reason };
}

/** The command: parses argv, changes the flags, and returns the exit code the process ends with. */
export function main(argv: string[], io: FlagIo = processIo): Promise<number> {
  return runCommand(SPEC, argv, io, (values) => {
    let options: Options;
    try {
      options = parseOptions(values);
    } catch (error) {
      // A wrong flag name or value: the usage and the declared flags, with their defaults in that environment.
      const env = ENVIRONMENT_NAMES.includes(values.env as EnvironmentName)
        ? (values.env as EnvironmentName)
        : 'production';
      io.err(`flag: ${(error as Error).message}\n${USAGE}\n${flagList(env)}`);
      return EXIT.usage;
    }
    return changeFlags(options, io);
  });
}

async function changeFlags(options: Options, io: FlagIo): Promise<number> {
  const { env } = options;
  try {
    const clients = io.clients ?? clientsFrom(process.env);
    const outputs = await siteOutputs(clients.cloudFormation, env);
    const defaults = flagDefaults(loadAppConfig()[env]);
    if (options.list) {
      const { flags } = (await readReleaseState(clients.kvs, outputs.kvsArn)).state;
      for (const name of FLAG_NAMES)
        io.out(
          `${name}: ${name in flags ? `${describeValue(flags[name])} (set)` : `${defaults[name]} (default)`}  owner ${FLAGS[name].owner}`,
        );
      return EXIT.done;
    }
    const { before, change, recorded } = await changeReleaseState(
      clients,
      outputs,
      {
        env,
        action: 'flag-set',
        who: io.who ?? actor(),
        why: options.reason,
        decide: (state) => {
          const flags: Record<string, StoredFlag> = { ...state.flags };
          for (const [name, value] of options.set) flags[name] = value;
          for (const name of options.unset) delete flags[name];
          return JSON.stringify(flags) === JSON.stringify(state.flags) ? undefined : { flags };
        },
      },
      io.err,
    );
    if (!change) {
      io.out(`${env}: the flags already have those values; nothing changed.`);
      return EXIT.done;
    }
    for (const name of FLAG_NAMES) {
      const was = name in before.flags ? describeValue(before.flags[name]) : `${defaults[name]} (default)`;
      const now = name in change.flags! ? describeValue(change.flags![name]) : `${defaults[name]} (default)`;
      if (was !== now) io.out(`${env}: ${name} ${was} -> ${now}`);
    }
    io.out('Edges serve it at /flags.json within seconds; open tabs see it when the app next reads /flags.json.');
    return recorded ? EXIT.done : EXIT.notRecorded;
  } catch (error) {
    io.err(`flag: could not change: ${(error as Error).message}`);
    return EXIT.failed;
  }
}

runIfMain(module, main);
