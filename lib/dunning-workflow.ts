import { Arn, ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { acknowledge, acknowledgeGrantWildcards, wildcardResource } from './nag';
import { tracingEnabled } from './tracing';
import { EXECUTION_RELAY } from '../lambdas/domain/execution-horizon';

export interface DunningWorkflowProps {
  /** The dossier table. The state machine itself reads nothing: each step's Lambda reads under its lease. */
  table: dynamodb.ITable;
  sendNotice: lambda.IFunction;
  /** Runs SendLitigationHandoff (lambdas/handoff.ts): holds for approval or hands off to counsel. */
  handOff: lambda.IFunction;
  markNeedsAttention: lambda.IFunction;
  /** Runs a commitment checkpoint (promise check, instalment reminder or check). */
  reviewCommitment: lambda.IFunction;
}

/**
 * NextAction kinds that are commitment checkpoints rather than stages (lambdas/domain/model.ts),
 * and the relay that hands a dossier on to a new execution before the 1-year limit
 * (lambdas/domain/execution-horizon.ts): all waited for, then run by the review-commitment Lambda.
 */
export const CHECKPOINT_ACTIONS = ['promise_check', 'instalment_reminder', 'instalment_check', EXECUTION_RELAY];

/**
 * The chain of commitment checkpoints: CHECKPOINT_CHAIN Wait/Review pairs. 12: the reminders and
 * checks of a 6-instalment plan, the budgeted plan (issue 15), in one entry of the route.
 */
export const CHECKPOINT_CHAIN = 12;

/**
 * Its states, first to last. The last four keep the names of the definition before the chain (a
 * plan's run of four, then the pair every other checkpoint opened), in the same order and wired the
 * same way to the route after them: a local-mode execution parked at one of them across an upgrade
 * resumes by state name (local/sfn) and goes on as it would have, and the console history of older
 * executions reads the same. A review runs whatever checkpoint is due whatever its name says.
 */
const CHECKPOINT_STATES: [string, string][] = [
  ...Array.from({ length: CHECKPOINT_CHAIN - 4 }, (_, i): [string, string] => [`WaitForCheckpoint${i + 1}`, `ReviewCheckpoint${i + 1}`]),
  ['WaitForInstalmentReminder', 'ReviewInstalmentReminder'],
  ['WaitForInstalmentCheck', 'ReviewInstalmentCheck'],
  ['WaitForCommitmentCheckpoint', 'ReviewCommitment'],
  ['WaitForFollowingCheckpoint', 'ReviewFollowingCheckpoint'],
];

/** Retries of a step after a failure other than a rule violation: 5, 15, 45, 135 s (about 3 minutes). */
export const SEND_RETRIES = 4;
/**
 * The hand-off's step retries longer (then every 5 minutes: about 13 minutes in all): its attempt
 * is the heaviest (it reads every evidence object of the dossier, writes the litigation dossier and
 * a bundle), nothing waits on it by the day, and a retry reuses what a failed attempt wrote
 * (lambdas/services/litigation.ts earlierWork). What still fails after that is flagged.
 */
export const HANDOFF_RETRIES = 6;

/** Why a grant on this state machine's executions ends in a wildcard. */
const EXECUTIONS_REASON =
  'Executions of this one state machine (execution:<its name>:*): execution names are per dossier (a hash of creditor + invoice number, with a -2, -3 suffix on resume) and only known at run time.';

/** Error names a send Lambda raises that no retry can fix (the Catch marks the dossier). */
export const NON_RETRYABLE_ERRORS = ['NoticeRejected', 'DossierNotFound'];

interface StageSpec {
  stage: string;
  /** Readable piece of each state name: FirstReminder, FormalReminder, ... */
  label: string;
  waitName: string;
}

const STAGE_SPECS: StageSpec[] = [
  { stage: 'first_reminder', label: 'FirstReminder', waitName: 'WaitForFirstReminder' },
  { stage: 'formal_reminder', label: 'FormalReminder', waitName: 'WaitForFormalReminder' },
  { stage: 'formal_notice', label: 'FormalNotice', waitName: 'WaitForFormalNotice' },
  { stage: 'litigation_handoff', label: 'LitigationHandoff', waitName: 'WaitForGracePeriodEnd' },
];

/**
 * A Lambda task that acts on the dossier and answers where the execution goes next
 * ({ outcome, nextStage, nextAt } -> $.next). Rule violations are not retried; anything else is,
 * with backoff; what still fails flags the dossier through `onFailure`.
 */
function nextActionStep(
  scope: Construct,
  id: string,
  fn: lambda.IFunction,
  fields: Record<string, unknown>,
  onFailure: sfn.IChainable,
  maxAttempts = SEND_RETRIES,
  alsoSelect: Record<string, string> = {},
): tasks.LambdaInvoke {
  const step = new tasks.LambdaInvoke(scope, id, {
    lambdaFunction: fn,
    payload: sfn.TaskInput.fromObject({
      dossierId: sfn.JsonPath.stringAt('$.dossierId'),
      executionName: sfn.JsonPath.executionName,
      // Where and since when this execution runs: a next step beyond its horizon continues in a
      // new execution of this state machine (lambdas/services/execution-continuation.ts).
      executionStartTime: sfn.JsonPath.executionStartTime,
      stateMachineArn: sfn.JsonPath.stateMachineId,
      ...fields,
    }),
    // Keep only what the next states read: bounded payload and history size.
    resultSelector: {
      'outcome.$': '$.Payload.outcome',
      'stage.$': '$.Payload.nextStage',
      'at.$': '$.Payload.nextAt',
      ...alsoSelect,
    },
    resultPath: '$.next',
    retryOnServiceExceptions: false,
  });
  step.addRetry({ errors: NON_RETRYABLE_ERRORS, maxAttempts: 0 });
  step.addRetry({
    errors: ['States.ALL'],
    interval: Duration.seconds(5),
    backoffRate: 3,
    maxAttempts,
    maxDelay: Duration.minutes(5),
  });
  step.addCatch(onFailure, { resultPath: '$.error' });
  return step;
}

/** Outcomes after which the execution goes on (RouteToNextStage reads the next stage); any other ends it. */
const CONTINUING_OUTCOMES = ['sent', 'continue'];

/**
 * The per-invoice escalation, one Standard execution per dossier, readable top to bottom in the
 * console. The stages are a chain, entered once through the route:
 *
 *   RouteToNextStage -> WaitForFirstReminder -> SendFirstReminder -> WaitForFormalReminder
 *     -> SendFormalReminder -> WaitForFormalNotice -> SendFormalNotice -> WaitForGracePeriodEnd
 *     -> SendLitigationHandoff (end)
 *
 * No Choice between a send and the next Wait: the schedule never skips a stage
 * (lambdas/domain/schedule.ts), so after a stage goes out the next one is always the following
 * stage; a send whose dossier goes on to anything else (a stale execution's retried send) moves
 * the dossier to a new execution (continueOnChain, lambdas/services/execution-continuation.ts).
 * A send that ends the course (not_active: paused after a bounce, stale; continued: a new execution
 * carries the dossier on) stops its own execution (StopExecution, execution-continuation.ts
 * endChainEarly), so the stages left are neither run nor billed. Should that stop fail, it answers
 * "now" as its instant, and every following step of the chain passes that outcome through at once
 * without touching the dossier (passedThrough, lambdas/services/step-outcome.ts, the same as the
 * chain of commitment checkpoints): one Wait and one short invocation per stage left. A full
 * escalation is 9 state transitions.
 *
 * The hand-off is the last stage: the execution ends with its step, whatever its outcome
 * (handed_off, awaiting_approval, not_active, or an ending passed through; the execution's output
 * says which, in $.next.outcome), so no choice and no terminal state follow it. An approved
 * hand-off runs outside the execution (POST /invoices/{id}/handoff), and a dossier whose course
 * changes later (payment, plan, dispute) is carried by a new execution.
 *
 * A promise to pay or a payment plan moves the dossier to a new execution that waits for its
 * commitment checkpoints in a chain of CHECKPOINT_CHAIN (12) Wait/Review pairs, entered once
 * through the route and left through it again, with no Choice in between (as the stages):
 *
 *   RouteToNextStage -> WaitForCheckpoint1 -> ReviewCheckpoint1 -> ... -> WaitForCheckpoint8
 *     -> ReviewCheckpoint8 -> WaitForInstalmentReminder -> ReviewInstalmentReminder
 *     -> WaitForInstalmentCheck -> ReviewInstalmentCheck -> WaitForCommitmentCheckpoint
 *     -> ReviewCommitment -> WaitForFollowingCheckpoint -> ReviewFollowingCheckpoint -> RouteToNextStage
 *
 * Every review runs whatever checkpoint is due (a reminder, a check, a promise's check, the relay)
 * and answers the next one, so no Choice is needed between two of them. The route enters the chain
 * where as many reviews are left as this execution plans to run (`$.next.left`: the execution's
 * input, domain/execution-input.ts, or the last review's answer; counted by
 * dossier-commitments.ts plannedCheckpoints up to the execution's horizon), at its start when more
 * are planned: a 6-instalment plan (6 reminders, 6 checks) is one entry, 24 transitions in its own
 * execution when the last payment stops it at its last Wait (26 for the whole dossier; the runs of
 * four before, one route each, took 26 and 28), and a promise's check or a relay enters at the last
 * review (Route, Wait, Review, Route: 2 fewer than the pair before). A missing `left` (an input or a
 * review's answer from the definition before) enters at the last review: never a checkpoint lost,
 * at most one more route per checkpoint.
 *
 * With no Choice, a review that ends the commitment or resumes a stage before the planned last one
 * (a plan broken at a check; a stale execution) would be followed by the rest of the entry, 2
 * transitions per pair ($0.00005 at $0.000025 each, ../shared/reference/aws-facts.md). So each review
 * is told how many pairs follow it (`pairsAfter`), and one that leaves the chain early hands the
 * dossier to a new execution (the next generation, whose route takes it where it goes: the chain
 * of stages) and stops its own, or only stops it when nothing goes on (a stale execution starts
 * nothing): execution-continuation.ts endChainEarly. A 6-instalment plan broken at instalment j,
 * whole dossier to its hand-off: 12 + 4j transitions (16 at the first check; 36 when the 10 pairs
 * left were passed through; 20, 20, 29, 29, 38, 38 with the runs of four), never more than the
 * runs of four. Only if the stop fails does the rest of the entry pass the outcome on at once,
 * without touching the dossier (step-outcome.ts passedThrough), then the route. Payments, disputes
 * and cancellations stop the execution (StopExecution) and pay nothing of it. Step Functions limits:
 * an execution never waits past its start + 300 days (below), and its history stays far below
 * 25,000 events: about 7 events per Wait/Review pair, at most one checkpoint per instalment
 * reminder or check (MAX_INSTALMENTS 36: 72) before the horizon relay, a few hundred events even
 * with every task retried.
 *
 * Each step is ONE Lambda task that decides and acts: it re-reads the dossier under its lease
 * (a paid, cancelled, paused or superseded dossier ends the execution: outcome `not_active`),
 * sends, and returns where the execution goes next ({ outcome, nextStage, nextAt } -> $.next;
 * the next wait is computed in one place, lambdas/services/step-outcome.ts). There is no separate
 * read-and-choice before a send: a full escalation is 9 state transitions, a 6-instalment plan
 * 24 in its own execution (Step Functions bills each one: ../shared/reference/aws-facts.md).
 *
 * No execution waits past its start + 300 days (lambdas/domain/execution-horizon.ts; the limit is
 * 365): a task whose next step lies further returns outcome "continued" after starting the next
 * generation, and this one ends (at DossierNoLongerActive after a review, at the end of the chain
 * after a send); a new execution whose first step lies further waits for an "execution_relay"
 * checkpoint instead, which does the same.
 *
 * Input: { dossierId, next: { stage, at } }. Every wait is a timestamp taken from the dossier's
 * schedule (no polling). A paused dossier is resumed by a NEW execution whose input names the
 * stage to resume at (RouteToNextStage jumps into the chain at that stage's Wait). An execution
 * started under the definition before the chain (a route after every send) runs on as it started:
 * the state names are the same and the sends answer it as before. Only JSONPath features the
 * local engine executes faithfully are used (no JSONata, no variables, no task tokens).
 */
export class DunningWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: DunningWorkflowProps) {
    super(scope, id);

