/**
 * Rehearse an incident offline: the environment's stand-ins (tools/stand-ins/world.ts), the real prober and the
 * synthesized alarms on a faster clock; injects the fault and prints the page with its runbook. A person
 * (or --auto: the runbook's `sh gameday` blocks) recovers; it ends when verify passes, every critical alarm is OK
 * and the scenario's check holds, and adds a timed row to docs/gameday.md.
 */
import { RUNBOOK_IN_DESCRIPTION } from '../lib/monitoring/platform-alarm';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { timeToDetect } from '../tools/analysis/time-to-detect';
import { STAGE_IDS } from '../lib/stage-ids';
import { loadAssembly, exportLines, worldFlags, StandInFlags } from '../tools/stand-ins/start';
import { startWorld, World } from '../tools/stand-ins/world';
import { runbookCommandsOf } from './gameday/runbook-commands';
import { Check, Scenario, scenarioNamed, SCENARIOS } from './gameday/scenarios';
import { environmentStacks } from './lib/read-assembly';
import { main as verifyMain } from './verify';
import { FlagValues, Io, processIo, runCommand, runIfMain, UsageError } from './lib/command';

const REPO_ROOT = join(__dirname, '..');
const USAGE = `usage: npm run gameday -- --env <staging|production> --scenario <${SCENARIOS.map((s) => s.name).join('|')}|all>… [--auto] [--scale 10] [--assembly <cdk.out>] [--runbook [<scenario>=]<file>]… [--report <file>|none]
  --scenario one or more (repeat it), or all: each on fresh stand-ins, in order
  --auto     run the runbook's own \`sh gameday\` blocks instead of waiting for a person
  --scale    modeled AWS seconds per local second (prober slots, alarm periods, caches, verify's waits)
  --runbook  rehearse another copy of the runbook (default: the scenario's)
  --report   where the report row goes (default docs/gameday.md; none: nowhere)
Exit codes: 0 every scenario recovered; 1 one did not; 2 usage`;

const SPEC = {
  name: 'gameday',
  usage: USAGE,
  options: {
    env: { type: 'string' as const },
    scenario: { type: 'string' as const, multiple: true },
    auto: { type: 'boolean' as const, default: false },
    scale: { type: 'string' as const },
    assembly: { type: 'string' as const },
    runbook: { type: 'string' as const, multiple: true },
    report: { type: 'string' as const },
  },
};

/**
 * How long recovery may take after the runbook's last command, in modeled seconds: the slowest critical alarm
 * clearing (two 60 s periods) and a margin; what is not recovered by then, the runbook did not recover.
 */
const RECOVERY_MODELED_S = 180;
/** Without --auto, how long a person has, in modeled seconds (the assessment's < 30 minute resolution). */
const MANUAL_MODELED_S = 1800;

interface Options extends StandInFlags {
  readonly scenario: Scenario;
  readonly auto: boolean;
  readonly runbook: string;
  readonly report?: string;
}

interface Step {
  readonly what: string;
  /** Seconds after the fault, local clock. */
  readonly atS: number;
  readonly tookS?: number;
  readonly ok: boolean;
  readonly modeled?: string;
}

