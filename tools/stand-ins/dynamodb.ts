/**
 * DynamoDB (JSON 1.0) on 127.0.0.1: conditional PutItem and UpdateItem (SET/ADD, UPDATED_NEW), GetItem, Scan.
 * Like the service, it keeps items past their TTL (deletion takes days), so callers' conditions must treat expired
 * items as absent; `behaviour` makes it hang or fail. An expression outside its grammar (exists, comparisons,
 * AND over OR, `#name`) is a ValidationException, so it fails tests instead of passing.
 */
import { listenAws } from './http';

type AttributeValue = { S?: string; N?: string; BOOL?: boolean };
export type Item = Record<string, AttributeValue>;

export interface LocalDynamoDb {
  readonly url: string;
  /** Table name → partition key value (its S or N) → item. */
  readonly tables: Map<string, Map<string, Item>>;
  /** Every request's operation, in order. */
  readonly calls: string[];
  /** `throttle`: 400 ProvisionedThroughputExceededException, as a partition over its throughput answers. */
  behaviour: 'normal' | 'hang' | 'fail' | 'throttle';
  close(): Promise<void>;
}

/** The fields of PutItem, UpdateItem and GetItem requests the stand-in reads. */
interface ItemRequest {
  readonly TableName: string;
  readonly Item: Item;
  readonly Key: Item;
  readonly ConditionExpression?: string;
  readonly UpdateExpression?: string;
  readonly ExpressionAttributeNames?: Record<string, string>;
  readonly ExpressionAttributeValues?: Record<string, AttributeValue>;
  readonly ReturnValues?: string;
}

class ValidationError extends Error {}

const scalar = (value: AttributeValue | undefined): string | number | boolean | undefined =>
  value === undefined ? undefined : value.N !== undefined ? Number(value.N) : (value.S ?? value.BOOL);

