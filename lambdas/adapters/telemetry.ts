/**
 * Logs, metrics and local-mode activity lines, in one small module the handlers share.
 *
 * - Logs: one JSON line per entry (level, message, timestamp, service, function_name,
 *   xray_trace_id when traced, then the fields), the shape Powertools' Logger wrote, from a few
 *   lines here rather than its ~20 KiB in every bundle (issue 15). Level from POWERTOOLS_LOG_LEVEL
 *   (kept for existing deployments) or AWS_LAMBDA_LOG_LEVEL, INFO by default. Only ids, stages,
 *   statuses and error names are logged: debtor names, addresses, e-mail addresses and amounts
 *   stay in the table and the vault.
 * - Metrics: CloudWatch Embedded Metric Format lines (namespace `Amiable`), one per event, written
 *   raw to stdout so CloudWatch Logs extracts them (no agent, no PutMetricData call, no library):
 *   NoticesSent (dimension Kind: the stage for escalation letters), Payments, Bounces (BounceType),
 *   Complaints, NeedsAttention, ExecutionsEndedUnexpectedly (Status), ExecutionsContinued.
 * - Local mode (no AWS_LAMBDA_FUNCTION_NAME): no JSON logs below WARN and no EMF; instead one
 *   readable line per notice sent, payment, state change and clock move, stamped with the
 *   simulated clock. AMIABLE_QUIET=1 silences them (the tests set it); AMIABLE_DEBUG=1 shows every
 *   JSON log too.
 */
import { hhmm, PARIS, zonedTime } from '../domain/dates';
import { clock } from './clock';
import { METRICS_NAMESPACE } from './metric-names';

export { METRICS_NAMESPACE };

const onLambda = (): boolean => Boolean(process.env.AWS_LAMBDA_FUNCTION_NAME);
const quiet = (): boolean => process.env.AMIABLE_QUIET === '1';

function localLevel(): 'DEBUG' | 'WARN' | 'SILENT' {
  if (process.env.AMIABLE_DEBUG) return 'DEBUG';
  return quiet() ? 'SILENT' : 'WARN';
}

export const LEVELS = { DEBUG: 8, INFO: 12, WARN: 16, ERROR: 20, CRITICAL: 24, SILENT: 28 } as const;
export type Level = keyof typeof LEVELS;

function levelOf(name: string | undefined): Level {
  const upper = (name ?? '').toUpperCase();
  return Object.hasOwn(LEVELS, upper) ? (upper as Level) : 'INFO';
}

/** An Error as a log field (JSON.stringify would print {}). */
function plain(_key: string, value: unknown): unknown {
  return value instanceof Error ? { name: value.name, message: value.message, stack: value.stack } : value;
}

/** One JSON line: WARN and above to stderr, the rest to stdout (CloudWatch Logs keeps both). */
function write(level: Exclude<Level, 'SILENT'>, threshold: Level, message: string, fields: Record<string, unknown>): void {
  if (LEVELS[level] < LEVELS[threshold]) return;
  const trace = /Root=([^;]+)/.exec(process.env._X_AMZN_TRACE_ID ?? '')?.[1];
  const line = JSON.stringify(
    {
      level,
      message,
      timestamp: new Date().toISOString(),
      service: 'amiable',
      ...(process.env.AWS_LAMBDA_FUNCTION_NAME ? { function_name: process.env.AWS_LAMBDA_FUNCTION_NAME } : {}),
      ...(trace ? { xray_trace_id: trace } : {}),
      ...fields,
    },
    plain,
  );
  (LEVELS[level] >= LEVELS.WARN ? process.stderr : process.stdout).write(`${line}\n`);
}

/** A logger writing entries at `threshold` and above. */
export function jsonLogger(threshold: Level) {
  const at = (level: Exclude<Level, 'SILENT'>) => (message: string, fields: Record<string, unknown> = {}) => write(level, threshold, message, fields);
  return { debug: at('DEBUG'), info: at('INFO'), warn: at('WARN'), error: at('ERROR'), critical: at('CRITICAL') };
}

/**
 * The structured logger. Pass ids, never personal data. Its level is read once per container, as
 * Powertools did; local mode keeps its own quieter default.
 */