/** One rehearsal per --scenario (repeatable, or `all`), in order, each on a fresh set of stand-ins. */
function parse(flagValues: FlagValues): Options[] {
  const values = flagValues as { scenario?: string[]; runbook?: string[]; report?: string; auto: boolean };
  const names = (values.scenario ?? []).flatMap((name) => (name === 'all' ? SCENARIOS.map((s) => s.name) : [name]));
  const unknown = names.find((name) => !scenarioNamed(name));
  if (names.length === 0 || unknown !== undefined)
    throw new UsageError(
      `--scenario is ${unknown ? `"${unknown}"` : 'missing'}. Fix: one of ${SCENARIOS.map((s) => s.name).join(', ')}, or all.`,
    );
  // --runbook <file> for one scenario, or --runbook <scenario>=<file> for any of several.
  const overrides = new Map(
    (values.runbook ?? []).map((given) => {
      const named = /^([a-z-]+)=(.+)$/.exec(given);
      if (named) return [named[1], named[2]];
      if (names.length !== 1)
        throw new UsageError(
          `--runbook ${given} names no scenario. Fix: --runbook <scenario>=<file> with several scenarios.`,
        );
      return [names[0], given];
    }),
  );
  const flags = worldFlags(flagValues as { env?: string; scale?: string; assembly?: string });
  return names.map((name) => {
    const scenario = scenarioNamed(name)!;
    const runbook = overrides.get(name) ?? join(REPO_ROOT, scenario.runbook);
    if (!existsSync(runbook)) throw new UsageError(`--runbook ${runbook} does not exist. Fix: give a runbook file.`);
    return {
      ...flags,
      scenario,
      auto: values.auto,
      runbook,
      report: values.report === 'none' ? undefined : (values.report ?? join(REPO_ROOT, 'docs', 'gameday.md')),
    };
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs one runbook line in bash with the operator's variables; its output is printed indented. */
function runShell(command: string, env: NodeJS.ProcessEnv, io: Io): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', command], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const relay = (print: (line: string) => void) => (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) print(`    | ${line}`);
    };
    child.stdout.on('data', relay(io.out));
    child.stderr.on('data', relay(io.out));
    child.on('close', (code) => resolve(code ?? 1));
  });
}

/** verify against the live release, its site checks only (the alarms are judged here, on the same clock). */
async function verifyPasses(env: string): Promise<boolean> {
  const quiet = () => undefined;
  return (await verifyMain(['--env', env, '--release', 'live', '--skip-alarms'], { out: quiet, err: quiet })) === 0;
}

function criticalAlarmsFiring(world: World): string[] {
  return world.cloudWatch.alarms
    .filter((a) => a.critical && world.cloudWatch.states.get(a.AlarmName)?.state === 'ALARM')
    .map((a) => a.AlarmName);
}

/** The runbook an alarm's page links: the link in its description, or the one its family belongs to. */
export function runbookOf(alarm: { AlarmName: string; AlarmDescription?: string }): string {
  const linked = RUNBOOK_IN_DESCRIPTION.exec(alarm.AlarmDescription ?? '')?.[1];
  if (!linked)
    throw new Error(
      `${alarm.AlarmName} names no runbook in its description. Fix: build it with createPlatformAlarm (lib/monitoring/platform-alarm.ts), which requires one.`,
    );
  return linked;
}

function modeledDetection(options: Options, alarmName: string): number | undefined {
  const monitoring = environmentStacks(loadAssemblyOnce(options), options.env).find(
    (s) => s.stackName === `${STAGE_IDS[options.env]}-Monitoring`,
  );
  return monitoring ? timeToDetect(monitoring.template).find((r) => r.alarm === alarmName)?.seconds : undefined;
}

let assemblyCache: ReturnType<typeof loadAssembly> | undefined;
function loadAssemblyOnce(options: StandInFlags) {
  assemblyCache ??= loadAssembly(options.assembly);
  return assemblyCache;
}

