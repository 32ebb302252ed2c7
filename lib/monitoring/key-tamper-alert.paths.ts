/** The platform key tamper alert (key-tamper-alert.ts) publishes to the encrypted critical topic. */
import { PathCatalogue, resource, service } from '../shared/runtime-paths';

export const catalogue: PathCatalogue = {
  paths: [
    {
      id: 'key-tamper-rule-pages',
      what: 'EventBridge delivers a ScheduleKeyDeletion, DisableKey or PutKeyPolicy of the platform key to the critical topic',
      principal: service('events.amazonaws.com', resource('Monitoring', 'KeyTamperAlertRule')),
      actions: ['sns:Publish'],
      resource: resource('Monitoring', 'TopicsCritical'),
    },
  ],
};
