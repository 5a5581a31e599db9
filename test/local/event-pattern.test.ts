/**
 * Local event patterns (local/event-pattern.ts) against the examples AWS documents for Lambda event
 * filtering and EventBridge patterns (which Lambda filtering follows), and against the patterns the
 * template uses on the table's stream (lib/table-stream.ts dossierAppends, the digest jobs).
 */
import { describe, expect, it } from 'vitest';
import { compilePattern, matchesPattern } from '../../local/event-pattern';

describe('event patterns: AWS-documented examples', () => {
  it('arrays: an array in the event matches when it shares one value with the pattern (EventBridge, Arrays in event patterns)', () => {
    const pattern = {
      resources: [
        'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
        'arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f',
        'arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f',
      ],
    };
    const event = {
      resources: [
        'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b-bbf0-401d-b893-d5978ed4a025:autoScalingGroupName/ASGTerminate',
        'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
      ],
    };
    expect(matchesPattern(pattern, event)).toBe(true);
    expect(matchesPattern(pattern, { resources: [event.resources[0]] })).toBe(false);
    expect(matchesPattern(pattern, { resources: [] })).toBe(false);
  });

  it('exists: a leaf present (an array of values counts), absent, or only an object there (EventBridge, Exists matching)', () => {
    const exists = { detail: { state: [{ exists: true }] } };
    expect(matchesPattern(exists, { 'detail-type': ['EC2 Instance State-change Notification'], detail: { state: ['initializing', 'running'] } })).toBe(true);
    expect(matchesPattern(exists, { 'detail-type': ['EC2 Instance State-change Notification'], detail: { 'c-count': { c1: 100 } } })).toBe(false);
    const absent = { detail: { state: [{ exists: false }] } };
    expect(matchesPattern(absent, { detail: { 'c-count': { c1: 100 } } })).toBe(true);
    expect(matchesPattern(absent, { detail: { state: 'pending' } })).toBe(false);
    // "Exists matching only works on leaf nodes": an object under the name is no leaf.
    expect(matchesPattern({ detail: { 'c-count': [{ exists: true }] } }, { detail: { 'c-count': { c1: 100 } } })).toBe(false);
  });

  it('prefix (EventBridge, Prefix matching)', () => {
    const pattern = { time: [{ prefix: '2017-10-02' }] };
    expect(matchesPattern(pattern, { time: '2017-10-02T18:43:48Z' })).toBe(true);
    expect(matchesPattern(pattern, { time: '2017-10-03T18:43:48Z' })).toBe(false);
  });

  it('the Lambda filter rule table: null, empty, equals, and, or', () => {
    expect(matchesPattern({ UserID: [null] }, { UserID: null })).toBe(true);
    expect(matchesPattern({ UserID: [null] }, { UserID: 'u1' })).toBe(false);
    expect(matchesPattern({ LastName: [''] }, { LastName: '' })).toBe(true);
    expect(matchesPattern({ LastName: [''] }, { LastName: 'Doe' })).toBe(false);
    expect(matchesPattern({ Name: ['Alice'] }, { Name: 'Alice' })).toBe(true);
    // Exact, character by character: no case folding.
    expect(matchesPattern({ Name: ['Alice'] }, { Name: 'alice' })).toBe(false);
    const and = { Location: ['New York'], Day: ['Monday'] };
    expect(matchesPattern(and, { Location: 'New York', Day: 'Monday' })).toBe(true);
    expect(matchesPattern(and, { Location: 'New York', Day: 'Tuesday' })).toBe(false);
    // "the event must contain all the field names included in a filter".
    expect(matchesPattern(and, { Location: 'New York' })).toBe(false);
    const or = { PaymentType: ['Credit', 'Debit'] };
    expect(matchesPattern(or, { PaymentType: 'Debit' })).toBe(true);
    expect(matchesPattern(or, { PaymentType: 'Cash' })).toBe(false);
  });

  it('a DynamoDB stream record: filtering on a key and on NewImage attributes (Lambda, multi-level filtering)', () => {
    const record = {
      dynamodb: {
        Keys: { Id: { N: '101' } },
        NewImage: { Message: { S: 'New item!' }, Id: { N: '101' } },
        SequenceNumber: '111',
        SizeBytes: 26,
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
    };
    expect(matchesPattern({ dynamodb: { Keys: { Id: { N: ['101'] } } } }, record)).toBe(true);
    expect(matchesPattern({ dynamodb: { Keys: { Id: { N: ['102'] } } } }, record)).toBe(false);
    // A number in the pattern is not the string DynamoDB JSON carries.
    expect(matchesPattern({ dynamodb: { Keys: { Id: { N: [101] } } } }, record)).toBe(false);
    expect(matchesPattern({ dynamodb: { NewImage: { Message: { S: ['New item!'] } } } }, record)).toBe(true);
  });

  it('refuses, when read, an operator local mode does not implement and a value that is not a list', () => {
    expect(() => compilePattern({ detail: { state: [{ 'anything-but': 'initializing' }] } })).toThrow(/unsupported rule at detail.state/);
    expect(() => compilePattern({ detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] } })).toThrow(/unsupported/);
    expect(() => compilePattern({ source: 'aws.states' })).toThrow(/must be an array/);
  });
});

