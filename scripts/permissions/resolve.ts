/**
 * Resolves one environment's templates to the values CloudFormation would deploy: the intrinsic functions, pseudo
 * parameters, cross-stack references (`Fn::GetStackOutput`, `Fn::ImportValue`) and SSM parameters. On demand, so
 * only what a policy or a path uses has to be known.
 */
import { physicalValue, ResourceSite } from './physical-ids';
import type { CfnResource, StackTemplate } from './stacks';
import { isRecord } from '../../tools/analysis/template';

/** A resource of the environment, where it was declared. */
export interface ResourceRecord extends ResourceSite {
  readonly stack: StackTemplate;
}

export class ResolveError extends Error {
  constructor(stack: StackTemplate, what: string, fix: string) {
    super(`${stack.stackName} (${stack.templateFile}): ${what}. Fix: ${fix}`);
    this.name = 'ResolveError';
  }
}

const PSEUDO = (stack: StackTemplate): Record<string, string> => ({
  'AWS::AccountId': stack.account,
  'AWS::Region': stack.region,
  'AWS::Partition': 'aws',
  'AWS::URLSuffix': 'amazonaws.com',
  'AWS::StackName': stack.stackName,
  'AWS::StackId': `arn:aws:cloudformation:${stack.region}:${stack.account}:stack/${stack.stackName}/GENERATED`,
});

/** `AWS::NoValue`: the property or list item is left out. */
export const NO_VALUE = Symbol('AWS::NoValue');

export class EnvironmentTemplates {
  readonly account: string;
  readonly region: string;
  private readonly sites = new Map<string, ResourceRecord>();

  constructor(
    readonly stacks: readonly StackTemplate[],
    /** Values of SSM parameters that no stack of the environment creates (`cdk bootstrap`'s version). */
    private readonly ssmParameters: Record<string, string> = {},
  ) {
    this.account = stacks[0].account;
    this.region = stacks[0].region;
  }

  stack(part: string): StackTemplate {
    const found = this.stacks.find((s) => s.part === part || s.stackName === part);
    if (!found)
      throw new Error(`no stack ${part} in this environment (have: ${this.stacks.map((s) => s.part).join(', ')})`);
    return found;
  }

  /** One resource, by stack and logical id. */
  site(stack: StackTemplate, logicalId: string): ResourceRecord {
    const key = `${stack.stackName}/${logicalId}`;
    let record = this.sites.get(key);
    if (!record) {
      const resource = stack.template.Resources?.[logicalId];
      if (!resource)
        throw new ResolveError(stack, `no resource ${logicalId}`, 'synthesize again; a hand edit removed it');
      const properties = resource.Properties ?? {};
      record = {
        stack,
        stackName: stack.stackName,
        logicalId,
        account: stack.account,
        region: stack.region,
        resource,
        property: (name) => (name in properties ? this.resolve(properties[name], stack) : undefined),
      };
      this.sites.set(key, record);
    }
    return record;
  }

  /** Every resource of the environment (of one type, when given), skipping those whose Condition is false. */
  resources(type?: string): ResourceRecord[] {
    return this.stacks.flatMap((stack) =>
      Object.entries(stack.template.Resources ?? {})
        .filter(([, r]) => (!type || r.Type === type) && this.conditionHolds(r, stack))
        .map(([id]) => this.site(stack, id)),
    );
  }

  /** Resolves a template value in the context of its stack: strings, lists and objects with intrinsics replaced. */
  resolve(value: unknown, stack: StackTemplate): unknown {
    if (Array.isArray(value)) return value.map((v) => this.resolve(v, stack)).filter((v) => v !== NO_VALUE);
    if (value === null || typeof value !== 'object') return value;
    const entries = Object.entries(value);
    if (entries.length === 1) {
      const [fn, arg] = entries[0];
      if (fn === 'Ref' || fn.startsWith('Fn::') || fn === 'Condition') return this.intrinsic(fn, arg, stack);
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of entries) {
      const resolved = this.resolve(v, stack);
      if (resolved !== NO_VALUE) out[k] = resolved;
    }
    return out;
  }

  resolveString(value: unknown, stack: StackTemplate): string {
    const resolved = this.resolve(value, stack);
    if (typeof resolved !== 'string')
      throw new ResolveError(
        stack,
        `${JSON.stringify(value)} resolves to ${JSON.stringify(resolved)}, not a string`,
        'check the template',
      );
    return resolved;
  }

  /** An intrinsic's arguments, which CloudFormation writes as a list. */
  private args(fn: string, arg: unknown, stack: StackTemplate): unknown[] {
    if (!Array.isArray(arg))
      throw new ResolveError(stack, `${fn} takes a list, not ${JSON.stringify(arg)}`, 'check the template');
    return arg;
  }

