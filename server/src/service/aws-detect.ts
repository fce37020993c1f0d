/**
 * Does a file declare AWS load balancers (Terraform `aws_lb*` / CloudFormation
 * `AWS::ElasticLoadBalancingV2::*` resources)? A dependency-free copy of model/aws-build.ts's
 * `awsFormatOf`, for the VS Code client: importing aws-build would bundle the Terraform and YAML
 * parsers (≈450 KB) into the extension just to run two regular expressions. test/client/logic.test.ts
 * checks that both give the same answers and use the same expressions.
 */
export const TF_RESOURCE_RE =
  /\bresource\s+"?(aws_lb|aws_alb)(_target_group|_listener|_listener_rule)?"?\s+"?[A-Za-z_][\w-]*"?\s*\{/;
export const CFN_RESOURCE_RE = /AWS::ElasticLoadBalancingV2::(LoadBalancer|TargetGroup|Listener|ListenerRule)\b/;

export function declaresAwsLoadBalancer(path: string, text: string): boolean {
  const lower = path.toLowerCase();
  if (lower.endsWith('.tf')) return TF_RESOURCE_RE.test(text);
  if (/\.(ya?ml|json|template)$/.test(lower)) return CFN_RESOURCE_RE.test(text);
  return false;
}