describe('event patterns: the stream filters of the template', () => {
  const dossierChange = (name: 'INSERT' | 'MODIFY' | 'REMOVE', appended?: string[]) => ({
    eventName: name,
    dynamodb: {
      Keys: { pk: { S: 'D#d1' }, sk: { S: 'DOSSIER' } },
      ...(name === 'REMOVE' ? { OldImage: { pk: { S: 'D#d1' }, sk: { S: 'DOSSIER' } } } : { NewImage: { pk: { S: 'D#d1' }, sk: { S: 'DOSSIER' }, ...(appended ? { appended: { SS: appended } } : {}) } }),
    },
  });
  const appendedAny = (types: string[]) => ({ eventName: ['INSERT', 'MODIFY'], dynamodb: { Keys: { sk: { S: ['DOSSIER'] } }, NewImage: { appended: { SS: types } } } });
  const unmarked = { eventName: ['INSERT', 'MODIFY'], dynamodb: { Keys: { sk: { S: ['DOSSIER'] } }, NewImage: { appended: { SS: [{ exists: false }] } } } };
  const either = (r: unknown, types: string[]) => [appendedAny(types), unmarked].some((p) => matchesPattern(p, r));

  it('passes a change whose appended set shares a type with the list, and no other', () => {
    const alerts = ['email_bounced', 'email_complained', 'needs_attention', 'dispute_opened'];
    expect(either(dossierChange('MODIFY', ['email_delivered', 'email_bounced', 'needs_attention']), alerts)).toBe(true);
    expect(either(dossierChange('INSERT', ['created', 'dispute_opened']), alerts)).toBe(true);
    expect(either(dossierChange('MODIFY', ['notice_sent', 'message_sent']), alerts)).toBe(false);
    expect(either(dossierChange('MODIFY', ['none']), alerts)).toBe(false);
  });

  it('passes a change of an item written before the marker existed, never a removal', () => {
    expect(either(dossierChange('MODIFY'), ['created'])).toBe(true);
    expect(either(dossierChange('REMOVE'), ['created'])).toBe(false);
    // Another kind of item (a creditor profile) on the same stream.
    expect(either({ eventName: 'MODIFY', dynamodb: { Keys: { pk: { S: 'C#c1' }, sk: { S: 'PROFILE' } }, NewImage: { pk: { S: 'C#c1' }, sk: { S: 'PROFILE' } } } }, ['created'])).toBe(false);
  });

  it('the digest jobs: an INSERT of a DIGEST# item', () => {
    const jobs = { eventName: ['INSERT'], dynamodb: { Keys: { sk: { S: [{ prefix: 'DIGEST#' }] } } } };
    expect(matchesPattern(jobs, { eventName: 'INSERT', dynamodb: { Keys: { pk: { S: 'C#c1' }, sk: { S: 'DIGEST#2026-04-06' } } } })).toBe(true);
    expect(matchesPattern(jobs, { eventName: 'MODIFY', dynamodb: { Keys: { pk: { S: 'C#c1' }, sk: { S: 'DIGEST#2026-04-06' } } } })).toBe(false);
  });
});
