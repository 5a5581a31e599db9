import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ExecutionLog } from '../../local/sfn/execution-log';
import type { ExecutionRecord } from '../../local/sfn/local-step-functions';

/** Local mode's executions file: one appended line per change, the last line of an ARN wins. */
describe('execution log', () => {
  const dirs: string[] = [];
  const dir = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'amiable-exec-log-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  const record = (name: string, status: ExecutionRecord['status'], wakeAt?: string): ExecutionRecord => ({
    name,
    arn: `arn:aws:states:eu-west-3:000000000000:execution:sm:${name}`,
    input: { dossierId: name },
    status,
    startDate: '2026-04-04T10:00:00.000Z',
    trail: ['RouteToNextStage'],
    ...(wakeAt ? { parked: { state: 'WaitForFirstReminder', input: {}, wakeAt } } : {}),
  });

  it('appends one line per change (not the whole list) and reloads the latest state of each execution', () => {
    const file = path.join(dir(), 'executions.jsonl');
    const log = new ExecutionLog(file);
    expect(log.load()).toEqual([]);
    log.append(record('a', 'RUNNING', '2026-04-07T07:00:00.000Z'));
    log.append(record('b', 'RUNNING', '2026-04-07T07:00:00.000Z'));
    const sizeBefore = fs.statSync(file).size;
    log.append(record('a', 'SUCCEEDED'));
    // Growth is one record's line, whatever the number of executions.
    expect(fs.statSync(file).size - sizeBefore).toBe(JSON.stringify(record('a', 'SUCCEEDED')).length + 1);
    const reloaded = new ExecutionLog(file).load();
    expect(reloaded.map((r) => [r.name, r.status])).toEqual([
      ['a', 'SUCCEEDED'],
      ['b', 'RUNNING'],
    ]);
    // Opening compacts: one line per execution.
    expect(fs.readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(2);
  });

  it('keeps what was written before a line cut short by a crash', () => {
    const file = path.join(dir(), 'executions.jsonl');
    const log = new ExecutionLog(file);
    log.load();
    log.append(record('a', 'RUNNING', '2026-04-07T07:00:00.000Z'));
    fs.appendFileSync(file, JSON.stringify(record('a', 'SUCCEEDED')).slice(0, 40));
    expect(new ExecutionLog(file).load().map((r) => r.status)).toEqual(['RUNNING']);
  });

  it('reads the whole-list file of an older data dir once, then replaces it', () => {
    const d = dir();
    const legacy = path.join(d, 'executions.json');
    fs.writeFileSync(legacy, JSON.stringify([record('old', 'RUNNING', '2026-05-01T07:00:00.000Z')]));
    const file = path.join(d, 'executions.jsonl');
    expect(new ExecutionLog(file, legacy).load().map((r) => r.name)).toEqual(['old']);
    expect(fs.existsSync(legacy)).toBe(false);
    expect(new ExecutionLog(file, legacy).load().map((r) => r.parked?.wakeAt)).toEqual(['2026-05-01T07:00:00.000Z']);
  });

  it('compacts itself when changes pile up', () => {
    const file = path.join(dir(), 'executions.jsonl');
    const log = new ExecutionLog(file);
    log.load();
    for (let i = 0; i < 1100; i++) log.append(record('a', 'RUNNING', `2026-04-07T07:00:00.000Z`));
    expect(fs.readFileSync(file, 'utf8').trim().split('\n').length).toBeLessThan(1100);
    expect(new ExecutionLog(file).load()).toHaveLength(1);
  });
});
