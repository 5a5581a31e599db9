/**
 * Step Functions for local mode: executes the synthesized definition with aws-local-stepfunctions,
 * with Wait states driven by the simulated clock instead of real timers.
 *
 * How waits work: every Wait state is given a long real-time override, and when the engine enters
 * one, the execution is "parked" — its Wait state name, input and wake-up instant (evaluated from
 * the state's Timestamp/TimestampPath/Seconds against the simulated clock) are recorded — and the
 * engine run is aborted. When the simulated clock reaches the wake-up instant, a new engine run of
 * the SAME definition starts at the Wait's Next state with the Wait's output (= its input). The
 * states themselves are never rewritten, the engine's timers never see a long wait (they overflow
 * past 24.8 days), and parked executions survive a restart because they are plain data.
 */
import { StateMachine } from 'aws-local-stepfunctions';
import { readPath } from './json-path';
import { WakeQueue, type WakeEntry } from './wake-queue';
import { scalarPathsWithoutThrow } from './jsonpath-scalars';

// The engine's paths evaluated without an Error thrown per scalar (./jsonpath-scalars).
scalarPathsWithoutThrow();

type Json = any;
export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED' | 'TIMED_OUT';

export interface ExecutionRecord {
  name: string;
  arn: string;
  input: Json;
  status: ExecutionStatus;
  startDate: string;
  stopDate?: string;
  output?: Json;
  error?: string;
  cause?: string;
  /** Set while the execution sleeps in a Wait state. */
  parked?: { state: string; input: Json; wakeAt: string };
  /** States entered, in order (bounded): a readable trail for tests and debugging. */
  trail: string[];
}

export type TaskHandler = (stateName: string, parameters: Json) => Promise<Json>;

export interface LocalStepFunctionsOptions {
  definition: Json;
  stateMachineArn: string;
  now: () => Date;
  task: TaskHandler;
  /** Called after every change of one record so the caller can persist it (incrementally). */
  onChange?: (record: ExecutionRecord) => void;
  records?: ExecutionRecord[];
  /** Real milliseconds between Retry attempts (simulated time does not pass during a retry). */
  retryIntervalMs?: number;
  /**
   * Called when an execution starts (RUNNING) and when it ends (SUCCEEDED, FAILED, TIMED_OUT,
   * ABORTED), as Step Functions publishes "Step Functions Execution Status Change" events.
   */
  onStatusChange?: (record: ExecutionRecord) => void;
  /**
   * How many due executions run at once when the clock wakes them (default 16). Waking all of
   * them together queued ~1,000 requests per emulator and held every run's state in memory at
   * once; a bounded pool keeps the emulators busy without that.
   */
  wakeConcurrency?: number;
}

const RECORDED_START = 'AmiableRecordedStartTime';
const RECORDED_INPUT = 'AmiableRecordedInput';

/**
 * aws-local-stepfunctions sets $$.Execution.StartTime to the real time and $$.Execution.Input to
 * the input of each run, and a parked execution resumes in a new run: both would be wrong after a
 * wait (real time, not simulated; the segment's input, not the execution's). Paths that read them
 * are pointed at context fields the engine fills from the execution record instead; nothing else
 * in the definition changes.
 */
export function withExecutionContext(definition: Json): Json {
  const fix = (v: Json): Json => {
    if (v === '$$.Execution.StartTime') return `$$.Execution.${RECORDED_START}`;
    if (v === '$$.Execution.Input') return `$$.Execution.${RECORDED_INPUT}`;
    if (typeof v === 'string' && v.startsWith('$$.Execution.Input.')) return `$$.Execution.${RECORDED_INPUT}.${v.slice('$$.Execution.Input.'.length)}`;
    if (Array.isArray(v)) return v.map(fix);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fix(x)]));
    return v;
  };
  return fix(definition);
}

export class ExecutionAlreadyExistsError extends Error {
  readonly code = 'ExecutionAlreadyExists';
}
export class ExecutionDoesNotExistError extends Error {
  readonly code = 'ExecutionDoesNotExist';
}

const TRAIL_LIMIT = 200;
/** Safe real-time sleep for Wait states between entering and being parked (< 2^31 ms). */
const PARK_SLEEP_MS = 1_000_000_000;

