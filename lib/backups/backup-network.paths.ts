/** VPC flow logs of the backup network (backup-network.ts). */
import { logStream, PathCatalogue, resource, role, service } from '../shared/runtime-paths';

export const catalogue: PathCatalogue = {
  paths: [
    {
      id: 'flow-logs-assume-role',
      what: 'VPC Flow Logs delivers as its role',
      principal: service('vpc-flow-logs.amazonaws.com'),
      actions: ['sts:AssumeRole'],
      resource: resource('Backups', 'NetworkVpcRejectedAndAcceptedIAMRole'),
    },
    {
      id: 'flow-logs-written',
      what: 'VPC Flow Logs writes the network flow log group',
      principal: role('Backups', 'NetworkVpcRejectedAndAcceptedIAMRole'),
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
      resource: logStream('Backups', 'NetworkFlowLogs'),
    },
  ],
};
