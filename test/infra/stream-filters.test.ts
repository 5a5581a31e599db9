/**
 * The table stream's event source mappings in the synthesized template (lib/table-stream.ts): the
 * functions that follow dossiers get only the dossier changes that appended an entry type they act
 * on (the item's `appended` marker: lambdas/adapters/appended-marker.ts), or those of an item
 * written before the marker; the marker stays out of every index (a change of it alone would
 * otherwise write the index too); the filters fit AWS's limits.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { APPENDED_ATTRIBUTE, APPENDED_NONE } from '../../lambdas/adapters/appended-marker';
import { ALERTING_MARKERS } from '../../lambdas/domain/accountant-alerts';
import { DETAIL_TYPE_OF } from '../../lambdas/domain/dossier-events';
import { buildTestApp, PROD } from './synth';

type Json = any;

const template = Template.fromStack(buildTestApp(PROD).stack).toJSON();
const resources = Object.entries<Json>(template.Resources);
const fnOf = (handler: string) => resources.find(([, r]) => r.Type === 'AWS::Lambda::Function' && r.Metadata?.['amiable:handler'] === handler)![0];
const mappingsOf = (handler: string) =>
  resources
    .filter(([, r]) => r.Type === 'AWS::Lambda::EventSourceMapping' && (r.Properties.FunctionName?.Ref ?? r.Properties.FunctionName?.['Fn::GetAtt']?.[0]) === fnOf(handler))
    .map(([, r]) => r.Properties);
const patternsOf = (handler: string) => {
  const mappings = mappingsOf(handler);
  expect(mappings, handler).toHaveLength(1);
  return (mappings[0].FilterCriteria.Filters as { Pattern: string }[]).map((f) => JSON.parse(f.Pattern));
};

const dossierFilters = (types: readonly string[]) => [
  { eventName: ['INSERT', 'MODIFY'], dynamodb: { Keys: { sk: { S: ['DOSSIER'] } }, NewImage: { [APPENDED_ATTRIBUTE]: { SS: [...types] } } } },
  { eventName: ['INSERT', 'MODIFY'], dynamodb: { Keys: { sk: { S: ['DOSSIER'] } }, NewImage: { [APPENDED_ATTRIBUTE]: { SS: [{ exists: false }] } } } },
];

describe('the table stream filters of the functions that follow dossiers', () => {
  it('accountant-alerts: the changes that appended a hard bounce, a complaint, a needs_attention flag or a dispute opened', () => {
    expect(patternsOf('accountant-alerts')).toEqual(dossierFilters(ALERTING_MARKERS));
    expect(ALERTING_MARKERS).not.toContain(APPENDED_NONE);
    // A bounce reaches the alerts only when hard (a soft one alerts no one).
    expect(ALERTING_MARKERS).toEqual(['email_bounced:Permanent', 'email_complained', 'needs_attention', 'dispute_opened']);
  });

  it('events-out: the changes that appended any entry type with a detail-type (every one is published or subscribable)', () => {
    const types = Object.keys(DETAIL_TYPE_OF);
    expect(types).toHaveLength(16);
    expect(patternsOf('events-out')).toEqual(dossierFilters(types));
    expect(types).not.toContain(APPENDED_NONE);
  });

  it('the digest jobs keep their own filter (an INSERT of a DIGEST# item)', () => {
    expect(patternsOf('digest')).toEqual([{ eventName: ['INSERT'], dynamodb: { Keys: { sk: { S: [{ prefix: 'DIGEST#' }] } } } }]);
  });

  it('every filter fits AWS: at most 5 per mapping, each pattern at most 4,096 characters', () => {
    const mappings = resources.filter(([, r]) => r.Type === 'AWS::Lambda::EventSourceMapping' && r.Properties.FilterCriteria);
    expect(mappings.length).toBeGreaterThanOrEqual(3);
    for (const [id, r] of mappings) {
      const filters = r.Properties.FilterCriteria.Filters as { Pattern: string }[];
      expect(filters.length, id).toBeLessThanOrEqual(5);
      for (const f of filters) expect(f.Pattern.length, id).toBeLessThanOrEqual(4096);
    }
  });

  it('no index projects the marker', () => {
    const [, table] = resources.find(([, r]) => r.Type === 'AWS::DynamoDB::Table')!;
    const indexes = table.Properties.GlobalSecondaryIndexes as Json[];
    expect(indexes.length).toBeGreaterThan(0);
    for (const index of indexes) {
      expect(index.Projection.ProjectionType, index.IndexName).not.toBe('ALL');
      expect(index.Projection.NonKeyAttributes ?? [], index.IndexName).not.toContain(APPENDED_ATTRIBUTE);
      expect(index.KeySchema.map((k: Json) => k.AttributeName), index.IndexName).not.toContain(APPENDED_ATTRIBUTE);
    }
  });
});
