/**
 * The AWS (Terraform/CloudFormation) checks. Register a new code by adding one entry (kept in
 * alphabetical order); a finding's code is `aws/<name>`.
 */
import type { CheckDef } from './check';

export const AWS_CHECKS = [
  {
    id: 'aws/syntax',
    severity: 'error',
    short: 'the Terraform (HCL) or CloudFormation (YAML/JSON) text cannot be parsed',
    references: [
      'https://developer.hashicorp.com/terraform/language/syntax/configuration',
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-formats.html',
    ],
  },
] as const satisfies readonly CheckDef[];