async function rehearse(options: Options, io: Io): Promise<{ steps: Step[]; recovered: boolean; page?: string }> {
  const assembly = loadAssemblyOnce(options);
  const world = await startWorld({
    env: options.env,
    assembly,
    scale: options.scale,
    database: options.scenario.database,
    // A Lambda's log lines go to CloudWatch Logs: printed here, the health handler's would bury the rehearsal's.
    lambdaLog: () => undefined,
  });
  const steps: Step[] = [];
  try {
    const extra = {
      MIKO_ASSEMBLY: assembly.directory,
      ENV: options.env,
      ...(await options.scenario.prepare?.(world)),
    };
    const operatorEnv = { ...world.operatorEnv, ...extra };
    Object.assign(process.env, operatorEnv);
    io.out(`game day: ${options.scenario.name} in ${options.env} — ${options.scenario.summary}`);
    for (const line of exportLines(world)) io.out(line);
    for (const [name, value] of Object.entries(extra)) io.out(`export ${name}=${value}`);
    // A baseline: the prober has published, and nothing is firing before the fault.
    await sleep(((3 * 5) / options.scale) * 1000);
    const firingBefore = criticalAlarmsFiring(world);
    if (firingBefore.length) io.out(`note: already in ALARM before the fault: ${firingBefore.join(', ')}`);

    const check = await options.scenario.inject(world);
    const injectedAt = Date.now();
    const at = () => (Date.now() - injectedAt) / 1000;
    const modeled = (s: number) => `${Math.round(s * options.scale)} s`;
    steps.push({ what: `fault injected: ${options.scenario.summary}`, atS: 0, ok: true });
    io.out(`[${at().toFixed(1)} s] FAULT injected`);

    let page: string | undefined;
    if (options.scenario.pages) {
      const expected = `miko-${options.env}-${options.scenario.pages}`;
      const model = modeledDetection(options, expected);
      // Generous: it only bounds a fault that never pages; a loaded laptop must not turn a slow page into none.
      const waitS = ((model ?? 300) * 3 + 120) / options.scale + 10;
      // The expected page, whether or not another critical alarm paged before it (that one is reported too).
      let earlier: string | undefined;
      while (at() < waitS && !page) {
        const fired = world.cloudWatch.transitions.filter(
          (t) => t.at >= injectedAt && t.to === 'ALARM' && t.alarm.critical,
        );
        const first = fired.find((t) => t.alarm.AlarmName === expected);
        earlier ??= fired.find((t) => t.alarm.AlarmName !== expected)?.alarm.AlarmName;
        if (first) {
          page = first.alarm.AlarmName;
          const detail = `PAGE critical ${page}: ${first.reason}. Runbook: ${runbookOf(first.alarm)}`;
          steps.push({
            what: detail,
            atS: (first.at - injectedAt) / 1000,
            ok: true,
            modeled: `${modeled((first.at - injectedAt) / 1000)} (ttd model ${model ?? '?'} s)`,
          });
          io.out(`[${at().toFixed(1)} s] ${detail}`);
          if (earlier) io.out(`  (also paged: ${earlier})`);
          break;
        }
        await sleep(50);
      }
      if (!page) {
        steps.push({ what: `no page within ${modeled(waitS)} (expected ${expected})`, atS: at(), ok: false });
        io.out(`[${at().toFixed(1)} s] NO PAGE: ${expected} did not fire`);
      }
    } else {
      steps.push({ what: 'no alarm for this fault: a person reports it', atS: 0, ok: true });
    }

    if (options.auto) {
      for (const command of runbookCommandsOf(options.runbook)) {
        const started = at();
        io.out(`[${started.toFixed(1)} s] $ ${command}`);
        const code = await runShell(command, { ...process.env, ...operatorEnv }, io);
        steps.push({ what: `$ ${command} → exit ${code}`, atS: started, tookS: at() - started, ok: code === 0 });
        if (code !== 0) {
          io.out(`[${at().toFixed(1)} s] the runbook's command failed (exit ${code}); the rehearsal stops here`);
          return { steps, recovered: false, page };
        }
      }
    } else {
      io.out(
        `Follow ${options.scenario.runbook} in another terminal, with the exports above. This ends when the site has recovered (at most ${modeled(MANUAL_MODELED_S / options.scale)} modeled); Ctrl-C stops it.`,
      );
    }

    const limitS = at() + (options.auto ? RECOVERY_MODELED_S : MANUAL_MODELED_S) / options.scale;
    let last: { verify: boolean; firing: string[]; check: Check } | undefined;
    while (at() < limitS) {
      last = { verify: await verifyPasses(options.env), firing: criticalAlarmsFiring(world), check: await check() };
      if (last.verify && last.firing.length === 0 && last.check.ok) {
        steps.push({
          what: `recovered: verify passes, critical alarms OK, ${last.check.detail}`,
          atS: at(),
          ok: true,
          modeled: `alarm clock ${modeled(at())}`,
        });
        io.out(`[${at().toFixed(1)} s] RECOVERED: ${last.check.detail}`);
        return { steps, recovered: true, page };
      }
      await sleep(Math.max(100, 5000 / options.scale));
    }
    const why = [
      last?.verify ? '' : 'verify does not pass',
      last?.firing.length ? `in ALARM: ${last.firing.join(', ')}` : '',
      last?.check.ok ? '' : (last?.check.detail ?? 'not checked'),
    ].filter(Boolean);
    steps.push({ what: `NOT recovered: ${why.join('; ')}`, atS: at(), ok: false });
    io.out(`[${at().toFixed(1)} s] NOT RECOVERED: ${why.join('; ')}`);
    return { steps, recovered: false, page };
  } finally {
    await world.stop();
  }
}

