/**
 * What CloudFormation's own handlers do for each resource type the stacks deploy: the permissions its published
 * resource schemas list under `handlers.{create,update,delete}.permissions`, kept in
 * tools/permissions/cfn-handler-permissions.json for the resource types of the assembly (both environments).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENVIRONMENT_NAMES } from '../../lib/config/schema';
import { environmentStackTemplates, StackTemplate } from './stacks';

export const HANDLER_PERMISSIONS_FILE = join(
  __dirname,
  '..',
  '..',
  'tools',
  'permissions',
  'cfn-handler-permissions.json',
);

export const HANDLERS = ['create', 'update', 'delete'] as const;
export type Handler = (typeof HANDLERS)[number];

export type TypeHandlerPermissions = { readonly schema: string } & Readonly<Record<Handler, readonly string[]>>;

export interface HandlerPermissionsFile {
  readonly provenance: {
    readonly schemas: string;
    /** Where this copy of the schemas came from (e.g. a mirror's commit), as given with --source. */
    readonly copy: string;
    readonly extracted: string;
  };
  readonly types: Readonly<Record<string, TypeHandlerPermissions>>;
  /** Types the registry has no schema with handlers for, and why nothing is listed for them. */
  readonly withoutSchema: Readonly<Record<string, string>>;
}

export const SCHEMA_SOURCE =
  "CloudFormation's resource provider schemas, as AWS serves them in https://schema.cloudformation.us-east-1.amazonaws.com/CloudformationSchema.zip";

/** The stacks CloudFormation deploys with the bootstrap execution role (the CiAccess stacks are not among them). */
export function executionRoleStacks(assemblyDir: string): StackTemplate[] {
  return ENVIRONMENT_NAMES.flatMap((env) => environmentStackTemplates(assemblyDir, env)).filter(
    (s) => s.executionRoleArn !== undefined,
  );
}

export function resourceTypes(stacks: readonly StackTemplate[]): string[] {
  return [...new Set(stacks.flatMap((s) => Object.values(s.template.Resources ?? {}).map((r) => r.Type)))].sort();
}

/** Why a type has no registry schema to take handler permissions from, or undefined when it should have one. */
export function reasonWithoutSchema(type: string): string | undefined {
  if (type === 'AWS::CDK::Metadata') return 'CDK-only metadata: CloudFormation creates nothing and calls no service';
  if (type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource')
    return "a custom resource: CloudFormation invokes its provider's Lambda (lambda:InvokeFunction)";
  if (type.startsWith('AWS::CloudFormation::')) return "CloudFormation's own type: handled inside CloudFormation";
  return undefined;
}

interface Schema {
  readonly typeName?: string;
  readonly handlers?: Partial<Record<string, { permissions?: string[] }>>;
}

/** Every schema of the folder (the unzipped CloudformationSchema.zip: one `aws-<service>-<type>.json` per type). */
export function readSchemas(dir: string): Map<string, { file: string; schema: Schema }> {
  if (!existsSync(dir))
    throw new Error(`${dir} does not exist. Fix: unzip CloudformationSchema.zip there (docs/readme/permissions.md).`);
  const byType = new Map<string, { file: string; schema: Schema }>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    let schema: Schema;
    try {
      schema = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Schema;
    } catch (error) {
      throw new Error(`${join(dir, file)} is not JSON (${(error as Error).message}). Fix: extract the schemas again.`);
    }
    if (typeof schema.typeName === 'string') byType.set(schema.typeName, { file, schema });
  }
  if (byType.size === 0)
    throw new Error(
      `${dir} holds no resource schema (no .json file with a typeName). Fix: point --schemas at the unzipped folder.`,
    );
  return byType;
}

/** The data file's content for these types, from these schemas. */
export function handlerPermissions(
  types: readonly string[],
  schemas: ReadonlyMap<string, { file: string; schema: Schema }>,
  provenance: HandlerPermissionsFile['provenance'],
): HandlerPermissionsFile {
  const withSchema: Record<string, TypeHandlerPermissions> = {};
  const withoutSchema: Record<string, string> = {};
  const missing: string[] = [];
  for (const type of types) {
    const found = schemas.get(type);
    const reason = reasonWithoutSchema(type);
    if (reason) withoutSchema[type] = reason;
    else if (!found) missing.push(type);
    else if (!HANDLERS.some((h) => found.schema.handlers?.[h]))
      withoutSchema[type] =
        `${found.file} declares no handlers: a type CloudFormation implements itself, outside the registry; the namespace row of lib/delivery/execution-policy.ts covers it`;
    else
      withSchema[type] = {
        schema: found.file,
        ...(Object.fromEntries(
          HANDLERS.map((h) => [h, [...new Set(found.schema.handlers?.[h]?.permissions ?? [])].sort()]),
        ) as Record<Handler, string[]>),
      };
  }
  if (missing.length > 0)
    throw new Error(
      `no schema for ${missing.join(', ')} in the folder given. Fix: download a newer CloudformationSchema.zip (docs/readme/permissions.md).`,
    );
  return { provenance, types: withSchema, withoutSchema };
}

export function readHandlerPermissions(file = HANDLER_PERMISSIONS_FILE): HandlerPermissionsFile {
  return JSON.parse(readFileSync(file, 'utf8')) as HandlerPermissionsFile;
}
