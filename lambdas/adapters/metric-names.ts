/** The CloudWatch namespace of Amiable's own metrics (telemetry.ts writes them, lib/operations-alarms.ts reads them). */
export const METRICS_NAMESPACE = 'Amiable';
