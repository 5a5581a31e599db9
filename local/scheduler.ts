/**
 * EventBridge Scheduler for local mode: the synthesized template's AWS::Scheduler::Schedule
 * resources (cron expression, time zone, Lambda target and its input) fired by the simulated
 * clock at their instants, with the same handler modules. The clock controller asks for the next
 * instant (nextWakeAt) and runs what is due (wakeDue) in timestamp order with the parked
 * executions, so `{"advance": "P30D"}` fires every 07:30 of those 30 days in between.
 *
 * The last instant each schedule fired is kept in the data dir (scheduler.json); a new data dir
 * starts from the clock's now (nothing fires for the past). Only cron() expressions with numbers,
 * lists, ranges, "*" and "?" are understood (what the stack uses); anything else fails at start.
 */
import * as fs from 'node:fs';
import { DateTime } from 'luxon';
import { StateFile } from './state-file';

type Json = any;

export interface LocalSchedule {
  id: string;
  expression: string;
  timeZone: string;
  /** Handler module name of the target function. */
  handler: string;
  input: Json;
}

export function schedulesOf(template: Json, functions: Map<string, { handler: string }>): LocalSchedule[] {
  const out: LocalSchedule[] = [];
  for (const [id, r] of Object.entries<Json>(template.Resources)) {
    if (r.Type !== 'AWS::Scheduler::Schedule' || r.Properties.State === 'DISABLED') continue;
    const fnId = r.Properties.Target?.Arn?.['Fn::GetAtt']?.[0];
    const fn = functions.get(fnId);
    if (!fn) throw new Error(`local scheduler: ${id} targets ${JSON.stringify(r.Properties.Target?.Arn)}, not a local function`);
    const schedule = {
      id,
      expression: r.Properties.ScheduleExpression,
      timeZone: r.Properties.ScheduleExpressionTimezone ?? 'UTC',
      handler: fn.handler,
      input: r.Properties.Target.Input ? JSON.parse(r.Properties.Target.Input) : {},
    };
    parseCron(schedule.expression); // fail at start on an expression we cannot run
    out.push(schedule);
  }
  return out;
}

interface Cron {
  minutes: number[];
  hours: number[];
  daysOfMonth: Set<number> | null;
  months: Set<number> | null;
  /** Luxon weekdays, 1 = Monday ... 7 = Sunday. */
  weekdays: Set<number> | null;
  years: Set<number> | null;
}

const DAY_NAMES: Record<string, number> = { SUN: 1, MON: 2, TUE: 3, WED: 4, THU: 5, FRI: 6, SAT: 7 };

function field(text: string, min: number, max: number, names: Record<string, number> = {}): number[] | null {
  if (text === '*' || text === '?') return null;
  const values = new Set<number>();
  for (const part of text.split(',')) {
    const value = (s: string) => {
      const n = names[s.toUpperCase()] ?? (/^\d+$/.test(s) ? Number(s) : NaN);
      if (!Number.isInteger(n) || n < min || n > max) throw new Error(`local scheduler: unsupported cron field "${text}"`);
      return n;
    };
    const [a, b] = part.split('-');
    const from = value(a);
    const to = b === undefined ? from : value(b);
    for (let n = from; n <= to; n++) values.add(n);
  }
  return [...values].sort((x, y) => x - y);
}

/** cron(minutes hours day-of-month month day-of-week year), AWS flavour (day-of-week 1 = Sunday). */
export function parseCron(expression: string): Cron {
  const m = /^cron\((.+)\)$/.exec(expression.trim());
  const parts = m ? m[1].trim().split(/\s+/) : [];
  if (parts.length !== 6) throw new Error(`local scheduler: not a cron() expression with 6 fields: ${expression}`);
  const [mi, h, dom, mon, dow, y] = parts;
  const awsDays = field(dow, 1, 7, DAY_NAMES);
  const set = (v: number[] | null) => (v ? new Set(v) : null);
  return {
    minutes: field(mi, 0, 59) ?? Array.from({ length: 60 }, (_, i) => i),
    hours: field(h, 0, 23) ?? Array.from({ length: 24 }, (_, i) => i),
    daysOfMonth: set(field(dom, 1, 31)),
    months: set(field(mon, 1, 12)),
    // AWS: 1 = Sunday ... 7 = Saturday; luxon: 1 = Monday ... 7 = Sunday.
    weekdays: awsDays ? new Set(awsDays.map((d) => (d === 1 ? 7 : d - 1))) : null,
    years: set(field(y, 1970, 2199)),
  };
}

