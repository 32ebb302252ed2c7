/** EventBridge Scheduler starts the backup and the drill on the cluster (backup-schedules.ts). */
import { PathCatalogue, resource, role, service } from '../shared/runtime-paths';

const scheduler = role('Backups', 'SchedulesRole');

export const catalogue: PathCatalogue = {
  paths: [
    {
      id: 'scheduler-assumes-its-role',
      what: "Scheduler starts the tasks as the schedules' role",
      principal: service('scheduler.amazonaws.com'),
      actions: ['sts:AssumeRole'],
      resource: resource('Backups', 'SchedulesRole'),
    },
    ...(['BackupTaskTaskDefinition', 'DrillTaskTaskDefinition'] as const).map((definition) => ({
      id: `scheduler-runs-${definition === 'BackupTaskTaskDefinition' ? 'backup' : 'drill'}`,
      what: `Scheduler runs the ${definition === 'BackupTaskTaskDefinition' ? 'nightly backup' : 'weekly drill'} task`,
      principal: scheduler,
      actions: ['ecs:RunTask'],
      resource: resource('Backups', definition),
    })),
    ...(['BackupTaskTaskRole', 'BackupTaskExecutionRole', 'DrillTaskTaskRole', 'DrillTaskExecutionRole'] as const).map(
      (taskRole) => ({
        id: `scheduler-passes-${taskRole}`,
        what: `Scheduler hands ${taskRole} to ECS for the task it starts`,
        principal: scheduler,
        actions: ['iam:PassRole'],
        resource: resource('Backups', taskRole),
        context: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' },
      }),
    ),
    {
      id: 'scheduler-tags-task',
      what: "Scheduler tags the task it starts with the task definition's tags",
      principal: scheduler,
      actions: ['ecs:TagResource'],
      resource: 'arn:aws:ecs:{region}:{account}:task/miko-{env}-backups/0123456789abcdef',
      wildcardReason: 'task ids are assigned when the task starts; the cluster name is fixed.',
    },
  ],
};