function evaluate(
  expression: string,
  item: Item | undefined,
  names: Record<string, string>,
  values: Record<string, AttributeValue>,
): boolean {
  const name = (token: string) =>
    token.startsWith('#')
      ? (names[token] ??
        (() => {
          throw new ValidationError(`unresolved name ${token}`);
        })())
      : token;
  const clause = (text: string): boolean => {
    const t = text.trim();
    let m = /^attribute_not_exists\(\s*([#\w]+)\s*\)$/.exec(t);
    if (m) return item?.[name(m[1])] === undefined;
    m = /^attribute_exists\(\s*([#\w]+)\s*\)$/.exec(t);
    if (m) return item?.[name(m[1])] !== undefined;
    m = /^([#\w]+)\s*(<=|>=|<>|<|>|=)\s*(:\w+)$/.exec(t);
    if (m) {
      const left = scalar(item?.[name(m[1])]);
      const right = scalar(
        values[m[3]] ??
          (() => {
            throw new ValidationError(`unresolved value ${m![3]}`);
          })(),
      );
      if (left === undefined) return false; // a comparison with a missing attribute is false in DynamoDB
      switch (m[2]) {
        case '<':
          return left < right!;
        case '<=':
          return left <= right!;
        case '>':
          return left > right!;
        case '>=':
          return left >= right!;
        case '=':
          return left === right;
        default:
          return left !== right;
      }
    }
    throw new ValidationError(`Invalid ConditionExpression (this stand-in does not understand "${t}")`);
  };
  return expression.split(/\s+OR\s+/i).some((alternative) => alternative.split(/\s+AND\s+/i).every(clause));
}

function applyUpdate(
  expression: string,
  item: Item,
  names: Record<string, string>,
  values: Record<string, AttributeValue>,
): Item {
  const name = (token: string) => (token.startsWith('#') ? names[token] : token);
  const value = (token: string) => {
    if (!values[token]) throw new ValidationError(`unresolved value ${token}`);
    return values[token];
  };
  const updated = { ...item };
  const sections = expression.split(/\b(SET|ADD)\b/).slice(1);
  if (sections.length === 0) throw new ValidationError(`Invalid UpdateExpression "${expression}"`);
  for (let i = 0; i < sections.length; i += 2) {
    for (const part of sections[i + 1].split(',').map((p) => p.trim())) {
      const m = sections[i] === 'SET' ? /^([#\w]+)\s*=\s*(:\w+)$/.exec(part) : /^([#\w]+)\s+(:\w+)$/.exec(part);
      if (!m) throw new ValidationError(`Invalid UpdateExpression (this stand-in does not understand "${part}")`);
      if (sections[i] === 'SET') updated[name(m[1])] = value(m[2]);
      else updated[name(m[1])] = { N: String(Number(updated[name(m[1])]?.N ?? 0) + Number(value(m[2]).N)) };
    }
  }
  return updated;
}

export async function startLocalDynamoDb(
  options: { partitionKeys?: Record<string, string> } = {},
): Promise<LocalDynamoDb> {
  const tables = new Map<string, Map<string, Item>>();
  const calls: string[] = [];
  const table = (name: string) => {
    if (!tables.has(name)) tables.set(name, new Map());
    return tables.get(name)!;
  };
  const keyOf = (tableName: string, item: Item): string => {
    const keyName = options.partitionKeys?.[tableName] ?? Object.keys(item)[0];
    const value = scalar(item[keyName]);
    if (value === undefined)
      throw new ValidationError(`One or more parameter values were invalid: Missing the key ${keyName} in the item`);
    return String(value);
  };
  const local: LocalDynamoDb = { url: '', tables, calls, behaviour: 'normal', close: async () => undefined };

  const server = await listenAws((call, res) => {
    const operation = call.operation;
    calls.push(operation);
    if (local.behaviour === 'hang') return; // never answers; close() drops the socket
    res.setHeader('content-type', 'application/x-amz-json-1.0');
    const fail = (status: number, type: string, message: string) =>
      res.writeHead(status).end(JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${type}`, message }));
    if (local.behaviour === 'fail') return fail(500, 'InternalServerError', 'Internal server error');
    if (local.behaviour === 'throttle')
      return fail(
        400,
        'ProvisionedThroughputExceededException',
        'The level of configured provisioned throughput for the table was exceeded.',
      );
    if (call.protocol !== 'json-1.0' || call.service !== 'DynamoDB_20120810')
      return fail(400, 'UnknownOperationException', 'unexpected protocol');
    try {
      const body = call.input as ItemRequest;
      const items = table(body.TableName);
      if (operation === 'PutItem') {
        const key = keyOf(body.TableName, body.Item);
        if (
          body.ConditionExpression &&
          !evaluate(
            body.ConditionExpression,
            items.get(key),
            body.ExpressionAttributeNames ?? {},
            body.ExpressionAttributeValues ?? {},
          )
        ) {
          return fail(400, 'ConditionalCheckFailedException', 'The conditional request failed');
        }
        items.set(key, body.Item);
        return res.writeHead(200).end('{}');
      }
      if (operation === 'UpdateItem') {
        const key = keyOf(body.TableName, body.Key);
        const names = body.ExpressionAttributeNames ?? {};
        const values = body.ExpressionAttributeValues ?? {};
        const existing = items.get(key);
        if (body.ConditionExpression && !evaluate(body.ConditionExpression, existing, names, values))
          return fail(400, 'ConditionalCheckFailedException', 'The conditional request failed');
        const updated = applyUpdate(String(body.UpdateExpression ?? ''), { ...body.Key, ...existing }, names, values);
        items.set(key, updated);
        const changed = Object.fromEntries(Object.entries(updated).filter(([n]) => !(n in body.Key)));
        return res
          .writeHead(200)
          .end(JSON.stringify(body.ReturnValues === 'UPDATED_NEW' ? { Attributes: changed } : {}));
      }
      if (operation === 'GetItem') {
        const item = items.get(String(scalar(Object.values(body.Key)[0])));
        return res.writeHead(200).end(JSON.stringify(item ? { Item: item } : {}));
      }
      if (operation === 'Scan')
        return res.writeHead(200).end(JSON.stringify({ Items: [...items.values()], Count: items.size }));
      return fail(400, 'UnknownOperationException', `${operation} is not implemented by this stand-in`);
    } catch (error) {
      return fail(400, 'ValidationException', (error as Error).message);
    }
  });
  return Object.assign(local, { url: server.url, close: server.close });
}
