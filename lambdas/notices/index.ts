/** The notices module: templates, PDF letter, checker and MIME composition (pure TS, no AWS). */
export { NOTICE_KINDS } from './types';
export type {
  Instalment,
  NoticeAttachment,
  NoticeContext,
  NoticeKind,
  NoticeRecipient,
  PaymentNotice,
  PromiseNotice,
  RenderedNotice,
} from './types';
export { renderNotice } from './render';
export {
  assertSendable,
  checkAgencyFirstLetter,
  checkFormalNotice,
  checkNotice,
  NoticeNotSendableError,
  type CheckResult,
} from './checker';
export { NoticeInputError, validateNoticeContext } from './validate';
export {
  assertEmailAddress,
  composeMime,
  isValidEmailAddress,
  messageIdFor,
  MimeInputError,
  type ComposeMimeInput,
  type MailAddress,
} from './mime';
export { noticeKey, noticeMimeInput } from './envelope';
export { formalNoticeFilename, letterReference } from './templates';
export { escapeHtml, singleLine } from './escape';
export { formatDate } from './format';
