import { describe, expect, it } from 'vitest';
import { buildTestApp } from './synth';
import { Template } from 'aws-cdk-lib/assertions';

const functions = (context: Record<string, unknown>) =>
  Object.values<any>(Template.fromStack(buildTestApp(context, {}, { nag: false }).stack).findResources('AWS::Lambda::Function'));

describe('amiable:sourceMaps (lib/handler-function.ts, DEPLOY.md)', () => {
  it('is off by default: no function starts with --enable-source-maps', () => {
    const fns = functions({});
    expect(fns.length).toBeGreaterThan(10);
    for (const f of fns) expect(f.Properties.Environment.Variables.NODE_OPTIONS).toBeUndefined();
  });

  it('-c amiable:sourceMaps=true starts every function with --enable-source-maps', () => {
    for (const f of functions({ 'amiable:sourceMaps': 'true' })) expect(f.Properties.Environment.Variables.NODE_OPTIONS).toBe('--enable-source-maps');
  });

  it('refuses anything but true or false', () => {
    expect(() => functions({ 'amiable:sourceMaps': 'yes' })).toThrow(/amiable:sourceMaps must be true or false/);
  });
});
