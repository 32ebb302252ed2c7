/**
 * The one permission the app's back end (n8n's AWS credentials, a Supabase function's role) needs to publish the
 * business metrics: PutMetricData into MiKO/App only. Attach this managed policy to that identity.
 */
import { Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { EnvironmentName } from '../config';
import { STAGE_IDS } from '../stage-ids';
import { APP_NAMESPACE } from './metrics';

export class AppMetricsPublisher extends Construct {
  readonly policy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: { readonly envName: EnvironmentName }) {
    super(scope, id);
    this.policy = new iam.ManagedPolicy(this, 'Policy', {
      // The bootstrap execution policy manages only this environment's <Stage>-* policies.
      managedPolicyName: `${STAGE_IDS[props.envName]}-app-metrics-publisher`,
      description: `MiKO ${props.envName}: publish booking/reminder failure metrics to ${APP_NAMESPACE} (attach to n8n's identity)`,
      statements: [
        new iam.PolicyStatement({
          actions: ['cloudwatch:PutMetricData'],
          resources: ['*'],
          conditions: { StringEquals: { 'cloudwatch:namespace': APP_NAMESPACE } },
        }),
      ],
    });
    Validations.of(this.policy).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      reason:
        'cloudwatch:PutMetricData supports no resource-level permission; the namespace condition limits it to MiKO/App.',
    });
  }
}