    const closed = new sfn.Succeed(this, 'DossierNoLongerActive', {
      comment: 'Reached from the route: a commitment ended (at the end of the chain of checkpoints, which passed the ending through), or it continued in a new execution (outcome "continued"). A send that ends the course ends at the end of the chain of stages instead.',
    });
    const failed = new sfn.Fail(this, 'EscalationFailed', {
      error: 'EscalationFailed',
      cause: 'A step failed after its retries; the dossier is flagged needs_attention.',
    });
    const markNeedsAttention = new tasks.LambdaInvoke(this, 'MarkNeedsAttention', {
      lambdaFunction: props.markNeedsAttention,
      payload: sfn.TaskInput.fromObject({
        dossierId: sfn.JsonPath.stringAt('$.dossierId'),
        executionName: sfn.JsonPath.executionName,
        error: sfn.JsonPath.objectAt('$.error'),
      }),
      resultPath: sfn.JsonPath.DISCARD,
      retryOnServiceExceptions: true,
    }).next(failed);

    const route = new sfn.Choice(this, 'RouteToNextStage', {
      comment: 'New dossiers start at the first reminder; resumed dossiers at the stage they had reached; commitments into the chain of checkpoints where as many reviews are left as planned; after that chain, where its last review said.',
    })
      .when(
        sfn.Condition.and(
          sfn.Condition.isPresent('$.next.outcome'),
          sfn.Condition.not(sfn.Condition.or(...CONTINUING_OUTCOMES.map((o) => sfn.Condition.stringEquals('$.next.outcome', o)))),
        ),
        closed,
      );