export class LocalStepFunctions {
  private readonly records = new Map<string, ExecutionRecord>();
  private readonly machines = new Map<string, StateMachine>();
  private readonly running = new Map<string, { abort: () => void }>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly waitStates: Set<string>;
  private readonly taskStates: string[];
  /** The definition the engine runs (see withExecutionContext). */
  private readonly definition: Json;
  /** Each record's place in the order records were first known (ties between equal wake-up instants). */
  private readonly seqOf = new WeakMap<ExecutionRecord, number>();
  private nextSeq = 0;
  /** The current wake-up entry of each parked record (./wake-queue). */
  private readonly wakeEntry = new WeakMap<ExecutionRecord, WakeEntry<ExecutionRecord>>();
  private readonly parkedQueue = new WakeQueue<ExecutionRecord>(
    (e) => this.wakeEntry.get(e.item) === e && e.item.status === 'RUNNING' && e.item.parked?.wakeAt === e.wakeAt,
  );

  constructor(private readonly opts: LocalStepFunctionsOptions) {
    const states: Record<string, Json> = opts.definition.States;
    this.waitStates = new Set(Object.keys(states).filter((s) => states[s].Type === 'Wait'));
    this.taskStates = Object.keys(states).filter((s) => states[s].Type === 'Task');
    for (const [name, s] of Object.entries(states)) {
      if (s.Type === 'Map' || s.Type === 'Parallel') {
        throw new Error(`local engine: ${s.Type} state ${name} is not supported by the park/resume runner`);
      }
      if (s.Type === 'Wait' && (s.InputPath || s.OutputPath)) {
        throw new Error(`local engine: Wait state ${name} must not use InputPath/OutputPath`);
      }
    }
    for (const r of opts.records ?? []) this.known(r);
    for (const r of this.records.values()) if (r.status === 'RUNNING' && r.parked) this.parkedNow(r);
    this.definition = withExecutionContext(opts.definition);
    const { TimeoutSeconds: _t, ...whole } = this.definition;
    this.machines.set(opts.definition.StartAt, new StateMachine(whole, { validationOptions: { checkArn: false } }));
  }

