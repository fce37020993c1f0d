/** The AWS (ALB/NLB in Terraform and CloudFormation) rules of issue 10. */
import type { AwsRule } from '../rule';
import { albIdleTimeout } from './alb-idle-timeout';
import { nlbIdleTimeout } from './nlb-idle-timeout';
import { wsDeregistrationDelay } from './ws-deregistration-delay';
import { wsNoSlowStart } from './ws-no-slow-start';
import { wsStickiness } from './ws-stickiness';

export const awsRules: AwsRule[] = [albIdleTimeout, nlbIdleTimeout, wsDeregistrationDelay, wsNoSlowStart, wsStickiness];
