import { CfnOutput, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as ses from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';
import { acknowledgeGrantWildcards } from './nag';
import { EVENT_SOURCE } from '../lambdas/domain/dossier-events';

export interface MailerProps {
  /**
   * The domain notices are sent from. When set, the stack creates its SES identity (Easy DKIM,
   * custom MAIL FROM mail.<domain>) and sending is allowed from that identity only.
   */
  senderDomain?: string;
}

/** Subdomain of the sender domain used as MAIL FROM (bounces land there, SPF aligns on it). */
export const MAIL_FROM_SUBDOMAIN = 'mail';

/**
 * SES v2: the configuration set whose delivery events (send, delivery, bounce, complaint, reject,
 * delay) go to EventBridge — the default bus is the only one SES can target (aws-facts.md, SES v2)
 * — and, when a sender domain is configured, its verified identity with the DNS records to publish.
 */
export class Mailer extends Construct {
  readonly configurationSet: ses.ConfigurationSet;
  readonly defaultBus: events.IEventBus;
  readonly senderIdentity?: ses.EmailIdentity;
  readonly senderDomain?: string;

  constructor(scope: Construct, id: string, props: MailerProps = {}) {
    super(scope, id);
    this.senderDomain = props.senderDomain;
    this.configurationSet = new ses.ConfigurationSet(this, 'ConfigurationSet', {
      sendingEnabled: true,
      reputationMetrics: true,
      suppressionReasons: ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    this.defaultBus = events.EventBus.fromEventBusName(this, 'DefaultBus', 'default');
    this.configurationSet.addEventDestination('ToEventBridge', {
      destination: ses.EventDestination.eventBus(this.defaultBus),
      events: [
        ses.EmailSendingEvent.SEND,
        ses.EmailSendingEvent.DELIVERY,
        ses.EmailSendingEvent.BOUNCE,
        ses.EmailSendingEvent.COMPLAINT,
        ses.EmailSendingEvent.REJECT,
        ses.EmailSendingEvent.DELIVERY_DELAY,
      ],
    });

    if (props.senderDomain) {
      const domain = props.senderDomain;
      const mailFrom = `${MAIL_FROM_SUBDOMAIN}.${domain}`;
      this.senderIdentity = new ses.EmailIdentity(this, 'SenderIdentity', {
        identity: ses.Identity.domain(domain),
        // Easy DKIM (2048-bit, keys rotated by SES): three CNAMEs to publish.
        dkimSigning: true,
        // SPF aligns on the MAIL FROM domain, so DMARC passes on both DKIM and SPF.
        mailFromDomain: mailFrom,
        // Every message from this identity reports its events, even if a sender forgot the set.
        configurationSet: this.configurationSet,
      });
      // The records to publish in the domain's DNS zone (DEPLOY.md, DNS records).
      const region = Stack.of(this).region;
      this.senderIdentity.dkimRecords.forEach((record, i) => {
        new CfnOutput(scope, `DkimRecord${i + 1}`, {
          description: `DKIM: publish this CNAME in the ${domain} zone (name CNAME value)`,
          value: `${record.name} CNAME ${record.value}`,
        });
      });
      new CfnOutput(scope, 'MailFromMxRecord', {
        description: `Custom MAIL FROM: publish this MX record (name MX priority value)`,
        value: `${mailFrom} MX 10 feedback-smtp.${region}.amazonses.com`,
      });
      new CfnOutput(scope, 'MailFromSpfRecord', {
        description: `Custom MAIL FROM: publish this SPF TXT record (name TXT value)`,
        value: `${mailFrom} TXT "v=spf1 include:amazonses.com ~all"`,
      });
    }
  }

  /**
   * Sending through this stack's configuration set. With a sender domain: from that identity only
   * (identity/<domain>; SES authorizes a From address of the domain, or of a subdomain, against it).
   * Without one (test and local stages): any identity of the account and Region, with the reason.
   */
  grantSend(grantee: iam.IGrantable): iam.Grant {
    const stack = Stack.of(this);
    const identityArn = stack.formatArn({
      service: 'ses',
      resource: 'identity',
      resourceName: this.senderDomain ?? '*',
    });
    const configurationSetArn = stack.formatArn({
      service: 'ses',
      resource: 'configuration-set',
      resourceName: this.configurationSet.configurationSetName,
    });
    const grant = iam.Grant.addToPrincipal({
      grantee,
      // SES v2 SendEmail checks ses:SendRawEmail for raw content (what Amiable sends) and
      // ses:SendEmail for simple content.
      actions: ['ses:SendEmail', 'ses:SendRawEmail'],
      resourceArns: [identityArn, configurationSetArn],
    });
    if (!this.senderDomain) {
      acknowledgeGrantWildcards(
        grantee,
        grant,
        'No amiable:senderDomain configured (test and local stages only: prod requires one): the sender is each creditor profile\'s address, verified in SES by hand, so the identity is not known at deploy time (identity/*); sending is still bound to this stack\'s configuration set.',
      );
    }
    return grant;
  }

  /**
   * events:PutEvents on the account's default bus (the one this mailer's SES events go to), for
   * Amiable's own events only (source "amiable", docs/events.md): IAM checks the events:source
   * condition key on each entry.
   */
  grantPublish(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['events:PutEvents'],
      resourceArns: [this.defaultBus.eventBusArn],
      conditions: { StringEquals: { 'events:source': EVENT_SOURCE } },
    });
  }
}
