/**
 * Classifies a principal value as written in a key policy's `Principal`/`NotPrincipal` block:
 * which kind of principal it names and its parts, or why it is malformed. Existence is a separate
 * question (see `directory.ts`).
 *
 * Grammar facts (contract notes §8.2, IAM-web): the `AWS` block takes `"*"`, a 12-digit account id,
 * `arn:<partition>:iam::<account>:root`, user and role ARNs (with optional path), and STS
 * assumed-role and federated-user session ARNs. "IAM user groups are not a valid principal in any
 * policy type." Wildcards inside principal ARNs are not allowed (decision 0103).
 */

import type { KnownPrincipal } from '../types.ts';

/** The principal block a value is written in. */
export type PrincipalBlockName = 'AWS' | 'Service' | 'Federated' | 'CanonicalUser';

/** The principal block names, in the order the checker reports them. */
export const PRINCIPAL_BLOCK_NAMES: readonly PrincipalBlockName[] = ['AWS', 'Service', 'Federated', 'CanonicalUser'];

/** Why a principal value is malformed. */
export type MalformedReason =
  | 'empty'
  | 'not-an-arn'
  | 'bad-partition'
  | 'bad-account'
  | 'not-an-iam-principal'
  | 'group'
  | 'wildcard-in-arn'
  | 'bad-resource'
  | 'bad-service'
  | 'bad-canonical-user'
  | 'bad-federated';

/** What {@link classifyPrincipal} answers. A union keyed by `kind`. */
export type PrincipalClass =
  | { readonly kind: 'everyone' }
  | { readonly kind: 'account'; readonly accountId: string; readonly partition?: string; readonly form: 'id' | 'arn' }
  | {
      readonly kind: 'user' | 'role';
      readonly partition: string;
      readonly accountId: string;
      readonly path: string;
      readonly name: string;
      readonly arn: string;
    }
  | {
      readonly kind: 'assumed-role';
      readonly partition: string;
      readonly accountId: string;
      readonly roleName: string;
      readonly sessionName: string;
      readonly arn: string;
    }
  | { readonly kind: 'federated-user'; readonly partition: string; readonly accountId: string; readonly name: string; readonly arn: string }
  | { readonly kind: 'service'; readonly name: string }
  | { readonly kind: 'federated'; readonly provider: string; readonly accountId?: string }
  | { readonly kind: 'canonical-user'; readonly id: string }
  | { readonly kind: 'malformed'; readonly reason: MalformedReason; readonly detail: string };

/** The directory kind to look a classified principal up under, or `undefined` when none applies. */
export function directoryKind(classified: PrincipalClass): KnownPrincipal['kind'] | undefined {
  switch (classified.kind) {
    case 'everyone':
    case 'malformed':
      return undefined;
    case 'account':
    case 'user':
    case 'role':
    case 'assumed-role':
    case 'service':
    case 'federated':
    case 'canonical-user':
      return classified.kind;
    case 'federated-user':
      return 'user';
  }
}

const ACCOUNT = /^\d{12}$/;
const PARTITION = /^aws(-[a-z]+)*$/;
/**
 * IAM user/role names: `[\w+=,.@-]`, 1..128 characters. IAM itself stops at 64; a longer name is
 * well-formed here, and then unknown to the directory (nonexistent), not malformed.
 */
const IAM_NAME = /^[\w+=,.@-]{1,128}$/;
/** IAM paths: `/` or `/seg/…/`. */
const IAM_PATH = /^\/([\x21-\x7e]+\/)?$/;
/** Service principals: `<name>.amazonaws.com`, `<name>.<region>.amazonaws.com`, China `.amazonaws.com.cn`. */
const SERVICE = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\.amazonaws\.com(\.cn)?$/;
/** Amazon S3 canonical user ids are 64 lowercase hex digits. */
const CANONICAL = /^[0-9a-f]{64}$/;
/** Web identity providers IAM documents for `Federated`. */
const WEB_IDENTITY = new Set(['cognito-identity.amazonaws.com', 'www.amazon.com', 'graph.facebook.com', 'accounts.google.com']);

const malformed = (reason: MalformedReason, detail: string): PrincipalClass => ({ kind: 'malformed', reason, detail });

interface Arn {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly account: string;
  readonly resource: string;
}

function splitArn(value: string): Arn | undefined {
  if (!value.startsWith('arn:')) return undefined;
  const parts = value.split(':');
  if (parts.length < 6) return undefined;
  const [, partition = '', service = '', region = '', account = ''] = parts;
  return { partition, service, region, account, resource: parts.slice(5).join(':') };
}

