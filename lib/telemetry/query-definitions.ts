/** The saved Logs Insights queries of lib/telemetry/queries.ts, over the collector's event log. */
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { queryDefinitionName, TELEMETRY_QUERIES, TelemetryQueryName } from './queries';

/** A query kept as written: the same text the dashboard and `npm run csp-report` run. */
class WrittenQuery extends logs.QueryString {
  constructor(private readonly text: string) {
    super();
  }

  override toString(): string {
    return this.text;
  }
}

export class TelemetryQueries extends Construct {
  constructor(scope: Construct, id: string, props: { envName: string; eventLog: logs.ILogGroup }) {
    super(scope, id);
    for (const name of Object.keys(TELEMETRY_QUERIES) as TelemetryQueryName[]) {
      new logs.QueryDefinition(this, name, {
        queryDefinitionName: queryDefinitionName(props.envName, name),
        queryString: new WrittenQuery(TELEMETRY_QUERIES[name]),
        logGroups: [props.eventLog],
      });
    }
  }
}