  private intrinsic(fn: string, arg: unknown, stack: StackTemplate): unknown {
    switch (fn) {
      case 'Ref':
        return this.ref(String(arg), stack);
      case 'Fn::GetAtt': {
        const [logicalId, attribute] = Array.isArray(arg) ? arg.map(String) : String(arg).split(/\.(.+)/);
        return physicalValue(this.site(stack, logicalId), attribute);
      }
      case 'Fn::Join': {
        const [separator, parts] = this.args(fn, arg, stack);
        return (this.resolve(parts, stack) as unknown[]).map(String).join(String(separator));
      }
      case 'Fn::Select': {
        const [index, list] = this.args(fn, arg, stack);
        return (this.resolve(list, stack) as unknown[])[Number(this.resolve(index, stack))];
      }
      case 'Fn::Split': {
        const [separator, source] = this.args(fn, arg, stack);
        return this.resolveString(source, stack).split(String(separator));
      }
      case 'Fn::Sub':
        return this.sub(arg, stack);
      case 'Fn::FindInMap': {
        const [map, top, second] = this.args(fn, arg, stack).map((a) => this.resolve(a, stack));
        const found = stack.template.Mappings?.[String(map)]?.[String(top)]?.[String(second)];
        if (found === undefined)
          throw new ResolveError(stack, `Fn::FindInMap ${map}/${top}/${second} has no value`, 'check the Mappings');
        return found;
      }
      case 'Fn::GetAZs':
        return ['a', 'b', 'c'].map((zone) => `${stack.region}${zone}`);
      case 'Fn::If': {
        const [condition, whenTrue, whenFalse] = this.args(fn, arg, stack);
        return this.resolve(this.condition(String(condition), stack) ? whenTrue : whenFalse, stack);
      }
      case 'Fn::GetStackOutput': {
        const output: Record<string, unknown> = isRecord(arg) ? arg : {};
        return this.stackOutput(String(output.StackName), String(output.OutputName), stack);
      }
      case 'Fn::ImportValue':
        return this.importValue(this.resolveString(arg, stack), stack);
      case 'Fn::Equals':
      case 'Fn::Not':
      case 'Fn::And':
      case 'Fn::Or':
      case 'Condition':
        return this.evaluateCondition(fn, arg, stack);
      case 'Fn::Base64':
        return Buffer.from(this.resolveString(arg, stack)).toString('base64');
      default:
        throw new ResolveError(
          stack,
          `the intrinsic ${fn} is not modelled`,
          `add it to scripts/permissions/resolve.ts`,
        );
    }
  }

  private ref(name: string, stack: StackTemplate): unknown {
    if (name === 'AWS::NoValue') return NO_VALUE;
    const pseudo = PSEUDO(stack)[name];
    if (pseudo !== undefined) return pseudo;
    const parameter = stack.template.Parameters?.[name];
    if (parameter) return this.parameter(name, parameter, stack);
    if (!stack.template.Resources?.[name])
      throw new ResolveError(
        stack,
        `Ref ${name} names no resource or parameter`,
        'synthesize again; a hand edit broke it',
      );
    return physicalValue(this.site(stack, name), 'Ref');
  }

  private parameter(name: string, parameter: { Type: string; Default?: unknown }, stack: StackTemplate): unknown {
    if (parameter.Type.startsWith('AWS::SSM::Parameter::Value')) {
      const parameterName = String(parameter.Default);
      const created = this.resources('AWS::SSM::Parameter').find((p) => p.property('Name') === parameterName);
      const value = created ? created.property('Value') : this.ssmParameters[parameterName];
      if (value === undefined)
        throw new ResolveError(
          stack,
          `parameter ${name} reads the SSM parameter ${parameterName}, which no stack creates`,
          `pass its value to the permission model (ssmParameters in scripts/permissions/model.ts)`,
        );
      return value;
    }
    if (parameter.Default === undefined)
      throw new ResolveError(stack, `parameter ${name} has no default`, 'give it one: deploys here pass no parameters');
    return parameter.Default;
  }

  private sub(arg: unknown, stack: StackTemplate): string {
    const [text, variables] = Array.isArray(arg) ? arg : [arg, {}];
    return String(text).replace(/\$\{([^}!][^}]*)\}/g, (_, name: string) => {
      if (variables && name in variables) return String(this.resolve(variables[name], stack));
      if (name.includes('.') && !name.startsWith('AWS::')) {
        const [logicalId, attribute] = name.split(/\.(.+)/);
        return physicalValue(this.site(stack, logicalId), attribute);
      }
      return String(this.ref(name, stack));
    });
  }

  private stackOutput(stackName: string, outputName: string, from: StackTemplate): unknown {
    const target = this.stacks.find((s) => s.stackName === stackName);
    if (!target)
      throw new ResolveError(
        from,
        `Fn::GetStackOutput names the stack ${stackName}, which is not in this environment`,
        'synthesize both stacks together',
      );
    const output = target.template.Outputs?.[outputName];
    if (!output)
      throw new ResolveError(
        from,
        `${stackName} has no output ${outputName}`,
        'synthesize again; a hand edit removed it',
      );
    return this.resolve(output.Value, target);
  }

  private importValue(exportName: string, from: StackTemplate): unknown {
    for (const stack of this.stacks)
      for (const output of Object.values(stack.template.Outputs ?? {}))
        if (output.Export && this.resolve(output.Export.Name, stack) === exportName)
          return this.resolve(output.Value, stack);
    throw new ResolveError(
      from,
      `Fn::ImportValue ${exportName}: no stack exports it`,
      'synthesize the exporting stack too',
    );
  }

  conditionHolds(resource: CfnResource, stack: StackTemplate): boolean {
    return resource.Condition === undefined || this.condition(resource.Condition, stack);
  }

  private condition(name: string, stack: StackTemplate): boolean {
    const definition = stack.template.Conditions?.[name];
    if (definition === undefined) throw new ResolveError(stack, `no condition ${name}`, 'check the template');
    return Boolean(this.resolve(definition, stack));
  }

  private evaluateCondition(fn: string, arg: unknown, stack: StackTemplate): boolean {
    if (fn === 'Condition') return this.condition(String(arg), stack);
    const values = (arg as unknown[]).map((a) => this.resolve(a, stack));
    if (fn === 'Fn::Equals') return JSON.stringify(values[0]) === JSON.stringify(values[1]);
    if (fn === 'Fn::Not') return !values[0];
    if (fn === 'Fn::And') return values.every(Boolean);
    return values.some(Boolean);
  }
}
