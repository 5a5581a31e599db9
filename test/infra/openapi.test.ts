import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { API_ROUTES, bodyLimitOf, DOCUMENT_BODY_LIMIT, JSON_BODY_LIMIT } from '../../lib/api-routes';
import { contractProblems } from '../support/openapi-contract';
import { newDossier } from '../../lambdas/domain/dossier';
import { dossierView } from '../../lambdas/domain/dossier-view';
import { dossierSummary } from '../../lambdas/domain/dossier-summary';
import { creditorProfileSchema } from '../../lambdas/http/creditor-profile-schema';
import { sampleContext, sampleDossier } from '../support/notice-samples';

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

  it('documents 413 (the route table\'s body limit) on exactly the routes that take a body', () => {
    for (const [p, ops] of Object.entries<any>(spec.paths)) {
      for (const [m, op] of Object.entries<any>(ops)) {
        const takesBody = m === 'post' || m === 'put';
        const what = `${m.toUpperCase()} ${p}`;
        if (takesBody) expect(op.responses['413'], what).toEqual({ $ref: '#/components/responses/PayloadTooLarge' });
        else expect(op.responses['413'], what).toBeUndefined();
      }
    }
    const limits = new Set(API_ROUTES.map((r) => bodyLimitOf(r)));
    expect([...limits].sort()).toEqual([JSON_BODY_LIMIT, DOCUMENT_BODY_LIMIT].sort());
    expect(spec.components.responses.PayloadTooLarge.description).toContain('1 MiB, or 6 MiB less 64 KiB');
  });

  it('turns recorded answers into problems when they depart from the document (the end-to-end tests\' checker)', () => {
    const ok = { method: 'GET', route: '/_local/clock', status: 200, body: JSON.stringify({ now: '2026-01-01T00:00:00.000Z' }) };
    expect(contractProblems(ok)).toEqual([]);
    expect(contractProblems({ ...ok, status: 418 })[0]).toMatch(/status not documented/);
    expect(contractProblems({ ...ok, body: JSON.stringify({ now: '2026-01-01T00:00:00.000Z', extra: 1 }) })[0]).toMatch(/must NOT have additional properties \(extra\)/);
    expect(contractProblems({ ...ok, body: JSON.stringify({}) })[0]).toMatch(/must have required property 'now'/);
    expect(contractProblems({ ...ok, route: '/nowhere' })[0]).toMatch(/route not documented/);
    const error = JSON.stringify({ error: { code: 'payload_too_large', message: 'm', details: [] } });
    expect(contractProblems({ method: 'POST', route: '/invoices', status: 413, body: error })).toEqual([]);
    expect(contractProblems({ method: 'GET', route: '/invoices', status: 413, body: error })[0]).toMatch(/status not documented/);
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