    // The chain of stages: each send is followed by the Wait of the following stage, no Choice in
    // between (the schedule never skips a stage; a send that goes on to anything else hands the
    // dossier to a new execution: execution-continuation.ts continueOnChain). Every send is handed
    // `next` ($.next): what the send before answered, passed through when it ended the course; or,
    // when the route jumped to this stage's Wait (a new or resumed execution), that execution's input.
    let previous: tasks.LambdaInvoke | null = null;
    for (const spec of STAGE_SPECS) {
      const wait = new sfn.Wait(this, spec.waitName, { time: sfn.WaitTime.timestampPath('$.next.at') });
      const handoff = spec.stage === 'litigation_handoff';
      const send = nextActionStep(
        this,
        `Send${spec.label}`,
        handoff ? props.handOff : props.sendNotice,
        { stage: spec.stage, next: sfn.JsonPath.objectAt('$.next') },
        markNeedsAttention,
        handoff ? HANDOFF_RETRIES : SEND_RETRIES,
      );
      wait.next(send);
      previous?.next(wait);
      previous = send;
      route.when(sfn.Condition.stringEquals('$.next.stage', spec.stage), wait);
    }
    // The hand-off ends the execution whatever its outcome (see above).

    // The chain of checkpoints: CHECKPOINT_CHAIN Wait/Review pairs, each review followed by the
    // next Wait with no Choice in between, the last one by the route. Every review runs whatever
    // checkpoint is due (`action`: what the review before answered, or the execution's input) and
    // is handed `next` ($.next) to pass an ending or a resumed stage through (review-commitment,
    // step-outcome.ts passedThrough); it answers `left` besides (how many checkpoints are left as
    // planned), for the route after the chain.
    const selectLeft = { 'left.$': '$.Payload.left' };
    const waits: sfn.Wait[] = [];
    let before: tasks.LambdaInvoke | null = null;
    for (const [i, [waitName, reviewName]] of CHECKPOINT_STATES.entries()) {
      const wait = new sfn.Wait(this, waitName, { time: sfn.WaitTime.timestampPath('$.next.at') });
      // `pairsAfter`: the pairs after this review, which an early end here would pass through; the
      // review stops the execution instead (execution-continuation.ts endChainEarly).
      const review = nextActionStep(
        this,
        reviewName,
        props.reviewCommitment,
        { action: sfn.JsonPath.stringAt('$.next.stage'), next: sfn.JsonPath.objectAt('$.next'), pairsAfter: CHECKPOINT_CHAIN - 1 - i },
        markNeedsAttention,
        SEND_RETRIES,
        selectLeft,
      );
      wait.next(review);
      before?.next(wait);
      before = review;
      waits.push(wait);
    }
    before?.next(route);
    // The route enters the chain where as many reviews are left as checkpoints are planned
    // (`left`: domain/execution-input.ts, review-commitment's answer), at its start
    // when more are planned, at its last review when the count is missing (an input or answer from
    // before the chain of checkpoints: it has no `left`).
    const isCheckpoint = sfn.Condition.or(...CHECKPOINT_ACTIONS.map((a) => sfn.Condition.stringEquals('$.next.stage', a)));
    const hasLeft = sfn.Condition.isPresent('$.next.left');
    route.when(sfn.Condition.and(hasLeft, sfn.Condition.numberGreaterThanEquals('$.next.left', CHECKPOINT_CHAIN), isCheckpoint), waits[0]);
    for (let left = CHECKPOINT_CHAIN - 1; left >= 2; left--) {
      route.when(sfn.Condition.and(hasLeft, sfn.Condition.numberEquals('$.next.left', left), isCheckpoint), waits[CHECKPOINT_CHAIN - left]);
    }
    for (const action of CHECKPOINT_ACTIONS) route.when(sfn.Condition.stringEquals('$.next.stage', action), waits[CHECKPOINT_CHAIN - 1]);
    route.otherwise(closed);

