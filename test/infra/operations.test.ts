import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { readSettings } from '../../lib/app';
import { resolveSystem } from '../../local/template';
import { buildTestApp, PROD } from './synth';

/**
 * What keeps a workflow from ending silently and what wakes the operator (lib/execution-watch.ts,
 * lib/operations-alarms.ts, lib/dunning-workflow.ts), read from the synthesized template.
 */
type Json = any;

const { stack } = buildTestApp({ ...PROD, 'amiable:alarmEmail': 'ops@amiable-test.fr, astreinte@amiable-test.fr' });
const template = Template.fromStack(stack).toJSON();
const resources = Object.entries<Json>(template.Resources);
const ofType = (type: string) => resources.filter(([, r]) => r.Type === type);
const idOf = (type: string) => {
  const found = ofType(type);
  expect(found, type).toHaveLength(1);
  return found[0][0];
};
const handlerFn = (handler: string) => resources.find(([, r]) => r.Type === 'AWS::Lambda::Function' && r.Metadata?.['amiable:handler'] === handler)![0];

describe('executions cannot end silently', () => {
  const smId = idOf('AWS::StepFunctions::StateMachine');

  it('every task that computes the next wait learns when its execution started and where to start the next one', () => {
    const { definition } = resolveSystem(template);
    for (const state of ['SendFirstReminder', 'SendFormalReminder', 'SendFormalNotice', 'SendLitigationHandoff', 'ReviewCommitment']) {
      expect(definition.States[state].Parameters.Payload, state).toMatchObject({
        'executionStartTime.$': '$$.Execution.StartTime',
        'stateMachineArn.$': '$$.StateMachine.Id',
      });
    }
    // The relay checkpoint is waited for like a commitment checkpoint (its input says 1 left: the chain's last review, without a count as well).
    expect(definition.States.RouteToNextStage.Choices).toContainEqual({ Variable: '$.next.stage', StringEquals: 'execution_relay', Next: 'WaitForFollowingCheckpoint' });
    expect(definition.TimeoutSeconds).toBe(365 * 86_400);
  });

  it('a rule sends FAILED, TIMED_OUT and ABORTED executions of this state machine to execution-status, with a dead-letter queue', () => {
    const rules = ofType('AWS::Events::Rule').filter(([, r]) => r.Properties.EventPattern.source?.includes('aws.states'));
    expect(rules).toHaveLength(1);
    const [, rule] = rules[0];
    expect(rule.Properties.EventPattern).toEqual({
      source: ['aws.states'],
      'detail-type': ['Step Functions Execution Status Change'],
      detail: { stateMachineArn: [{ Ref: smId }], status: ['FAILED', 'TIMED_OUT', 'ABORTED'] },
    });
    const [target] = rule.Properties.Targets;
    expect(target.Arn).toEqual({ 'Fn::GetAtt': [handlerFn('execution-status'), 'Arn'] });
    expect(target.DeadLetterConfig.Arn['Fn::GetAtt'][0]).toMatch(/^ExecutionWatchDeadLetterQueue/);
  });

  it('a schedule runs the stall sweep every 6 hours, with a dead-letter queue for undeliverable runs and for runs that fail', () => {
    const sweeps = ofType('AWS::Scheduler::Schedule').filter(([, r]) => r.Properties.Target.Arn?.['Fn::GetAtt']?.[0] === handlerFn('stall-sweep'));
    expect(sweeps).toHaveLength(1);
    const [, schedule] = sweeps[0];
    expect(schedule.Properties.ScheduleExpression).toBe('cron(41 0,6,12,18 * * ? *)');
    expect(schedule.Properties.State ?? 'ENABLED').toBe('ENABLED');
    expect(JSON.parse(schedule.Properties.Target.Input)).toEqual({ source: 'amiable.stall-sweep' });
    const dlq = schedule.Properties.Target.DeadLetterConfig.Arn['Fn::GetAtt'][0];
    expect(dlq).toMatch(/^StallSweepDeadLetterQueue/);
    const [, invokeConfig] = ofType('AWS::Lambda::EventInvokeConfig').find(([, r]) => r.Properties.FunctionName?.Ref === handlerFn('stall-sweep'))!;
    expect(invokeConfig.Properties.DestinationConfig.OnFailure.Destination['Fn::GetAtt'][0]).toBe(dlq);
  });
});

