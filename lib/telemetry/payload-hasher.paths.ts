/** The Lambda@Edge payload hasher's calls (payload-hasher.ts): it runs in every edge region and logs there. */
import { PathCatalogue, resource, role, service } from '../shared/runtime-paths';

export const catalogue: PathCatalogue = {
  paths: [
    {
      id: 'payload-hasher-assumed-by-edge',
      what: 'Lambda@Edge runs the payload hasher as its role',
      principal: service('edgelambda.amazonaws.com'),
      actions: ['sts:AssumeRole'],
      resource: resource('Site', 'TelemetryPayloadHasherRole'),
    },
    {
      id: 'payload-hasher-writes-its-log',
      what: 'the payload hasher writes the log group Lambda@Edge names after it, in whichever region ran it',
      principal: role('Site', 'TelemetryPayloadHasherRole'),
      actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
      resource:
        'arn:aws:logs:eu-central-1:{account}:log-group:/aws/lambda/us-east-1.miko-{env}-telemetry-payload-hash:log-stream:x',
      wildcardReason:
        'Lambda@Edge writes its logs in the region that ran it, so the region is a wildcard; the group is named after this one function.',
    },
  ],
};
