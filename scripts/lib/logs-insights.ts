/**
 * Runs one Logs Insights query to completion (StartQuery, then GetQueryResults until Complete), bounded in time,
 * and returns its rows as objects. The log groups come from the saved QueryDefinition of the same name, so the
 * command needs no stack lookup and asks exactly what the console's saved query asks.
 */
import {
  CloudWatchLogsClient,
  DescribeQueryDefinitionsCommand,
  GetQueryResultsCommand,
  StartQueryCommand,
} from '@aws-sdk/client-cloudwatch-logs';

export async function logGroupsOfSavedQuery(client: CloudWatchLogsClient, name: string): Promise<string[]> {
  const { queryDefinitions = [] } = await client.send(
    new DescribeQueryDefinitionsCommand({ queryDefinitionNamePrefix: name }),
  );
  const definition = queryDefinitions.find((q) => q.name === name);
  if (!definition?.logGroupNames?.length)
    throw new Error(
      `no saved Logs Insights query "${name}" with log groups in this account/region. Fix: deploy the Telemetry stack of that environment (it saves the query), or check AWS_PROFILE/AWS_REGION (us-east-1).`,
    );
  return definition.logGroupNames;
}

export async function runQuery(
  client: CloudWatchLogsClient,
  input: {
    logGroupNames: string[];
    queryString: string;
    sinceMs: number;
    nowMs: number;
    timeoutMs?: number;
    pollMs?: number;
  },
): Promise<Array<Record<string, string>>> {
  const { queryId } = await client.send(
    new StartQueryCommand({
      logGroupNames: input.logGroupNames,
      queryString: input.queryString,
      startTime: Math.floor(input.sinceMs / 1000),
      endTime: Math.ceil(input.nowMs / 1000),
    }),
  );
  const deadline = Date.now() + (input.timeoutMs ?? 60_000);
  for (;;) {
    const answer = await client.send(new GetQueryResultsCommand({ queryId }));
    if (answer.status === 'Complete') {
      return (answer.results ?? []).map((row) =>
        Object.fromEntries(
          row.filter((f) => f.field && !f.field.startsWith('@ptr')).map((f) => [f.field!, f.value ?? '']),
        ),
      );
    }
    if (answer.status !== 'Running' && answer.status !== 'Scheduled')
      throw new Error(`the Logs Insights query ended ${answer.status}`);
    if (Date.now() > deadline)
      throw new Error(`the Logs Insights query did not complete within ${(input.timeoutMs ?? 60_000) / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, input.pollMs ?? 1000));
  }
}
