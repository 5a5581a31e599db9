import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { API_ROUTES } from '../../lib/api-routes';
import { dossierView, newDossier } from '../../lambdas/domain/dossier';
import { sampleContext, sampleDossier } from '../../lambdas/notices/samples';

const spec = parse(fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'openapi.yaml'), 'utf8'));

describe('docs/openapi.yaml stays true', () => {
  it('documents every API route (and only those) plus the local clock, SES events and event log', () => {
    const documented = Object.entries<any>(spec.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
    const expected = [
      ...API_ROUTES.map((r) => `${r.method} ${r.path}`),
      'GET /_local/clock',
      'POST /_local/clock',
      'POST /_local/ses/events',
      'GET /_local/events',
    ];
    expect(documented.sort()).toEqual(expected.sort());
  });

  it('lists exactly the fields the dossier view returns as required', () => {
    const view = dossierView(
      newDossier({
        id: 'dos_aaaaaaaaaaaaaaaaaaaaaaaaaa',
        creditorId: 'c',
        executionName: 'x',
        now: new Date('2026-04-04T10:00:00Z'),
        invoice: { invoiceNumber: 'F1', issueDate: '2026-03-01', dueDate: '2026-04-03', amountCents: 100, currency: 'EUR' },
        debtor: {
          kind: 'business',
          name: 'D',
          email: 'd@example.com',
          language: 'fr',
          address: { line1: 'l', postalCode: '75001', city: 'Paris', country: 'FR' },
        },
      }),
      new Date('2026-04-04T10:00:00Z'),
    );
    const schema = spec.components.schemas.Dossier;
    for (const key of schema.required) expect(view, key).toHaveProperty(key);
    for (const key of Object.keys(view)) expect(schema.properties, key).toHaveProperty(key);
  });

  it('lists exactly the fields the litigation dossier returns as required', () => {
    const view = { ...sampleContext(sampleDossier('b2b'), 'litigation_handoff').litigation!.dossier, stored: [] };
    const schema = spec.components.schemas.LitigationDossier;
    expect([...schema.required].sort()).toEqual(Object.keys(view).sort());
    for (const key of Object.keys(view)) expect(schema.properties, key).toHaveProperty(key);
    for (const part of ['claim', 'interestRunning', 'prescription', 'route', 'priorAttempt'] as const) {
      expect([...schema.properties[part].required].sort(), part).toEqual(Object.keys(view[part]).sort());
    }
  });

  it('describes the error format of the contract', () => {
    const err = spec.components.schemas.Error.properties.error;
    expect(err.required).toEqual(['code', 'message', 'details']);
    expect(err.properties.details.items.required).toEqual(['path', 'message']);
  });
});
