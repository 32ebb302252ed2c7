/**
 * Where the tasks run. By default two public subnets and no NAT: each task gets a public IPv4 for its minutes
 * (Supabase's session pooler is IPv4) and reaches S3 through a free gateway endpoint, so the dump never crosses
 * the internet to the vault. With `fixedEgressIp`, the tasks run in private subnets behind one NAT gateway whose
 * Elastic IP is the single address a network-restricted Supabase project must allow (about $36/month).
 * The security group has no ingress at all; egress is only what the job calls: Postgres and HTTPS.
 */
import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/**
 * Named, not looked up (BackupsStack returns them as its zones): synth never calls AWS. Two zones so a task still
 * starts when one has no Fargate capacity; a and b exist in every account's us-east-1.
 */
export const BACKUP_AVAILABILITY_ZONES = ['us-east-1a', 'us-east-1b'];

export interface BackupNetworkProps {
  readonly envName: string;
  readonly fixedEgressIp: boolean;
  /** Encrypts the flow logs. */
  readonly key: kms.IKey;
}

export class BackupNetwork extends Construct {
  readonly vpc: ec2.Vpc;
  readonly securityGroup: ec2.SecurityGroup;
  /** Where the tasks are placed, and whether they need a public IP to get out. */
  readonly taskSubnets: ec2.SubnetSelection;
  readonly assignPublicIp: boolean;

  constructor(scope: Construct, id: string, props: BackupNetworkProps) {
    super(scope, id);
    // No public IP by default in the subnet: only the tasks that ask for one (assignPublicIp) get it.
    const publicSubnets = {
      name: 'Public',
      subnetType: ec2.SubnetType.PUBLIC,
      cidrMask: 24,
      mapPublicIpOnLaunch: false,
    };
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr('10.40.0.0/16'),
      maxAzs: BACKUP_AVAILABILITY_ZONES.length,
      natGateways: props.fixedEgressIp ? 1 : 0,
      subnetConfiguration: props.fixedEgressIp
        ? [publicSubnets, { name: 'Tasks', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 24 }]
        : [publicSubnets],
      // Nothing uses the default group; closing it takes a custom-resource Lambda this stack would otherwise not need.
      restrictDefaultSecurityGroup: false,
      gatewayEndpoints: { S3: { service: ec2.GatewayVpcEndpointAwsService.S3 } },
      flowLogs: {
        RejectedAndAccepted: {
          destination: ec2.FlowLogDestination.toCloudWatchLogs(
            new logs.LogGroup(this, 'FlowLogs', {
              retention: logs.RetentionDays.THREE_MONTHS,
              encryptionKey: props.key,
              removalPolicy: RemovalPolicy.DESTROY,
            }),
          ),
          trafficType: ec2.FlowLogTrafficType.ALL,
        },
      },
    });
    this.taskSubnets = { subnetType: props.fixedEgressIp ? ec2.SubnetType.PRIVATE_WITH_EGRESS : ec2.SubnetType.PUBLIC };
    this.assignPublicIp = !props.fixedEgressIp;

    this.securityGroup = new ec2.SecurityGroup(this, 'TaskSecurityGroup', {
      vpc: this.vpc,
      allowAllOutbound: false,
      description: `MiKO ${props.envName} backup tasks: no ingress; out to Postgres (Supabase pooler) and HTTPS (AWS APIs) only`,
    });
    this.securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(5432), 'Supabase session pooler');
    this.securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'S3, Secrets Manager, ECR, CloudWatch');
    const igwRoute = props.fixedEgressIp
      ? 'Only the NAT gateway sits in this public subnet; the tasks run in the private subnets behind it.'
      : "The tasks need a way out to Supabase's IPv4 pooler; a NAT gateway (about $36/month) is the fixedEgressIp option. Their security group has no ingress and egress to 5432 and 443 only.";
    for (const subnet of this.vpc.publicSubnets) {
      Validations.of(subnet.node.findChild('DefaultRoute')).acknowledge(
        { id: 'HIPAA.Security::HIPAA.Security-VPCNoUnrestrictedRouteToIGW', reason: igwRoute },
        { id: 'NIST.800.53.R5::NIST.800.53.R5-VPCNoUnrestrictedRouteToIGW', reason: igwRoute },
      );
    }
    for (const subnet of [...this.vpc.publicSubnets, ...this.vpc.privateSubnets]) {
      Validations.of(subnet.node.defaultChild as Construct).acknowledge({
        id: 'CloudFormation-Validate::W3010',
        reason:
          "The zones are named (BACKUP_AVAILABILITY_ZONES) so synth never looks them up; a and b exist in every account's us-east-1.",
      });
    }
    const flowLogPolicy = this.vpc.node
      .findChild('RejectedAndAccepted')
      .node.findChild('IAMRole')
      .node.findChild('DefaultPolicy');
    Validations.of(flowLogPolicy).acknowledge(
      {
        id: 'HIPAA.Security::HIPAA.Security-IAMNoInlinePolicy',
        reason: "The flow log's own delivery role (CDK-generated): writes to its one log group only.",
      },
      {
        id: 'NIST.800.53.R5::NIST.800.53.R5-IAMNoInlinePolicy',
        reason: "The flow log's own delivery role (CDK-generated): writes to its one log group only.",
      },
    );
    Validations.of(this.vpc).acknowledge(
      {
        id: 'NIST.800.53.R5::NIST.800.53.R5-VPCDefaultSecurityGroupClosed',
        reason:
          'No resource is placed in the default group (the tasks use their own, with no ingress); closing it would add a custom-resource Lambda for no reachable surface.',
      },
      {
        id: 'HIPAA.Security::HIPAA.Security-VPCDefaultSecurityGroupClosed',
        reason:
          'No resource is placed in the default group (the tasks use their own, with no ingress); closing it would add a custom-resource Lambda for no reachable surface.',
      },
    );
  }
}
