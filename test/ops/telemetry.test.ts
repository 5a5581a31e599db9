import { afterEach, describe, expect, it, vi } from 'vitest';
import { activity, emfLine, jsonLogger, metric, metricTotal, noticeSent, setEmfSink } from '../../lambdas/adapters/telemetry';

/** Metrics as CloudWatch Embedded Metric Format lines, and local mode's readable lines. */
describe('telemetry', () => {
  const saved = { fn: process.env.AWS_LAMBDA_FUNCTION_NAME, quiet: process.env.AMIABLE_QUIET };
  afterEach(() => {
    setEmfSink(null);
    if (saved.fn === undefined) delete process.env.AWS_LAMBDA_FUNCTION_NAME;
    else process.env.AWS_LAMBDA_FUNCTION_NAME = saved.fn;
    process.env.AMIABLE_QUIET = saved.quiet;
    vi.restoreAllMocks();
  });

  it('writes one EMF document per metric on Lambda, in the Amiable namespace, with its dimensions', () => {
    const lines: string[] = [];
    setEmfSink((l) => lines.push(l));
    process.env.AWS_LAMBDA_FUNCTION_NAME = 'SendNoticeFn';
    const before = metricTotal('NoticesSent', { Kind: 'formal_notice' });
    metric('NoticesSent', 1, { Kind: 'formal_notice' });
    expect(metricTotal('NoticesSent', { Kind: 'formal_notice' })).toBe(before + 1);
    expect(lines).toHaveLength(1);
    const doc = JSON.parse(lines[0]);
    expect(doc._aws.CloudWatchMetrics).toEqual([{ Namespace: 'Amiable', Dimensions: [['Kind']], Metrics: [{ Name: 'NoticesSent', Unit: 'Count' }] }]);
    expect(doc.Kind).toBe('formal_notice');
    expect(doc.NoticesSent).toBe(1);
    expect(Math.abs(doc._aws.Timestamp - Date.now())).toBeLessThan(60_000);
    expect(JSON.parse(emfLine('Payments', 1, {}, 0))._aws.CloudWatchMetrics[0].Dimensions).toEqual([[]]);
  });

  it('writes no EMF locally, but counts', () => {
    const lines: string[] = [];
    setEmfSink((l) => lines.push(l));
    delete process.env.AWS_LAMBDA_FUNCTION_NAME;
    metric('Payments');
    expect(lines).toEqual([]);
  });

  it('prints one readable line per notice locally, unless quiet; nothing of the kind on Lambda', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    delete process.env.AWS_LAMBDA_FUNCTION_NAME;
    process.env.AMIABLE_QUIET = '0';
    noticeSent({ dossierId: 'dos_1', kind: 'first_reminder', audience: 'debtor', messageId: 'm-1' });
    activity('clock', 'a -> b');
    expect(log.mock.calls.map((c) => c[0])).toEqual([
      expect.stringMatching(/^\[\d{4}-\d{2}-\d{2} \d{2}:\d{2} Paris\] notice sent +first_reminder {2}dos_1$/),
      expect.stringMatching(/\] clock +a -> b$/),
    ]);
    log.mockClear();
    process.env.AMIABLE_QUIET = '1';
    activity('clock', 'a -> b');
    process.env.AMIABLE_QUIET = '0';
    process.env.AWS_LAMBDA_FUNCTION_NAME = 'X';
    setEmfSink(() => undefined);
    activity('clock', 'a -> b');
    expect(log).not.toHaveBeenCalled();
  });

  it('logs one JSON line per entry at or above its level: WARN and above on stderr, errors as name, message and stack', () => {
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    process.env.AWS_LAMBDA_FUNCTION_NAME = 'SendNoticeFn';
    const log = jsonLogger('INFO');
    log.debug('not shown', { dossierId: 'dos_1' });
    log.info('message sent', { dossierId: 'dos_1', kind: 'first_reminder' });
    log.error('evidence log behind', { dossierId: 'dos_2', error: new RangeError('too far') });
    expect(out).toHaveBeenCalledTimes(1);
    const info = JSON.parse(String(out.mock.calls[0][0]));
    expect(info).toMatchObject({ level: 'INFO', message: 'message sent', service: 'amiable', function_name: 'SendNoticeFn', dossierId: 'dos_1', kind: 'first_reminder' });
    expect(Math.abs(Date.parse(info.timestamp) - Date.now())).toBeLessThan(60_000);
    expect(String(out.mock.calls[0][0]).endsWith('}\n')).toBe(true);
    const error = JSON.parse(String(err.mock.calls[0][0]));
    expect(error).toMatchObject({ level: 'ERROR', dossierId: 'dos_2', error: { name: 'RangeError', message: 'too far' } });
    expect(error.error.stack).toContain('RangeError');
    out.mockClear();
    jsonLogger('SILENT').error('never', {});
    jsonLogger('ERROR').warn('below', {});
    expect(out).not.toHaveBeenCalled();
    expect(err).toHaveBeenCalledTimes(1);
  });
});