/** A rehearsal passes when it recovered and every step held (the expected page came, every command exited 0). */
const verdict = (steps: readonly Step[], recovered: boolean) =>
  !recovered ? 'NOT RECOVERED' : steps.every((s) => s.ok) ? 'RECOVERED' : 'RECOVERED, but a step failed (marked !)';

function reportLines(options: Options, steps: readonly Step[], recovered: boolean): string[] {
  return [
    `game day ${options.scenario.name} (${options.env}), clock ${options.scale}x: ${verdict(steps, recovered)}`,
    ...steps.map(
      (s) =>
        `  ${s.ok ? ' ' : '!'} ${s.atS.toFixed(1).padStart(6)} s  ${s.tookS === undefined ? '' : `(${s.tookS.toFixed(1)} s) `}${s.what}${s.modeled ? `  [AWS: ${s.modeled}]` : ''}`,
    ),
  ];
}

const REPORT_HEADER = `# Game day

Written by \`npm run gameday -- --env <env> --scenario <name> --auto\` (one row per scenario and environment; see
README "Rehearse an incident"). Times are seconds after the fault on the stand-ins; "AWS" multiplies the local
alarm clock by the scale factor (prober slots, alarm periods, secret caches and verify's waits run that much
faster), beside the \`npm run ttd\` model. Commands (rotations, rollbacks, uploads) run at their own local speed, so
the AWS recovery figure, which scales them too, is an upper bound: the waits inside it (alarms clearing, the health
API's 5-minute secret cache, a provider's outage) are what it models.

| scenario | env | scale | runbook | first page | detected (local → AWS) | ttd model | runbook commands | recovered (local → at most, AWS) | result |
|---|---|---|---|---|---|---|---|---|---|
`;

function writeReportRow(path: string, options: Options, steps: readonly Step[], recovered: boolean, page?: string) {
  const pageStep = steps.find((s) => s.what.startsWith('PAGE'));
  const commands = steps.filter((s) => s.tookS !== undefined);
  const recoveredStep = steps.find((s) => s.what.startsWith('recovered'));
  const row = `| ${options.scenario.name} | ${options.env} | ${options.scale}x | ${options.scenario.runbook.replace('docs/', '')} | ${page ?? 'none'} | ${
    pageStep ? `${pageStep.atS.toFixed(1)} s → ${Math.round(pageStep.atS * options.scale)} s` : '-'
  } | ${pageStep?.modeled?.match(/ttd model (\S+) s/)?.[1] ?? '-'} s | ${commands.length} (${commands.reduce((a, s) => a + s.tookS!, 0).toFixed(1)} s) | ${
    recoveredStep ? `${recoveredStep.atS.toFixed(1)} s → ${Math.round(recoveredStep.atS * options.scale)} s` : '-'
  } | ${verdict(steps, recovered).toLowerCase()} |`;
  const existing = existsSync(path) ? readFileSync(path, 'utf8') : REPORT_HEADER;
  const key = `| ${options.scenario.name} | ${options.env} |`;
  const lines = existing.split('\n').filter((line) => !line.startsWith(key));
  const tableEnd = lines.map((line) => line.startsWith('|')).lastIndexOf(true);
  lines.splice(tableEnd + 1, 0, row);
  writeFileSync(path, lines.join('\n'));
}

export function main(argv: string[], io: Io = processIo): Promise<number> {
  return runCommand(SPEC, argv, io, (values) => rehearseAll(parse(values), io));
}

async function rehearseAll(rehearsals: Options[], io: Io): Promise<number> {
  const summary: string[] = [];
  for (const options of rehearsals) {
    const { steps, recovered, page } = await rehearse(options, io);
    const lines = reportLines(options, steps, recovered);
    for (const line of lines) io.out(line);
    summary.push(lines[0]);
    if (options.report) writeReportRow(options.report, options, steps, recovered, page);
  }
  if (rehearsals.length > 1) for (const line of summary) io.out(line);
  return summary.every((line) => line.endsWith(': RECOVERED')) ? 0 : 1;
}

runIfMain(module, main);
