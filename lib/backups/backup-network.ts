/**
 * Where the tasks run: public subnets, no NAT (a public IPv4 each: Supabase's pooler is IPv4), or with
 * `fixedEgressIp` private subnets behind one NAT whose Elastic IP a restricted Supabase project allows. Egress: AWS
 * by VPC endpoints, Supabase Storage by Cloudflare's ranges on 443, the database port to `backups.databaseCidrs`
 * (else any IPv4, with a synth warning: Supabase publishes no pooler range). The drill's group reaches AWS only.
 * Neither group has ingress.
 */
import { Annotations, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/**
 * Named, not looked up (BackupsStack returns them as its zones): synth never calls AWS. Two zones so a task still
 * starts when one has no Fargate capacity; a and b exist in every account's us-east-1.
 */
export const BACKUP_AVAILABILITY_ZONES = ['us-east-1a', 'us-east-1b'];

/**
 * The AWS-managed prefix list of S3 in us-east-1 (`aws ec2 describe-managed-prefix-lists`): the addresses the
 * gateway endpoint routes. Named, not looked up, so synth stays offline; the region is fixed (schema.ts).
 */
export const S3_PREFIX_LIST_US_EAST_1 = 'pl-63a5400a';

/**
 * The APIs the tasks reach through interface endpoints: ECR (api, dkr) for the image, Logs for awslogs, Secrets
 * Manager for the injected secrets, CloudWatch for the job's metrics. About $7.30 a month each in one zone.
 */
export const INTERFACE_ENDPOINT_SERVICES = {
  EcrApi: ec2.InterfaceVpcEndpointAwsService.ECR,
  EcrDocker: ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER,
  Logs: ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS,
  SecretsManager: ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
  Monitoring: ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_MONITORING,
} as const;

/**
 * Cloudflare's published IPv4 ranges (https://www.cloudflare.com/ips-v4/), through which <ref>.supabase.co and its
 * Storage S3 endpoint are served. Check them when the list changes (rarely: last in 2021).
 */
export const SUPABASE_HTTPS_RANGES = [
  '173.245.48.0/20',
  '103.21.244.0/22',
  '103.22.200.0/22',
  '103.31.4.0/22',
  '141.101.64.0/18',
  '108.162.192.0/18',
  '190.93.240.0/20',
  '188.114.96.0/20',
  '197.234.240.0/22',
  '198.41.128.0/17',
  '162.158.0.0/15',
  '104.16.0.0/13',
  '104.24.0.0/14',
  '172.64.0.0/13',
  '131.0.72.0/22',
] as const;

/** The warning synth prints while the backup task may reach any IPv4 address on the database port. */
export const OPEN_DATABASE_EGRESS_WARNING = 'miko:backups:databaseEgressOpen';

export interface BackupNetworkProps {
  readonly envName: string;
  readonly fixedEgressIp: boolean;
  /** The port the backup job connects to (`backups.database.port`). */
  readonly databasePort: number;
  /**
   * The only blocks the backup task reaches on that port (`backups.databaseCidrs`, validated there).
   * @default any IPv4 address, with a synth warning
   */
  readonly databaseCidrs?: readonly string[];
  /** Encrypts the flow logs. */
  readonly key: kms.IKey;
}

export class BackupNetwork extends Construct {
  readonly vpc: ec2.Vpc;
  /** The backup task's: AWS's endpoints, Supabase Storage (443) and the database port. */
  readonly securityGroup: ec2.SecurityGroup;
  /** The drill's: AWS's endpoints only (it restores into its own server and never calls Supabase). */
  readonly awsOnlySecurityGroup: ec2.SecurityGroup;
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

    this.awsOnlySecurityGroup = this.awsOnlyGroup(props.envName);
    this.securityGroup = this.awsOnlyGroup(props.envName, 'TaskSecurityGroup');
    for (const range of SUPABASE_HTTPS_RANGES)
      this.securityGroup.addEgressRule(ec2.Peer.ipv4(range), ec2.Port.tcp(443), 'Supabase Storage (Cloudflare)');
    this.allowDatabase(props);
    this.createEndpoints([this.securityGroup, this.awsOnlySecurityGroup]);
    const igwRoute = props.fixedEgressIp
      ? 'Only the NAT gateway sits in this public subnet; the tasks run in the private subnets behind it.'
      : "The tasks need a way out to Supabase's IPv4 pooler; a NAT gateway (about $36/month) is the fixedEgressIp option. Their security groups have no ingress; egress goes to AWS's endpoints, Supabase's HTTPS ranges and the database port.";
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

  /** The backup task's way to Postgres: exactly the configured blocks, or any IPv4 (and a warning) without them. */
  private allowDatabase({ envName, databasePort, databaseCidrs }: BackupNetworkProps): void {
    const port = ec2.Port.tcp(databasePort);
    if (databaseCidrs === undefined) {
      this.securityGroup.addEgressRule(ec2.Peer.anyIpv4(), port, 'Supabase pooler: no published address range');
      Annotations.of(this.securityGroup).addWarningV2(
        OPEN_DATABASE_EGRESS_WARNING,
        `${envName}'s backup task may reach any IPv4 address on ${databasePort} (it holds the database password). Fix: enable Supabase's IPv4 add-on, set backups.database.host to db.<ref>.supabase.co and backups.databaseCidrs to ["<its address>/32"] (docs/readme/backups.md, Network).`,
      );
      return;
    }
    for (const block of databaseCidrs) {
      const peer = block.includes(':') ? ec2.Peer.ipv6(block) : ec2.Peer.ipv4(block);
      this.securityGroup.addEgressRule(peer, port, 'Supabase database (backups.databaseCidrs)');
    }
  }

  /** A group with no ingress whose only egress is S3 (by its prefix list); the endpoints add theirs. */
  private awsOnlyGroup(envName: string, id = 'DrillSecurityGroup'): ec2.SecurityGroup {
    const group = new ec2.SecurityGroup(this, id, {
      vpc: this.vpc,
      allowAllOutbound: false,
      description: `MiKO ${envName} backup ${id === 'DrillSecurityGroup' ? 'drill' : 'task'}: no ingress; out to AWS endpoints${id === 'DrillSecurityGroup' ? '' : ' and Supabase'} only`,
    });
    group.addEgressRule(ec2.Peer.prefixList(S3_PREFIX_LIST_US_EAST_1), ec2.Port.tcp(443), 'S3 (gateway endpoint)');
    return group;
  }

  /** In the tasks' first zone only: a task in the other zone reaches them across the VPC, at a fraction of the cost. */
  private createEndpoints(clients: ec2.SecurityGroup[]): void {
    // Endpoints only answer: their group needs no egress, and its ingress is these tasks alone.
    const endpoints = new ec2.SecurityGroup(this, 'EndpointSecurityGroup', {
      vpc: this.vpc,
      allowAllOutbound: false,
      description: 'MiKO backup VPC endpoints: 443 from the backup and drill tasks only',
    });
    for (const client of clients) endpoints.connections.allowFrom(client, ec2.Port.tcp(443), `from ${client.node.id}`);
    for (const [id, service] of Object.entries(INTERFACE_ENDPOINT_SERVICES)) {
      this.vpc.addInterfaceEndpoint(id, {
        service,
        subnets: { ...this.taskSubnets, availabilityZones: [BACKUP_AVAILABILITY_ZONES[0]] },
        privateDnsEnabled: true,
        open: false,
        securityGroups: [endpoints],
      });
    }
  }
}
