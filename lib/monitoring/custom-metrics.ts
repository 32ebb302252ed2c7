/**
 * Business metrics the app's back end (n8n workflows, Supabase functions) publishes, which the warning alarms watch.
 * The browser never holds AWS credentials, so nothing here is published from the SPA itself; README ("Publishing the custom metrics")
 * says how each publisher sends them. Publish with exactly these dimensions: an alarm watches one dimension set.
 */
export const APP_NAMESPACE = 'MiKO/App';

export const APP_METRICS = {
  /** One per appointment booking that failed for the patient (calendar write, Supabase insert, n8n error branch). */
  bookingFailures: 'BookingFailures',
  /** One per appointment reminder (email/SMS) that could not be sent after the workflow's own retries. */
  reminderFailures: 'ReminderFailures',
} as const;

/** The only dimension: `Environment` = staging | production. */
export const APP_METRIC_DIMENSIONS = ['Environment'] as const;
