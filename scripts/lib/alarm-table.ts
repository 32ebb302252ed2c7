/**
 * docs/alarms.md from the synthesized templates: every alarm of each environment with its severity, condition,
 * modeled time to detect (`npm run ttd`'s model, where one exists) and runbook. A test keeps the file current.
 */
import { clientTimeToDetect } from '../../tools/analysis/client-time-to-detect';
import { RUNBOOK_IN_DESCRIPTION } from '../../lib/monitoring/platform-alarm';
import { alarmsOf, EvaluatedAlarm, Template } from '../../tools/analysis/template';
import { backupTimeToDetect, DetectionRow, timeToDetect } from '../../tools/analysis/time-to-detect';

export interface TemplateStack {
  readonly stackName: string;
  readonly template: Template;
}

export interface AlarmRow {
  readonly name: string;
  readonly severity: string;
  readonly condition: string;
  /** Modeled worst case in seconds, or undefined where the model has none (most warnings). */
  readonly detectSeconds?: number;
  readonly runbook: string;
}

const COMPARISON: Record<string, string> = {
  GreaterThanOrEqualToThreshold: '≥',
  GreaterThanThreshold: '>',
  LessThanThreshold: '<',
  LessThanOrEqualToThreshold: '≤',
};

/** A dimension's value when it is a literal; a reference to another resource reads as its name only. */
const dimension = (d: { Name: string; Value: unknown }) =>
  typeof d.Value === 'string' ? `${d.Name}=${d.Value}` : d.Name;

/** A template value as text: a literal, or an `Fn::Join` whose references read as `<ref>`. */
function literalText(value: unknown): string {
  if (typeof value === 'string') return value;
  const join = (value as { 'Fn::Join'?: [string, unknown[]] } | undefined)?.['Fn::Join'];
  return join ? join[1].map(literalText).join(join[0]) : '<ref>';
}

function condition(p: EvaluatedAlarm): string {
  const dims = (p.Dimensions ?? []).map(dimension).join(',');
  const metric = `${p.Namespace} ${p.MetricName}${dims ? `{${dims}}` : ''}`;
  const statistic = p.ExtendedStatistic ?? p.Statistic;
  return `${statistic} of ${metric} ${COMPARISON[p.ComparisonOperator ?? ''] ?? p.ComparisonOperator} ${p.Threshold} in ${p.DatapointsToAlarm} of ${p.EvaluationPeriods} × ${p.Period} s; missing data ${p.TreatMissingData}`;
}

/** A detection row names its alarm first and may add which path it models: `miko-x-critical-y (count)`. */
function detectionByAlarm(monitoring: TemplateStack, telemetry?: TemplateStack): Map<string, number> {
  const rows: DetectionRow[] = [
    ...timeToDetect(monitoring.template),
    ...backupTimeToDetect(monitoring.template),
    ...(telemetry ? clientTimeToDetect(monitoring.template, telemetry.template) : []),
  ];
  const byAlarm = new Map<string, number>();
  for (const row of rows) {
    const name = row.alarm.split(' ')[0];
    if (name.startsWith('miko-')) byAlarm.set(name, Math.max(byAlarm.get(name) ?? 0, row.seconds));
  }
  return byAlarm;
}

/** Every alarm of one environment's stacks; an alarm without a name or a runbook is an error naming it. */
export function alarmRows(stacks: readonly TemplateStack[]): AlarmRow[] {
  const monitoring = stacks.find((s) => s.stackName.endsWith('-Monitoring'));
  if (!monitoring) throw new Error('no Monitoring stack among the environment stacks');
  const detection = detectionByAlarm(
    monitoring,
    stacks.find((s) => s.stackName.endsWith('-Telemetry')),
  );
  return stacks
    .flatMap((stack) =>
      alarmsOf(stack.template).map((alarm) => {
        const runbook = RUNBOOK_IN_DESCRIPTION.exec(literalText(alarm.AlarmDescription ?? ''))?.[1];
        if (!runbook)
          throw new Error(
            `${stack.stackName}: ${alarm.AlarmName} names no runbook. Fix: give its spec a runbook (lib/monitoring/platform-alarm.ts).`,
          );
        const severity = /^miko-[a-z]+-(critical|warning)-/.exec(alarm.AlarmName)?.[1] ?? '?';
        const name = alarm.AlarmName;
        return { name, severity, condition: condition(alarm), detectSeconds: detection.get(name), runbook };
      }),
    )
    .sort((a, b) => a.severity.localeCompare(b.severity) || a.name.localeCompare(b.name));
}

export function alarmsMarkdown(environments: ReadonlyArray<{ name: string; rows: readonly AlarmRow[] }>): string {
  const lines = [
    '<!-- Written by `npm run alarms` from the synthesized templates; a test fails when it is stale. -->',
    '',
    '# Alarms',
    '',
    'Every alarm of each environment, made by `createPlatformAlarm` (lib/monitoring/platform-alarm.ts). Time to',
    'detect is the worst case of the model in `npm run ttd` ([ttd.md](ttd.md)); "—" where it models none.',
  ];
  for (const env of environments) {
    lines.push('', `## ${env.name} (${env.rows.length} alarms)`, '');
    lines.push('| Alarm | Severity | Condition | Time to detect | Runbook |', '|---|---|---|---|---|');
    for (const row of env.rows) {
      const detect = row.detectSeconds === undefined ? '—' : `${Math.round(row.detectSeconds)} s`;
      const runbook = `[${row.runbook.replace('docs/runbooks/', '')}](${row.runbook.replace('docs/', '')})`;
      lines.push(`| ${row.name} | ${row.severity} | ${row.condition} | ${detect} | ${runbook} |`);
    }
  }
  return `${lines.join('\n')}\n`;
}