function classifyAwsArn(value: string): PrincipalClass {
  const arn = splitArn(value);
  if (arn === undefined) {
    return malformed('not-an-arn', `'${value}' is neither "*", a 12-digit account id nor an ARN of the form arn:<partition>:<service>:<region>:<account>:<resource>`);
  }
  if (/[*?]/.test(value)) {
    return malformed('wildcard-in-arn', `'${value}' contains a wildcard; IAM allows "*" only as the whole principal, not inside an ARN`);
  }
  if (!PARTITION.test(arn.partition)) return malformed('bad-partition', `'${arn.partition}' in '${value}' is not an AWS partition (aws, aws-cn, aws-us-gov, …)`);
  if (arn.service !== 'iam' && arn.service !== 'sts') {
    return malformed('not-an-iam-principal', `'${value}' is a ${arn.service === '' ? 'service-less' : arn.service} ARN, not an IAM or STS principal`);
  }
  if (!ACCOUNT.test(arn.account)) return malformed('bad-account', `account '${arn.account}' in '${value}' is not a 12-digit AWS account id`);
  if (arn.region !== '') return malformed('bad-resource', `'${value}' has region '${arn.region}'; IAM and STS principal ARNs have an empty region`);
  const { partition, account: accountId, resource } = arn;
  if (arn.service === 'iam') {
    if (resource === 'root') return { kind: 'account', accountId, partition, form: 'arn' };
    const slash = resource.indexOf('/');
    const type = slash < 0 ? resource : resource.slice(0, slash);
    if (type === 'group') return malformed('group', `'${value}' is an IAM group; IAM user groups are not a valid principal in any policy type`);
    if (type === 'user' || type === 'role') {
      const rest = resource.slice(slash + 1);
      const lastSlash = rest.lastIndexOf('/');
      const path = lastSlash < 0 ? '/' : `/${rest.slice(0, lastSlash + 1)}`;
      const name = rest.slice(lastSlash + 1);
      if (!IAM_NAME.test(name) || !IAM_PATH.test(path)) {
        return malformed('bad-resource', `'${value}' has an invalid ${type} name or path; names use letters, digits and +=,.@_-`);
      }
      return { kind: type, partition, accountId, path, name, arn: value };
    }
    if (type === 'saml-provider' || type === 'oidc-provider') {
      return malformed('bad-resource', `'${value}' is an identity provider; write it in the Federated block, not AWS`);
    }
    return malformed('bad-resource', `'${value}' names IAM resource type '${type}'; principals are root, user/… and role/…`);
  }
  const segs = resource.split('/');
  if (segs[0] === 'assumed-role' && segs.length === 3 && IAM_NAME.test(segs[1] ?? '') && /^[\w+=,.@-]{2,64}$/.test(segs[2] ?? '')) {
    return { kind: 'assumed-role', partition, accountId, roleName: segs[1] ?? '', sessionName: segs[2] ?? '', arn: value };
  }
  if (segs[0] === 'federated-user' && segs.length === 2 && /^[\w+=,.@-]{2,32}$/.test(segs[1] ?? '')) {
    return { kind: 'federated-user', partition, accountId, name: segs[1] ?? '', arn: value };
  }
  return malformed('bad-resource', `'${value}' is not an STS session principal (assumed-role/<role>/<session> or federated-user/<name>)`);
}

/**
 * Classifies one principal value written in `block` (default `AWS`).
 *
 * @example
 * classifyPrincipal('arn:aws:iam::111122223333:role/Admin') // { kind: 'role', name: 'Admin', … }
 * classifyPrincipal('arn:aws:iam::12:user/x').kind // 'malformed' (bad-account)
 * classifyPrincipal('cloudtrail.amazonaws.com', 'Service').kind // 'service'
 */
export function classifyPrincipal(value: string, block: PrincipalBlockName = 'AWS'): PrincipalClass {
  if (value.length > CLASSIFIED_MAX_LENGTH) return classify(value, block);
  const known = CLASSIFIED[block];
  let c = known.get(value);
  if (c === undefined) {
    c = classify(value, block);
    if (known.size >= CLASSIFIED_KEPT) known.clear();
    known.set(value, c);
  }
  return c;
}

/**
 * Classifications already made, per block: a policy names the same few principals in many
 * statements, the lockout check classifies them again, and every policy of a key names its
 * administrators. Keyed on the exact value (the answer is a function of value and block alone);
 * emptied when full; values longer than {@link CLASSIFIED_MAX_LENGTH} are not kept.
 */
const CLASSIFIED: Readonly<Record<PrincipalBlockName, Map<string, PrincipalClass>>> = { AWS: new Map(), Service: new Map(), Federated: new Map(), CanonicalUser: new Map() };
const CLASSIFIED_KEPT = 4096;
const CLASSIFIED_MAX_LENGTH = 512;

function classify(value: string, block: PrincipalBlockName): PrincipalClass {
  if (value === '') return malformed('empty', `an empty string is not a principal`);
  switch (block) {
    case 'AWS':
      if (value === '*') return { kind: 'everyone' };
      if (ACCOUNT.test(value)) return { kind: 'account', accountId: value, form: 'id' };
      return classifyAwsArn(value);
    case 'Service':
      return SERVICE.test(value)
        ? { kind: 'service', name: value }
        : malformed('bad-service', `'${value}' is not a service principal; service principals look like cloudtrail.amazonaws.com`);
    case 'Federated': {
      if (WEB_IDENTITY.has(value)) return { kind: 'federated', provider: value };
      const arn = splitArn(value);
      if (
        arn !== undefined &&
        !/[*?]/.test(value) &&
        PARTITION.test(arn.partition) &&
        arn.service === 'iam' &&
        arn.region === '' &&
        ACCOUNT.test(arn.account) &&
        /^(saml-provider\/[\w.-]{1,128}|oidc-provider\/[\x21-\x7e]{1,1000})$/.test(arn.resource)
      ) {
        return { kind: 'federated', provider: value, accountId: arn.account };
      }
      return malformed('bad-federated', `'${value}' is neither a web identity provider (e.g. cognito-identity.amazonaws.com) nor a saml-provider/oidc-provider ARN`);
    }
    case 'CanonicalUser':
      return CANONICAL.test(value)
        ? { kind: 'canonical-user', id: value }
        : malformed('bad-canonical-user', `'${value}' is not a canonical user id (64 lowercase hex digits)`);
  }
}