describe('operations alarms', () => {
  const topicId = idOf('AWS::SNS::Topic');
  const alarms = ofType('AWS::CloudWatch::Alarm').map(([, r]) => r.Properties);

  it('one SNS topic, encrypted with a rotated key CloudWatch may use, SSL only, with the configured e-mail subscriptions', () => {
    const topic = template.Resources[topicId].Properties;
    const keyId = topic.KmsMasterKeyId['Fn::GetAtt'][0];
    const key = template.Resources[keyId].Properties;
    expect(key.EnableKeyRotation).toBe(true);
    expect(JSON.stringify(key.KeyPolicy)).toContain('cloudwatch.amazonaws.com');
    const [, policy] = ofType('AWS::SNS::TopicPolicy')[0];
    expect(policy.Properties.PolicyDocument.Statement).toEqual(
      expect.arrayContaining([expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
    );
    const subscriptions = ofType('AWS::SNS::Subscription').map(([, r]) => r.Properties);
    expect(subscriptions.map((s) => [s.Protocol, s.Endpoint]).sort()).toEqual([
      ['email', 'astreinte@amiable-test.fr'],
      ['email', 'ops@amiable-test.fr'],
    ]);
    // Without the context value: the topic, no subscription (subscribe by hand).
    const bare = Template.fromStack(buildTestApp(PROD, {}, { nag: false }).stack);
    bare.resourceCountIs('AWS::SNS::Topic', 1);
    bare.resourceCountIs('AWS::SNS::Subscription', 0);
  });

  it('every alarm notifies the topic', () => {
    expect(alarms.length).toBeGreaterThan(0);
    for (const a of alarms) expect(a.AlarmActions).toEqual([{ Ref: topicId }]);
  });

  it('every dead-letter queue of the stack has a depth alarm', () => {
    // A dead-letter queue is a queue nothing consumes (a work queue has its event source mapping).
    const consumed = new Set(ofType('AWS::Lambda::EventSourceMapping').map(([, r]) => r.Properties?.EventSourceArn?.['Fn::GetAtt']?.[0]));
    const queues = ofType('AWS::SQS::Queue').map(([id]) => id).filter((id) => !consumed.has(id));
    // Delivery events, execution status, accountants, bulk starts.
    expect(queues.length).toBeGreaterThanOrEqual(4);
    for (const q of queues) {
      const alarm = alarms.find((a) => a.MetricName === 'ApproximateNumberOfMessagesVisible' && a.Dimensions?.[0]?.Value?.['Fn::GetAtt']?.[0] === q);
      expect(alarm, q).toMatchObject({ Namespace: 'AWS/SQS', Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
    }
  });

  it('executions that fail, time out, or are stopped outside Amiable raise an alarm', () => {
    const smId = idOf('AWS::StepFunctions::StateMachine');
    for (const name of ['ExecutionsFailed', 'ExecutionsTimedOut']) {
      const alarm = alarms.find((a) => a.MetricName === name);
      expect(alarm, name).toMatchObject({ Namespace: 'AWS/States', Statistic: 'Sum', Threshold: 1, Dimensions: [{ Name: 'StateMachineArn', Value: { Ref: smId } }] });
    }
    expect(alarms.find((a) => a.MetricName === 'ExecutionsEndedUnexpectedly')).toMatchObject({
      Namespace: 'Amiable',
      Dimensions: [{ Name: 'Status', Value: 'ABORTED' }],
      Threshold: 1,
    });
  });

  it('a dossier the stall sweep had to flag raises an alarm', () => {
    expect(alarms.find((a) => a.MetricName === 'StalledDossiersFlagged')).toMatchObject({ Namespace: 'Amiable', Statistic: 'Sum', Period: 3600, Threshold: 1 });
  });

  it('every function has an errors alarm', () => {
    const functions = ofType('AWS::Lambda::Function').filter(([, r]) => r.Metadata?.['amiable:handler']).map(([id]) => id);
    for (const fn of functions) {
      const alarm = alarms.find((a) => a.MetricName === 'Errors' && a.Dimensions?.[0]?.Value?.Ref === fn);
      expect(alarm, fn).toMatchObject({ Namespace: 'AWS/Lambda', Statistic: 'Sum', Threshold: 3, Period: 900 });
    }
  });

  it('refuses an alarm address that is not one', () => {
    expect(() => readSettings((k) => (k === 'amiable:alarmEmail' ? 'ops@amiable-test.fr,not-an-address' : undefined))).toThrow(/amiable:alarmEmail: "not-an-address"/);
    expect(readSettings(() => undefined).alarmEmails).toEqual([]);
  });
});
