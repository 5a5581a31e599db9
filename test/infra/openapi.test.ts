import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { API_ROUTES } from '../../lib/api-routes';
import { dossierView, newDossier } from '../../lambdas/domain/dossier';
import { dossierSummary } from '../../lambdas/domain/dossier-summary';
import { creditorProfileSchema } from '../../lambdas/http/creditor-profile-schema';
import { sampleContext, sampleDossier } from '../../lambdas/notices/samples';

const spec = parse(fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'openapi.yaml'), 'utf8'));

describe('docs/openapi.yaml stays true', () => {
  it('documents every API route (and only those) plus the local clock, SES events, digest and event log', () => {
    const documented = Object.entries<any>(spec.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
    const expected = [
      ...API_ROUTES.map((r) => `${r.method} ${r.path}`),
      'GET /_local/clock',
      'POST /_local/clock',
      'POST /_local/ses/events',
      'POST /_local/digest',
      'GET /_local/events',
    ];
    expect(documented.sort()).toEqual(expected.sort());
  });

  it('documents the access rules of each route: 401 everywhere, 403 on every write route, IAM (SigV4) or the local admin key on admin routes', () => {
    for (const r of API_ROUTES) {
      const op = spec.paths[r.path][r.method.toLowerCase()];
      const what = `${r.method} ${r.path}`;
      expect(Object.keys(op.responses), what).toContain('401');
      if (r.auth === 'admin') {
        expect(op.security, what).toEqual([{ sigv4: [] }, { adminKey: [] }]);
        expect(Object.keys(op.responses), what).toContain('403');
      } else {
        expect(op.security, what).toBeUndefined(); // the document's default: apiKey
        if (r.access === 'write') expect(op.responses['403'], what).toEqual({ $ref: '#/components/responses/Forbidden' });
        else expect(op.responses['403'], what).toBeUndefined();
      }
    }
    expect(spec.security).toEqual([{ apiKey: [] }]);
    expect(spec.components.securitySchemes.sigv4['x-amazon-apigateway-authtype']).toBe('awsSigv4');
  });

  it('describes the creditor profile field by field, as the profile schema validates it', () => {
    const schema = spec.components.schemas.CreditorProfile;
    const shape = creditorProfileSchema.shape as Record<string, { safeParse(v: unknown): { success: boolean } }>;
    expect(Object.keys(schema.properties).sort()).toEqual(Object.keys(shape).sort());
    const required = Object.keys(shape).filter((k) => !shape[k].safeParse(undefined).success);
    expect([...schema.required].sort()).toEqual(required.sort());
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

  it('lists exactly the fields of an invoice summary (GET /invoices)', () => {
    const summary = dossierSummary(
      newDossier({
        id: 'dos_aaaaaaaaaaaaaaaaaaaaaaaaaa',
        creditorId: 'c',
        executionName: 'x',
        now: new Date('2026-04-04T10:00:00Z'),
        invoice: { invoiceNumber: 'F1', issueDate: '2026-03-01', dueDate: '2026-04-03', amountCents: 100, currency: 'EUR' },
        debtor: { kind: 'business', name: 'D', email: 'd@example.com', language: 'fr', address: { line1: 'l', postalCode: '75001', city: 'Paris', country: 'FR' } },
      }),
    );
    const schema = spec.components.schemas.InvoiceSummary;
    expect([...schema.required].sort()).toEqual(Object.keys(summary).sort());
    expect(Object.keys(schema.properties).sort()).toEqual(Object.keys(summary).sort());
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