export const log = jsonLogger(onLambda() ? levelOf(process.env.POWERTOOLS_LOG_LEVEL ?? process.env.AWS_LAMBDA_LOG_LEVEL) : localLevel());

/** Totals per metric and dimension values, kept in the process (local mode and tests read them). */
const totals = new Map<string, number>();

export function metricTotal(name: string, dimensions: Record<string, string> = {}): number {
  return totals.get(metricKey(name, dimensions)) ?? 0;
}

function metricKey(name: string, dimensions: Record<string, string>): string {
  return [name, ...Object.entries(dimensions).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}=${v}`)].join('|');
}

/** Where EMF lines go (stdout on Lambda; a test may capture them). */
let emfSink: (line: string) => void = (line) => {
  process.stdout.write(`${line}\n`);
};

export function setEmfSink(sink: ((line: string) => void) | null): void {
  emfSink = sink ?? ((line) => process.stdout.write(`${line}\n`));
}

/**
 * One EMF document: the metric with its dimensions (all in one dimension set), in `Count`.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 */
export function emfLine(name: string, value: number, dimensions: Record<string, string>, timestamp: number): string {
  return JSON.stringify({
    _aws: {
      Timestamp: timestamp,
      CloudWatchMetrics: [{ Namespace: METRICS_NAMESPACE, Dimensions: [Object.keys(dimensions)], Metrics: [{ Name: name, Unit: 'Count' }] }],
    },
    ...dimensions,
    [name]: value,
  });
}

export function metric(name: string, value = 1, dimensions: Record<string, string> = {}): void {
  const key = metricKey(name, dimensions);
  totals.set(key, (totals.get(key) ?? 0) + value);
  // Real time, not the simulated clock: CloudWatch refuses timestamps two weeks old.
  if (onLambda() || process.env.AMIABLE_EMF === '1') emfSink(emfLine(name, value, dimensions, Date.now()));
}

/** A readable line in local mode (unless quiet); nothing on Lambda, where the JSON log says it. */
export function activity(what: string, ...parts: (string | number | null | undefined)[]): void {
  if (onLambda() || quiet()) return;
  const t = zonedTime(clock().now().getTime(), PARIS);
  const at = `${t.date} ${hhmm(t)}`;
  console.log(`[${at} Paris] ${what.padEnd(14)} ${parts.filter((p) => p !== null && p !== undefined && p !== '').join('  ')}`);
}

// What the handlers report, each once, where it happens.

export function noticeSent(e: { dossierId: string; kind: string; audience: string; messageId: string }): void {
  metric('NoticesSent', 1, { Kind: e.kind });
  log.info('message sent', e);
  activity('notice sent', e.kind, e.dossierId, e.audience === 'debtor' ? null : `to ${e.audience}`);
}

export function paymentRecorded(e: { dossierId: string; reference: string; settled: boolean; status: string }): void {
  metric('Payments');
  log.info('payment recorded', { dossierId: e.dossierId, settled: e.settled, status: e.status });
  activity('payment', e.dossierId, e.reference, e.settled ? 'settled' : `status ${e.status}`);
}

export function statusChanged(e: { dossierId: string; from: string; to: string }): void {
  if (e.to === 'needs_attention') metric('NeedsAttention');
  log.info('status changed', e);
  activity('state change', e.dossierId, `${e.from} -> ${e.to}`);
}

export function deliveryEvent(e: { type: string | undefined; bounceType?: string; outcome: string; dossierId?: string }): void {
  if (e.type === 'Bounce') metric('Bounces', 1, { BounceType: e.bounceType ?? 'Undetermined' });
  if (e.type === 'Complaint') metric('Complaints');
  log.info('ses delivery event', e);
  if (e.type === 'Bounce' || e.type === 'Complaint') activity('delivery', e.type, e.bounceType, e.dossierId, e.outcome);
}

export function clockMoved(from: Date, to: Date, steps: number): void {
  activity('clock', `${from.toISOString()} -> ${to.toISOString()}`, `${steps} wake-up${steps === 1 ? '' : 's'}`);
}
