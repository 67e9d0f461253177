/**
 * The key policy KMS attaches when CreateKey gets no Policy, exactly as GetKeyPolicy returns it
 * (contract notes §8.7: M1 GetKeyPolicy example, DEB examples-1.json, LS ReplicaPolicy recording).
 */

/**
 * The default key policy text for an account: Jackson-style formatting (`" : "`, `[ {`,
 * two-space indent), `"Sid" : "Enable IAM User Permissions"`, no trailing newline.
 *
 * @param accountId - 12-digit account that owns the key.
 * @param partition - ARN partition. @defaultValue `'aws'`
 */
export function DEFAULT_KEY_POLICY(accountId: string, partition = 'aws'): string {
  return [
    '{',
    '  "Version" : "2012-10-17",',
    '  "Id" : "key-default-1",',
    '  "Statement" : [ {',
    '    "Sid" : "Enable IAM User Permissions",',
    '    "Effect" : "Allow",',
    '    "Principal" : {',
    `      "AWS" : "arn:${partition}:iam::${accountId}:root"`,
    '    },',
    '    "Action" : "kms:*",',
    '    "Resource" : "*"',
    '  } ]',
    '}',
  ].join('\n');
}
