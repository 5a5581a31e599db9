/**
 * "Step Functions Execution Status Change" events, locally: the local engine reports each status
 * change of an execution (local/sfn/local-step-functions.ts onStatusChange), this module builds the
 * event Step Functions would publish on the default bus (same shape) and hands it to the Lambda
 * targets of the synthesized template's rules whose pattern matches it (source aws.states), with
 * the same handler modules. So lib/execution-watch.ts's pattern (state machine, FAILED, TIMED_OUT,
 * ABORTED) is what decides locally too.
 *
 * Like EventBridge, delivery is asynchronous: the clock and the local front wait for the handlers
 * (`idle()`, a ClockActivity). A handler that fails is tried 3 times (Lambda's asynchronous
 * invocation: 1 + 2 retries), then the event is logged and dropped (AWS: the dead-letter queue).
 */
import { createHash } from 'node:crypto';
import { matchesPattern } from './event-pattern';
import type { ExecutionRecord } from './sfn/local-step-functions';
import { tokenResolver } from './template';

type Json = any;

export const EXECUTION_STATUS_CHANGE = 'Step Functions Execution Status Change';

export interface LocalRule {
  id: string;
  pattern: Json;
  /** Handler module names of the rule's Lambda targets. */
  handlers: string[];
}

/** The template's rules on Step Functions events, with their patterns resolved to local ARNs. */
export function stepFunctionsRules(template: Json, functions: Map<string, { handler: string }>): LocalRule[] {
  const resolve = tokenResolver(template.Resources);
  const resolveAll = (v: Json): Json => {
    if (Array.isArray(v)) return v.map(resolveAll);
    if (v && typeof v === 'object') {
      if (v.Ref || v['Fn::GetAtt'] || v['Fn::Join']) return resolve(v);
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolveAll(x)]));
    }
    return v;
  };
  const rules: LocalRule[] = [];
  for (const [id, r] of Object.entries<Json>(template.Resources)) {
    if (r.Type !== 'AWS::Events::Rule' || !r.Properties.EventPattern?.source?.includes('aws.states')) continue;
    const handlers = (r.Properties.Targets ?? []).map((t: Json) => {
      const fn = functions.get(t.Arn?.['Fn::GetAtt']?.[0]);
      if (!fn) throw new Error(`local events: rule ${id} targets ${JSON.stringify(t.Arn)}, not a local function`);
      return fn.handler;
    });
    rules.push({ id, pattern: resolveAll(r.Properties.EventPattern), handlers });
  }
  return rules;
}

const epochMs = (iso?: string) => (iso ? Date.parse(iso) : null);

/** The event Step Functions publishes for a status change of `record`. */
export function statusChangeEvent(record: ExecutionRecord, stateMachineArn: string, account: string, region: string, now: Date) {
  const input = JSON.stringify(record.input);
  const output = record.output === undefined ? null : JSON.stringify(record.output);
  return {
    version: '0',
    id: uuidOf(record.arn, record.status, now.toISOString()),
    'detail-type': EXECUTION_STATUS_CHANGE,
    source: 'aws.states',
    account,
    time: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region,
    resources: [record.arn],
    detail: {
      executionArn: record.arn,
      stateMachineArn,
      name: record.name,
      status: record.status,
      startDate: epochMs(record.startDate),
      stopDate: epochMs(record.stopDate),
      input,
      output,
      inputDetails: { included: true },
      outputDetails: output === null ? null : { included: true },
      error: record.error ?? null,
      cause: record.cause ?? null,
    },
  };
}

function uuidOf(...parts: string[]): string {
  const h = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export interface LocalExecutionEventsOptions {
  rules: LocalRule[];
  stateMachineArn: string;
  account: string;
  region: string;
  now: () => Date;
  invoke: (handler: string, event: Json) => Promise<unknown>;
}

export class LocalExecutionEvents {
  private readonly inFlight = new Set<Promise<void>>();
  /** Every event delivered to a rule's target, in order (tests read it). */
  readonly delivered: { rule: string; handler: string; event: Json; outcome?: unknown; error?: string }[] = [];

  constructor(private readonly opts: LocalExecutionEventsOptions) {}

  /** The engine's onStatusChange: builds the event now, delivers it in the background. */
  readonly emit = (record: ExecutionRecord): void => {
    const event = statusChangeEvent(record, this.opts.stateMachineArn, this.opts.account, this.opts.region, this.opts.now());
    for (const rule of this.opts.rules) {
      if (!matchesPattern(rule.pattern, event)) continue;
      for (const handler of rule.handlers) this.track(this.deliver(rule.id, handler, event));
    }
  };

  private async deliver(rule: string, handler: string, event: Json): Promise<void> {
    const entry: (typeof this.delivered)[number] = { rule, handler, event };
    this.delivered.push(entry);
    for (let attempt = 1; ; attempt++) {
      try {
        // A JSON boundary, as on AWS.
        entry.outcome = await this.opts.invoke(handler, JSON.parse(JSON.stringify(event)));
        delete entry.error;
        return;
      } catch (e) {
        entry.error = String((e as Error)?.message ?? e);
        if (attempt >= 3) {
          console.error(`local events: ${rule} -> ${handler} failed 3 times, event dropped (AWS: dead-letter queue): ${entry.error}`);
          return;
        }
      }
    }
  }

  private track(p: Promise<void>): void {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  // ClockActivity: nothing scheduled, only work in flight.
  nextWakeAt(): string | null {
    return null;
  }

  async wakeDue(): Promise<void> {}

  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  get busy(): number {
    return this.inFlight.size;
  }
}