    const logGroup = new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.ONE_YEAR });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromChainable(route),
      comment: 'Amiable: per-invoice amicable collection escalation',
      tracingEnabled: tracingEnabled(this),
      // Every state transition (cdk-nag SF1), without the state input and output: those carry debtor
      // names and addresses, which stay in the table and the evidence vault, not in logs.
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
      // The Standard maximum. No execution reaches it: each hands over after at most 300 days
      // (execution-horizon.ts); should one still end TIMED_OUT, lib/execution-watch.ts flags it.
      timeout: Duration.days(365),
    });

    const role = this.stateMachine.role;
    if (!tracingEnabled(this)) {
      acknowledge(
        this.stateMachine,
        'SF2',
        'X-Ray tracing is a deployment switch (-c amiable:tracing=true, lib/tracing.ts), off by default: every transition is already logged (level ALL) and an execution that ends badly flags its dossier (lib/execution-watch.ts).',
      );
    }
    acknowledge(
      role,
      'IAM5[Resource::*]',
      'Step Functions logging and tracing: the CloudWatch Logs delivery actions (logs:CreateLogDelivery, PutResourcePolicy, DescribeLogGroups...) and the X-Ray actions (with -c amiable:tracing=true) support no resource-level permissions, so IAM only accepts Resource "*"; the state machine has no other "*" grant.',
    );
    for (const fn of [props.sendNotice, props.handOff, props.markNeedsAttention, props.reviewCommitment]) {
      acknowledge(
        role,
        wildcardResource(role, `${fn.functionArn}:*`),
        'LambdaInvoke grants this one function and its qualified ARNs (function:<name>:*, versions and aliases); no other function is reachable.',
      );
    }
  }

  /**
   * For the steps that continue a dossier in a new execution and end their own execution early
   * (lambdas/services/execution-continuation.ts): states:StartExecution on this state machine, and
   * states:StopExecution on its executions only (the resource grantExecution gives,
   * execution:<its name>:*). A policy of its own, not the roles' default policy (where grantExecution
   * would put it): the functions do not wait for it, so the state machine (which references the
   * functions) and this grant (which references the state machine) make no cycle.
   */
  grantContinuation(...fns: lambda.IFunction[]): iam.Policy {
    const stack = Stack.of(this);
    const name = Arn.split(this.stateMachine.stateMachineArn, ArnFormat.COLON_RESOURCE_NAME).resourceName;
    const executions = `${stack.formatArn({ service: 'states', resource: 'execution', resourceName: name, arnFormat: ArnFormat.COLON_RESOURCE_NAME })}:*`;
    const policy = new iam.Policy(this, 'ContinuationStartPolicy', {
      roles: fns.map((fn) => fn.role!),
      statements: [
        new iam.PolicyStatement({ actions: ['states:StartExecution'], resources: [this.stateMachine.stateMachineArn] }),
        new iam.PolicyStatement({ actions: ['states:StopExecution'], resources: [executions] }),
      ],
    });
    acknowledge(policy, wildcardResource(policy, executions), EXECUTIONS_REASON);
    return policy;
  }

  /** states:StopExecution on this state machine's executions (a payment, a cancellation, a pause). */
  grantStop(fn: lambda.IFunction): iam.Grant {
    const grant = this.stateMachine.grantExecution(fn, 'states:StopExecution');
    acknowledgeGrantWildcards(fn, grant, EXECUTIONS_REASON);
    return grant;
  }

  /** states:DescribeExecution on this state machine's executions (the stall sweep, lib/stall-sweep.ts). */
  grantDescribe(fn: lambda.IFunction): iam.Grant {
    const grant = this.stateMachine.grantExecution(fn, 'states:DescribeExecution');
    acknowledgeGrantWildcards(fn, grant, EXECUTIONS_REASON);
    return grant;
  }
}