  executionArn(name: string): string {
    return `${this.opts.stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
  }

  /** StartExecution semantics: same name + same input while running = success without a new run. */
  start(name: string, input: Json): ExecutionRecord {
    if (!/^[A-Za-z0-9_-]{1,80}$/.test(name)) throw new Error(`invalid execution name ${name}`);
    const arn = this.executionArn(name);
    const existing = this.records.get(arn);
    if (existing) {
      if (existing.status === 'RUNNING' && JSON.stringify(existing.input) === JSON.stringify(input)) return existing;
      throw new ExecutionAlreadyExistsError(`Execution already exists: '${arn}'`);
    }
    const record: ExecutionRecord = {
      name,
      arn,
      input,
      status: 'RUNNING',
      startDate: this.opts.now().toISOString(),
      trail: [],
    };
    this.known(record);
    this.changed(record);
    this.opts.onStatusChange?.(record);
    this.launch(record, this.opts.definition.StartAt, input);
    return record;
  }

  stop(arn: string, error?: string, cause?: string): ExecutionRecord {
    const record = this.records.get(arn);
    if (!record) throw new ExecutionDoesNotExistError(`Execution does not exist: '${arn}'`);
    if (record.status !== 'RUNNING') return record;
    record.status = 'ABORTED';
    record.error = error;
    record.cause = cause;
    record.stopDate = this.opts.now().toISOString();
    delete record.parked;
    this.running.get(arn)?.abort();
    this.changed(record);
    this.opts.onStatusChange?.(record);
    return record;
  }

  describe(arn: string): ExecutionRecord {
    const record = this.records.get(arn);
    if (!record) throw new ExecutionDoesNotExistError(`Execution does not exist: '${arn}'`);
    return record;
  }

  list(): ExecutionRecord[] {
    return [...this.records.values()];
  }

  /** The earliest instant at which a parked execution wakes up. */
  nextWakeAt(): string | null {
    return this.parkedQueue.peek()?.wakeAt ?? null;
  }

  /**
   * Wakes every execution parked until `instant` or earlier, earliest first (then in the order
   * they were first known), at most `wakeConcurrency` at a time, then waits for them.
   */
  async wakeDue(instant: Date): Promise<number> {
    const due = this.parkedQueue.takeDue(instant.getTime()).map((e) => e.item);
    let next = 0;
    const worker = async () => {
      while (next < due.length) {
        const r = due[next++];
        // Stopped or already woken meanwhile (a stop from a payment, a due wait run at once).
        if (r.status !== 'RUNNING' || !r.parked) continue;
        await this.wake(r);
      }
    };
    const pool = Math.max(1, this.opts.wakeConcurrency ?? 16);
    await Promise.all(Array.from({ length: Math.min(pool, due.length) }, worker));
    await this.idle();
    return due.length;
  }

  /** Resolves once no engine run is in flight (including runs started meanwhile). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Engine runs currently executing states (not parked). */
  get busy(): number {
    return this.inFlight.size;
  }

  /** Resumes a parked execution; resolves when its run parks again or ends. */
  private wake(record: ExecutionRecord): Promise<void> {
    const parked = record.parked!;
    delete record.parked;
    const timeout = this.opts.definition.TimeoutSeconds;
    if (timeout && Date.parse(parked.wakeAt) > Date.parse(record.startDate) + timeout * 1000) {
      this.finish(record, 'TIMED_OUT', { error: 'States.Timeout', cause: `execution exceeded ${timeout} s` });
      return Promise.resolve();
    }
    const wait = this.opts.definition.States[parked.state];
    if (wait.End) {
      this.finish(record, 'SUCCEEDED', { output: parked.input });
      return Promise.resolve();
    }
    return this.launch(record, wait.Next, parked.input);
  }

  private machineFrom(startAt: string): StateMachine {
    let m = this.machines.get(startAt);
    if (!m) {
      // The top-level TimeoutSeconds is enforced here in simulated time (see wake): handed to the
      // engine, a year-long timeout overflows Node's timers and fires after 1 ms.
      const { TimeoutSeconds: _t, ...definition } = this.definition;
      // The whole definition is validated once (constructor); a segment starting mid-way would
      // fail the engine's reachability check, so segments skip re-validation.
      m = new StateMachine({ ...definition, StartAt: startAt }, { validationOptions: { noValidate: true } });
      this.machines.set(startAt, m);
    }
    return m;
  }

  private launch(record: ExecutionRecord, startAt: string, input: Json): Promise<void> {
    const run = this.segment(record, startAt, input).catch((e) => {
      this.finish(record, 'FAILED', { error: 'States.Runtime', cause: String(e?.message ?? e) });
    });
    this.inFlight.add(run);
    void run.finally(() => this.inFlight.delete(run));
    return run;
  }

  private async segment(record: ExecutionRecord, startAt: string, input: Json): Promise<void> {
    const overrides = {
      taskResourceLocalHandlers: Object.fromEntries(
        this.taskStates.map((s) => [s, (parameters: Json) => this.runTask(record, s, parameters)]),
      ),
      waitTimeOverrides: Object.fromEntries([...this.waitStates].map((s) => [s, PARK_SLEEP_MS])),
      retryIntervalOverrides: Object.fromEntries(this.taskStates.map((s) => [s, this.opts.retryIntervalMs ?? 5])),
    };
    const execution = this.machineFrom(startAt).run(input, {
      overrides,
      noThrowOnAbort: true,
      context: {
        Execution: { Id: record.arn, Name: record.name, Input: record.input, StartTime: record.startDate, [RECORDED_START]: record.startDate, [RECORDED_INPUT]: record.input },
        StateMachine: { Id: this.opts.stateMachineArn },
      },
    });
    this.running.set(record.arn, execution);
    let parkedHere = false;
    const watcher = (async () => {
      for await (const ev of execution.eventLogs) {
        if (ev.type !== 'StateEntered') continue;
        // Stopped meanwhile (StopExecution, even from the running task itself: an execution that
        // ends its own course early): AWS enters no further state and bills no transition for one.
        // The engine's run, aborted while the task ran, still enters the state after it (and would
        // sleep in a Wait it entered after the abort): not recorded, and aborted again from there.
        if (record.status !== 'RUNNING') {
          execution.abort();
          return;
        }
        const name = ev.state.name;
        record.trail.push(name);
        if (record.trail.length > TRAIL_LIMIT) record.trail.splice(0, record.trail.length - TRAIL_LIMIT);
        if (this.waitStates.has(name)) {
          parkedHere = true;
          execution.abort();
          if (record.status !== 'RUNNING') return;
          try {
            record.parked = { state: name, input: ev.state.input, wakeAt: this.wakeAt(name, ev.state.input) };
            this.parkedNow(record);
            this.changed(record);
          } catch (e) {
            // What AWS does with an unusable TimestampPath: the execution fails with States.Runtime.
            this.finish(record, 'FAILED', { error: 'States.Runtime', cause: String((e as Error).message) });
          }
          return;
        }
      }
    })();
    try {
      const output = await execution.result;
      await watcher;
      // Parked at a Wait: not an ending (a due wait runs below).
      if (!parkedHere && record.status === 'RUNNING') this.finish(record, 'SUCCEEDED', { output });
    } catch (e: any) {
      await watcher.catch(() => undefined);
      if (record.status !== 'RUNNING') return;
      const cause = e?.cause ?? e;
      this.finish(record, 'FAILED', {
        error: cause?.name ?? e?.name ?? 'States.Runtime',
        cause: String(cause?.message ?? e?.message ?? e),
      });
    } finally {
      if (this.running.get(record.arn) === execution) this.running.delete(record.arn);
    }
    // A wait that is already due runs right away, as part of this run (so a bounded wake-up pool
    // stays bounded; a clock call waits for it).
    if (record.status === 'RUNNING' && record.parked && Date.parse(record.parked.wakeAt) <= this.opts.now().getTime()) {
      await this.wake(record);
    }
  }

  /**
   * One task of a run. First a turn of the event loop, so the trail has recorded every state the
   * run entered up to this task (the engine's event log is read asynchronously): a task that stops
   * its own execution (StopExecution from inside it) then leaves a trail that ends with it, as the
   * transitions AWS bills. A stopped execution runs no further task (AWS discards its run).
   */
  private async runTask(record: ExecutionRecord, state: string, parameters: Json): Promise<Json> {
    await new Promise((resolve) => setImmediate(resolve));
    if (record.status !== 'RUNNING') throw new Error(`execution ${record.name} is ${record.status}`);
    return this.opts.task(state, parameters);
  }

  private wakeAt(stateName: string, input: Json): string {
    const s = this.opts.definition.States[stateName];
    const now = this.opts.now().getTime();
    let at: number;
    if (s.Timestamp) at = Date.parse(s.Timestamp);
    else if (s.TimestampPath) at = Date.parse(String(readPath(s.TimestampPath, input)));
    else if (s.Seconds !== undefined) at = now + s.Seconds * 1000;
    else if (s.SecondsPath) at = now + Number(readPath(s.SecondsPath, input)) * 1000;
    else throw new Error(`Wait state ${stateName} has no duration`);
    if (Number.isNaN(at)) throw new Error(`Wait state ${stateName}: invalid timestamp in input`);
    return new Date(at).toISOString();
  }

  private finish(record: ExecutionRecord, status: ExecutionStatus, extra: Partial<ExecutionRecord>): void {
    if (record.status !== 'RUNNING') return;
    Object.assign(record, extra, { status, stopDate: this.opts.now().toISOString() });
    delete record.parked;
    this.changed(record);
    this.opts.onStatusChange?.(record);
  }

  /** A record now known to the engine (started, or loaded), in order. */
  private known(record: ExecutionRecord): void {
    this.records.set(record.arn, record);
    if (!this.seqOf.has(record)) this.seqOf.set(record, this.nextSeq++);
  }

  /** A record just parked: its wake-up entry (any earlier one goes stale). */
  private parkedNow(record: ExecutionRecord): void {
    const entry = { item: record, wakeAt: record.parked!.wakeAt, seq: this.seqOf.get(record) ?? this.nextSeq++ };
    this.wakeEntry.set(record, entry);
    this.parkedQueue.push(entry);
  }

  private changed(record: ExecutionRecord): void {
    this.opts.onChange?.(record);
  }
}
