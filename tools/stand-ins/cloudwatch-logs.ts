/**
 * Logs Insights as @aws-sdk/client-cloudwatch-logs speaks it (JSON 1.1): DescribeQueryDefinitions, StartQuery,
 * GetQueryResults ("Running" on the first poll, then "Complete"; rows as `[{field, value}]`). It runs only the query
 * subset the platform uses (fields, filter, stats … by, sort, limit) and refuses the rest with
 * MalformedQueryException, so a query it cannot run fails tests.
 */
import { listenAws, LocalServer, sendJson } from './http';

export interface StoredLine {
  readonly logGroup: string;
  readonly timestampMs: number;
  readonly line: Record<string, unknown>;
}

/** The fields of DescribeQueryDefinitions, StartQuery and GetQueryResults requests the stand-in reads. */
interface LogsRequest {
  readonly queryDefinitionNamePrefix?: string;
  readonly logGroupNames: string[];
  readonly queryString: string;
  readonly startTime: number;
  readonly endTime: number;
  readonly queryId: string;
}

export interface FakeCloudWatchLogs extends LocalServer {
  readonly lines: StoredLine[];
  readonly queryDefinitions: Array<{ name: string; logGroupNames: string[]; queryString: string }>;
  readonly started: Array<{ logGroupNames: string[]; queryString: string; startTime: number; endTime: number }>;
  /** The next N calls answer 400 ThrottlingException ("Rate exceeded"), as Logs does over an API's TPS quota. */
  throttleNext: number;
}

type Row = Record<string, unknown>;

class MalformedQuery extends Error {}

function run(query: string, rows: Row[]): Row[] {
  let current = rows;
  for (const raw of query
    .split(/\n?\|\s*/)
    .map((c) => c.trim())
    .filter(Boolean)) {
    const [command, ...rest] = raw.split(/\s+/);
    const args = rest.join(' ');
    if (command === 'fields')
      continue; // projection only; stats and tests read named fields
    else if (command === 'filter') {
      const clauses = args.split(/\s+and\s+/).map(
        (c) =>
          /^([\w@]+)\s*=\s*"([^"]*)"$/.exec(c.trim()) ??
          (() => {
            throw new MalformedQuery(`cannot run filter ${c}`);
          })(),
      );
      current = current.filter((row) => clauses.every(([, field, value]) => String(row[field]) === value));
    } else if (command === 'stats') {
      const [aggregates, by = ''] = args.split(/\s+by\s+/);
      const keys = by
        .split(',')
        .map((k) => k.trim())
        .filter(Boolean);
      const groups = new Map<string, Row[]>();
      for (const row of current) {
        const key = JSON.stringify(keys.map((k) => row[k] ?? ''));
        groups.set(key, [...(groups.get(key) ?? []), row]);
      }
      current = [...groups.values()].map((group) => {
        const out: Row = Object.fromEntries(keys.map((k) => [k, group[0][k] ?? '']));
        for (const aggregate of aggregates.split(/,(?![^(]*\))/)) {
          const m = /^\s*(count|latest|earliest|sum)\(([\w@*]+)\)\s+as\s+(\w+)\s*$/.exec(aggregate);
          if (!m) throw new MalformedQuery(`cannot run aggregate ${aggregate}`);
          const values = group.map((r) => r[m[2]]).filter((v) => v !== undefined);
          out[m[3]] =
            m[1] === 'count'
              ? group.length
              : m[1] === 'sum'
                ? values.reduce((a: number, v) => a + Number(v), 0)
                : m[1] === 'latest'
                  ? values[values.length - 1]
                  : values[0];
        }
        return out;
      });
    } else if (command === 'sort') {
      const m = /^([\w@]+)\s+(desc|asc)$/.exec(args);
      if (!m) throw new MalformedQuery(`cannot run sort ${args}`);
      current = [...current].sort((a, b) => (Number(a[m[1]]) - Number(b[m[1]])) * (m[2] === 'desc' ? -1 : 1));
    } else if (command === 'limit') current = current.slice(0, Number(args));
    else throw new MalformedQuery(`unknown command ${command}`);
  }
  return current;
}

export async function startFakeCloudWatchLogs(): Promise<FakeCloudWatchLogs> {
  const lines: StoredLine[] = [];
  const queryDefinitions: FakeCloudWatchLogs['queryDefinitions'] = [];
  const started: FakeCloudWatchLogs['started'] = [];
  const queries = new Map<string, { polls: number; results: Row[] }>();
  const server = await listenAws((call, res) => {
    const body = call.input as LogsRequest;
    const headers = { 'content-type': 'application/x-amz-json-1.1' };
    if (call.protocol !== 'json-1.1' || call.service !== 'Logs_20140328') {
      return sendJson(res, 400, { __type: 'InvalidOperationException', message: 'unexpected protocol' }, headers);
    }
    if (fake.throttleNext > 0) {
      fake.throttleNext--;
      return sendJson(res, 400, { __type: 'ThrottlingException', message: 'Rate exceeded' }, headers);
    }
    const operation = call.operation;
    if (operation === 'DescribeQueryDefinitions') {
      const prefix = String(body.queryDefinitionNamePrefix ?? '');
      return sendJson(
        res,
        200,
        {
          queryDefinitions: queryDefinitions
            .filter((q) => q.name.startsWith(prefix))
            .map((q) => ({ queryDefinitionId: q.name, ...q })),
        },
        headers,
      );
    }
    if (operation === 'StartQuery') {
      started.push({
        logGroupNames: body.logGroupNames,
        queryString: body.queryString,
        startTime: body.startTime,
        endTime: body.endTime,
      });
      const inRange = lines.filter(
        (l) =>
          body.logGroupNames.includes(l.logGroup) &&
          l.timestampMs >= body.startTime * 1000 &&
          l.timestampMs <= body.endTime * 1000,
      );
      try {
        const results = run(
          body.queryString,
          inRange.map((l) => ({ '@timestamp': l.timestampMs, ...l.line })),
        );
        const queryId = `q-${queries.size + 1}`;
        queries.set(queryId, { polls: 0, results });
        return sendJson(res, 200, { queryId }, headers);
      } catch (error) {
        return sendJson(res, 400, { __type: 'MalformedQueryException', message: (error as Error).message }, headers);
      }
    }
    if (operation === 'GetQueryResults') {
      const query = queries.get(body.queryId);
      if (!query) return sendJson(res, 400, { __type: 'ResourceNotFoundException', message: 'unknown query' }, headers);
      if (query.polls++ === 0) return sendJson(res, 200, { status: 'Running', results: [] }, headers);
      return sendJson(
        res,
        200,
        {
          status: 'Complete',
          results: query.results.map((row) =>
            Object.entries(row).map(([field, value]) => ({ field, value: String(value) })),
          ),
        },
        headers,
      );
    }
    return sendJson(
      res,
      400,
      { __type: 'InvalidOperationException', message: `${operation} is not implemented` },
      headers,
    );
  });
  const fake: FakeCloudWatchLogs = Object.assign(server, { lines, queryDefinitions, started, throttleNext: 0 });
  return fake;
}
