/**
 * Does a file declare AWS load balancers (Terraform `aws_lb*` / CloudFormation
 * `AWS::ElasticLoadBalancingV2::*` resources)? The expressions live here, free of dependencies,
 * for the VS Code client (importing model/aws-build.ts would bundle the Terraform and YAML parsers,
 * ≈450 KB, just to run two regular expressions); aws-build's `awsFormatOf` uses them too.
 * test/client/logic.test.ts checks that both give the same answers.
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
