import { SENT_MESSAGE as MESSAGE } from '../support/sent-message';
import { describe, expect, it } from 'vitest';
import { parseSesEvent } from '../../lambdas/domain/dossier-delivery';
import { emailTags, sesTagValue } from '../../lambdas/adapters/mailer';
import { buildTestApp } from './synth';
import { buildSesEvent, parseLocalSesEvent } from '../../local/ses-events';
import { resolveSystem } from '../../local/template';

/** SES tags on every message, the EventBridge rule, and the local stand-in for SES events. */
const NOW = new Date('2026-04-08T12:05:00Z');

describe('SES tags', () => {
  it('keep to the characters and length SES accepts', () => {
    expect(sesTagValue('dos_abc-123')).toBe('dos_abc-123');
    expect(sesTagValue('demo creditor/é.fr')).toBe('demo_creditor___fr');
    expect(sesTagValue('x'.repeat(300))).toHaveLength(256);
    expect(sesTagValue('')).toBe('_');
    expect(emailTags({ dossierId: 'dos_a', creditorId: 'demo-creditor', kind: 'first_reminder', audience: 'debtor' })).toEqual([
      { Name: 'amiable_dossier', Value: 'dos_a' },
      { Name: 'amiable_creditor', Value: 'demo-creditor' },
      { Name: 'amiable_kind', Value: 'first_reminder' },
      { Name: 'amiable_audience', Value: 'debtor' },
    ]);
  });
});

/** EventBridge content filtering for the pattern features the rule uses (exact values, nesting). */
function matches(pattern: any, event: any): boolean {
  return Object.entries(pattern).every(([k, p]) => {
    const v = event?.[k];
    if (Array.isArray(p)) return (Array.isArray(v) ? v : [v]).some((x) => p.includes(x));
    return matches(p, v);
  });
}

describe('the local SES event stand-in', () => {
  const synthesized = resolveSystem(synthTemplate());
  const rule: any = Object.values(synthesized.template.Resources).find((r: any) => r.Type === 'AWS::Events::Rule' && r.Properties.EventPattern.source?.includes('aws.ses'));
  const configSet = Object.keys(synthesized.template.Resources).find((id) => synthesized.template.Resources[id].Type === 'AWS::SES::ConfigurationSet')!;
  // Locally a configuration set's name is its logical id (local/template.ts).
  const pattern = JSON.parse(JSON.stringify(rule.Properties.EventPattern).replace(JSON.stringify({ Ref: configSet }), JSON.stringify(configSet)));

  it('builds events the synthesized rule matches and the handler reads back', () => {
    for (const type of ['Bounce', 'Complaint', 'Delivery', 'Reject', 'DeliveryDelay'] as const) {
      const event = buildSesEvent(parseLocalSesEvent({ messageId: MESSAGE.messageId, type }), MESSAGE, configSet, NOW);
      expect(matches(pattern, event), type).toBe(true);
      const parsed = parseSesEvent(event)!;
      expect(parsed.type).toBe(type);
      expect(parsed.facts).toHaveLength(1);
      expect(parsed.facts[0].recipient).toBe('compta@dupont.example');
      expect(event.detail.mail.tags.amiable_dossier).toEqual([MESSAGE.dossierId]);
    }
    // Another configuration set's events are not ours.
    const foreign = buildSesEvent({ messageId: 'm', type: 'Bounce' }, MESSAGE, 'SomeoneElses', NOW);
    expect(matches(pattern, foreign)).toBe(false);
  });
});

function synthTemplate() {
  const { app, stack } = buildTestApp();
  return app.synth().getStackByName(stack.stackName).template;
}
