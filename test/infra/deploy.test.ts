import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { describe, expect, it } from 'vitest';
import { ApiRoute } from '../../lib/api-routes';
import { appContext } from '../../lib/app';
import { IntakeApi, methodAuthorization } from '../../lib/intake-api';
import { buildTestApp, PROD } from './synth';

/** What a production deployment gives the operator: outputs, the SES identity and its DNS records, admin routes. */
const DOMAIN = PROD['amiable:senderDomain'];

function ofType(t: any, type: string): [string, any][] {
  return Object.entries<any>(t.Resources).filter(([, r]) => r.Type === type);
}

describe('stack outputs', () => {
  const t = Template.fromStack(buildTestApp(PROD).stack).toJSON();

  it('names the API, the admin endpoint, the table, the evidence bucket and the auditor role', () => {
    const [[apiId]] = ofType(t, 'AWS::ApiGateway::RestApi');
    const [[tableId]] = ofType(t, 'AWS::DynamoDB::Table');
    const vaultId = ofType(t, 'AWS::S3::Bucket').find(([, b]) => b.Properties.ObjectLockEnabled)![0];
    expect(JSON.stringify(t.Outputs.ApiUrl.Value)).toContain(apiId);
    // The admin endpoint is the API base URL + "admin" (ApiUrl ends with "/").
    const api = t.Outputs.ApiUrl.Value['Fn::Join'][1];
    const admin = t.Outputs.AdminEndpoint.Value['Fn::Join'][1];
    expect(api.at(-1)).toBe('/');
    expect(admin.slice(0, -1)).toEqual(api.slice(0, -1));
    expect(admin.at(-1)).toBe('/admin');
    expect(t.Outputs.TableName.Value).toEqual({ Ref: tableId });
    expect(t.Outputs.EvidenceBucketName.Value).toEqual({ Ref: vaultId });
    expect(t.Outputs.AuditorRoleArn).toBeDefined();
    // One URL output, not RestApi's own "Endpoint" beside ApiUrl.
    expect(Object.keys(t.Outputs).filter((k) => /Endpoint/.test(k))).toEqual(['AdminEndpoint']);
  });

  it('creates the sender identity (Easy DKIM, MAIL FROM mail.<domain>, the configuration set) and outputs its DNS records', () => {
    const identities = ofType(t, 'AWS::SES::EmailIdentity');
    expect(identities).toHaveLength(1);
    const [[identityId, identity]] = identities;
    const [[configSetId]] = ofType(t, 'AWS::SES::ConfigurationSet');
    expect(identity.Properties).toEqual({
      EmailIdentity: DOMAIN,
      DkimAttributes: { SigningEnabled: true },
      MailFromAttributes: { MailFromDomain: `mail.${DOMAIN}` },
      ConfigurationSetAttributes: { ConfigurationSetName: { Ref: configSetId } },
    });
    for (const n of [1, 2, 3]) {
      expect(t.Outputs[`DkimRecord${n}`].Value).toEqual({
        'Fn::Join': ['', [{ 'Fn::GetAtt': [identityId, `DkimDNSTokenName${n}`] }, ' CNAME ', { 'Fn::GetAtt': [identityId, `DkimDNSTokenValue${n}`] }]],
      });
    }
    const region = process.env.CDK_DEFAULT_REGION ?? 'eu-west-3';
    expect(t.Outputs.MailFromMxRecord.Value).toBe(`mail.${DOMAIN} MX 10 feedback-smtp.${region}.amazonses.com`);
    expect(t.Outputs.MailFromSpfRecord.Value).toBe(`mail.${DOMAIN} TXT "v=spf1 include:amazonses.com ~all"`);
    // Message-IDs carry the sender domain.
    for (const [, fn] of ofType(t, 'AWS::Lambda::Function').filter(([, f]) => f.Metadata?.['amiable:handler'])) {
      expect(fn.Properties.Environment.Variables.MAIL_DOMAIN).toBe(DOMAIN);
    }
  });

  it('a test stack without a sender domain has no identity and no DNS outputs', () => {
    const test = Template.fromStack(buildTestApp().stack).toJSON();
    expect(ofType(test, 'AWS::SES::EmailIdentity')).toEqual([]);
    expect(Object.keys(test.Outputs).sort()).toEqual(['AdminEndpoint', 'AlarmTopicArn', 'ApiUrl', 'AuditorRoleArn', 'EvidenceBucketName', 'TableName']);
  });
});

describe('admin routes', () => {
  const authorizer = { authorizerId: 'a' } as apigw.IAuthorizer;

  it("auth: 'admin' maps to AWS IAM (SigV4) with no Lambda authorizer; other routes keep the key authorizer", () => {
    expect(methodAuthorization({ method: 'PUT', path: '/admin/creditors/{creditorId}', handler: 'get-invoice', access: 'write', auth: 'admin' }, authorizer)).toEqual({
      authorizationType: apigw.AuthorizationType.IAM,
    });
    expect(methodAuthorization({ method: 'GET', path: '/invoices/{id}', handler: 'get-invoice', access: 'read' }, authorizer)).toEqual({
      authorizer,
      authorizationType: apigw.AuthorizationType.CUSTOM,
    });
  });

  it('synthesizes an admin route as an AWS_IAM method beside CUSTOM creditor methods', () => {
    const stack = new Stack(new App({ context: appContext({ 'aws:cdk:bundling-stacks': [] }) }), 'AdminProbe');
    const routes: ApiRoute[] = [
      { method: 'GET', path: '/invoices/{id}', handler: 'get-invoice', access: 'read' },
      { method: 'DELETE', path: '/admin/keys/{keyId}', handler: 'get-invoice', access: 'write', auth: 'admin' },
    ];
    new IntakeApi(stack, 'Intake', { environment: {}, routes, grant: () => undefined, authorizerGrant: () => undefined });
    const t = Template.fromStack(stack).toJSON();
    const methods = ofType(t, 'AWS::ApiGateway::Method').map(([, m]) => m.Properties);
    const admin = methods.find((m) => m.HttpMethod === 'DELETE');
    const creditor = methods.find((m) => m.HttpMethod === 'GET');
    expect(admin.AuthorizationType).toBe('AWS_IAM');
    expect(admin.AuthorizerId).toBeUndefined();
    expect(creditor.AuthorizationType).toBe('CUSTOM');
    expect(creditor.AuthorizerId).toBeDefined();
    expect(ofType(t, 'AWS::ApiGateway::UsagePlan')).toEqual([]);
  });
});