/** The first instant strictly after `after` that the expression names, in its time zone. */
export function nextFire(expression: string, timeZone: string, after: Date): Date | null {
  const cron = parseCron(expression);
  let day = DateTime.fromJSDate(after, { zone: timeZone }).startOf('day');
  for (let i = 0; i < 366 * 5; i++, day = day.plus({ days: 1 })) {
    if (cron.years && !cron.years.has(day.year)) continue;
    if (cron.months && !cron.months.has(day.month)) continue;
    if (cron.daysOfMonth && !cron.daysOfMonth.has(day.day)) continue;
    if (cron.weekdays && !cron.weekdays.has(day.weekday)) continue;
    for (const hour of cron.hours) {
      for (const minute of cron.minutes) {
        const at = day.set({ hour, minute, second: 0, millisecond: 0 });
        if (at.toMillis() > after.getTime()) return at.toJSDate();
      }
    }
  }
  return null;
}

export interface LocalSchedulerOptions {
  schedules: LocalSchedule[];
  /** Where the last firing of each schedule is kept (none: in memory). */
  file?: string;
  now: () => Date;
  invoke: (handler: string, event: Json) => Promise<unknown>;
}

export class LocalScheduler {
  private readonly last = new Map<string, string>();
  private inFlight = 0;
  private readonly saved?: StateFile;

  constructor(private readonly opts: LocalSchedulerOptions) {
    if (opts.file) this.saved = new StateFile(opts.file);
    const saved: Record<string, string> = opts.file && fs.existsSync(opts.file) ? JSON.parse(fs.readFileSync(opts.file, 'utf8')) : {};
    const start = opts.now().toISOString();
    for (const s of opts.schedules) this.last.set(s.id, saved[s.id] ?? start);
    this.save();
  }

  /**
   * Each schedule's next firing, for the last firing it was computed from: the clock asks at each
   * of its steps (~14 per escalated dossier), and a computation walks days through luxon (~1 % of
   * an escalation's CPU when done every time).
   */
  private readonly nextKnown = new Map<string, { from: string; next: Date | null }>();

  private nextOf(s: LocalSchedule): Date | null {
    const from = this.last.get(s.id)!;
    const known = this.nextKnown.get(s.id);
    if (known && known.from === from) return known.next;
    const next = nextFire(s.expression, s.timeZone, new Date(from));
    this.nextKnown.set(s.id, { from, next });
    return next;
  }

  nextWakeAt(): string | null {
    let min: Date | null = null;
    for (const s of this.opts.schedules) {
      const next = this.nextOf(s);
      if (next && (!min || next < min)) min = next;
    }
    return min ? min.toISOString() : null;
  }

  /** Fires every schedule due at or before `at` (once each: a missed run is not replayed twice). */
  async wakeDue(at: Date): Promise<void> {
    for (const s of this.opts.schedules) {
      const next = this.nextOf(s);
      if (!next || next.getTime() > at.getTime()) continue;
      this.last.set(s.id, next.toISOString());
      this.save();
      this.inFlight++;
      try {
        // Scheduler delivers the target input as the event (a JSON boundary, as on AWS).
        await this.opts.invoke(s.handler, JSON.parse(JSON.stringify(s.input)));
      } catch (e) {
        console.error(`local scheduler: ${s.id} (${s.handler}) failed: ${String((e as Error)?.message ?? e)}`);
      } finally {
        this.inFlight--;
      }
    }
  }

  async idle(): Promise<void> {
    // wakeDue is awaited by the clock controller: nothing runs in the background.
  }

  get busy(): number {
    return this.inFlight;
  }

  private save(): void {
    this.saved?.write(JSON.stringify(Object.fromEntries(this.last)));
  }
}
