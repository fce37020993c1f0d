/**
 * The AWS facts wslb uses, in one table: for each ELBv2 attribute, its Terraform and CloudFormation
 * spellings, AWS's default, the allowed range, what it means for WebSockets (our words), the AWS
 * documentation page and the source-material section. It is the only place these facts are written:
 * hover (docs/aws-hover.ts), the model's defaults (model/aws-build.ts), the rules' messages,
 * references and fix bounds (rules/aws/) and the simulator's defaults (simulate/engine.ts,
 * features/aws-pools.ts) all read it.
 *
 * The facts come from the AWS documentation pages linked in `doc` (checked on AWS_DOCS_CHECKED);
 * no AWS account was used to test them. Where a page does not settle a behaviour, `note` says so.
 */
import type { AwsAttributeId } from '../model/aws';
import type { SourceSection } from '../docs/sections';

/** The date the AWS pages below were read. Rules use it as their "versions" text. */
export const AWS_DOCS_CHECKED = '2026-11-25';

const ALB_TG = 'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/edit-target-group-attributes.html';
const ALB_LB = 'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/edit-load-balancer-attributes.html';
const ALB_HC = 'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html';
const NLB_IDLE = 'https://docs.aws.amazon.com/elasticloadbalancing/latest/network/update-idle-timeout.html';
const NLB_TG = 'https://docs.aws.amazon.com/elasticloadbalancing/latest/network/edit-target-group-attributes.html';

/**
 * AWS documentation pages, by topic (also cited by the rules' references, the simulator's comments
 * and the README). The attribute sections live on the "Edit ... attributes" pages (the older
 * application-load-balancers.html, load-balancer-target-groups.html and sticky-sessions.html
 * anchors moved there).
 */
export const AWS_DOC_PAGES = {
  albIdleTimeout: `${ALB_LB}#connection-idle-timeout`,
  nlbIdleTimeout: NLB_IDLE,
  nlbOverview: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/network/network-load-balancers.html',
  deregistrationDelay: `${ALB_TG}#deregistration-delay`,
  nlbDeregistration: `${NLB_TG}#deregistration-delay`,
  routingAlgorithm: `${ALB_TG}#modify-routing-algorithm`,
  slowStart: `${ALB_TG}#slow-start-mode`,
  stickiness: `${ALB_TG}#sticky-sessions`,
  healthChecks: ALB_HC,
  loadBalancerType:
    'https://docs.aws.amazon.com/elasticloadbalancing/latest/userguide/how-elastic-load-balancing-works.html',
  listenerRules:
    'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html#path-conditions',
  createTargetGroup: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html',
  tfLb: 'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/lb',
  tfTargetGroup: 'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/lb_target_group',
  tfListener: 'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/lb_listener',
  cfnLb:
    'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-elasticloadbalancingv2-loadbalancer-loadbalancerattribute.html',
  cfnTargetGroup:
    'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-elasticloadbalancingv2-targetgroup-targetgroupattribute.html',
  cfnListener:
    'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-elasticloadbalancingv2-listener-listenerattribute.html',
} as const;

export interface AwsAttributeFact {
  id: AwsAttributeId;
  /** Short title for hovers, e.g. "Connection idle timeout". */
  title: string;
  /**
   * Terraform argument (inside its block for nested ones: `stickiness.enabled` → block `stickiness`, key `enabled`).
   * `blockDefault`: the value the Terraform provider gives the argument when its block is written
   * without it (it can differ from AWS's default for an absent block).
   */
  terraform?: { resource: string[]; key: string; block?: string; blockDefault?: number | string | boolean };
  /** CloudFormation: an attribute-list Key (`LoadBalancerAttributes` ...) or a plain property. */
  cloudformation?: { resource: string; attributeKey?: string; property?: string };
  /** AWS's default (seconds for durations), or undefined when there is none. */
  default?: number | string | boolean;
  /** Text of the default when it needs words ("0 = off", "350 s; fixed for TLS listeners"). */
  defaultText?: string;
  /** Allowed numeric range (seconds for durations). */
  range?: { min: number; max: number };
  /** A value AWS fixes for some resources, e.g. 350 s for TLS listeners (`when` names them). */
  fixed?: { value: number; when: string };
  /** Allowed values of an enumerated attribute. */
  values?: string[];
  unit?: 'seconds' | 'count';
  /** What it means for WebSockets, in our words. */
  websocket: string;
  /** A limit or open question the AWS pages leave (said in the hover, never guessed). */
  note?: string;
  /** Is the value an idle limit that an idle WebSocket meets (compared with the heartbeat)? */
  idleLimit?: boolean;
  doc: string;
  section: SourceSection;
}

const LB = ['aws_lb', 'aws_alb'];
const TG = ['aws_lb_target_group', 'aws_alb_target_group'];
const LISTENER = ['aws_lb_listener', 'aws_alb_listener'];
const CFN_LB = 'AWS::ElasticLoadBalancingV2::LoadBalancer';
const CFN_TG = 'AWS::ElasticLoadBalancingV2::TargetGroup';
const CFN_LISTENER = 'AWS::ElasticLoadBalancingV2::Listener';

/** Attributes documented on one page share its link and section; the health-check ones their spellings too. */
const HEALTH_CHECK_DOCS = {
  doc: AWS_DOC_PAGES.healthChecks,
  section: 'Health checks and connection draining',
} as const;
const STICKINESS_DOCS = { doc: AWS_DOC_PAGES.stickiness, section: 'Sticky sessions and balancing algorithms' } as const;
function healthCheckSetting(key: string, property: string): Pick<AwsAttributeFact, 'terraform' | 'cloudformation'> {
  return { terraform: { resource: TG, key, block: 'health_check' }, cloudformation: { resource: CFN_TG, property } };
}

export const AWS_ATTRIBUTES: readonly AwsAttributeFact[] = [
  {
    id: 'lb.idle_timeout',
    title: 'Connection idle timeout (Application Load Balancer)',
    terraform: { resource: LB, key: 'idle_timeout' },
    cloudformation: { resource: CFN_LB, attributeKey: 'idle_timeout.timeout_seconds' },
    default: 60,
    range: { min: 1, max: 4000 },
    unit: 'seconds',
    idleLimit: true,
    websocket:
      'An upgraded WebSocket stays on the ALB as one connection; when neither side sends a byte for this long, the ALB closes it without a WebSocket close frame. A ping/pong counts as traffic, so the heartbeat has to arrive well inside this window — at the 60 s default, a 60 s heartbeat loses the race whenever a ping is a little late.',
    doc: AWS_DOC_PAGES.albIdleTimeout,
    section: 'Production config: nginx + AWS ALB',
  },
  {
    id: 'listener.tcp_idle_timeout',
    title: 'TCP idle timeout (Network Load Balancer listener)',
    terraform: { resource: LISTENER, key: 'tcp_idle_timeout_seconds' },
    cloudformation: { resource: CFN_LISTENER, attributeKey: 'tcp.idle_timeout.seconds' },
    default: 350,
    defaultText: '350 s (fixed at 350 s for TLS listeners; only TCP listeners can change it)',
    range: { min: 60, max: 6000 },
    fixed: { value: 350, when: 'TLS' },
    unit: 'seconds',
    idleLimit: true,
    websocket:
      'An NLB forwards the WebSocket as a plain TCP flow and forgets a flow that carried no data for this long; the next packet on it is answered with a reset. Heartbeats must be more frequent than this to keep idle sockets alive.',
    doc: AWS_DOC_PAGES.nlbIdleTimeout,
    section: 'L4 vs L7 for WebSocket',
  },
  {
    id: 'tg.deregistration_delay',
    title: 'Deregistration delay (connection draining)',
    terraform: { resource: TG, key: 'deregistration_delay' },
    cloudformation: { resource: CFN_TG, attributeKey: 'deregistration_delay.timeout_seconds' },
    default: 300,
    range: { min: 0, max: 3600 },
    unit: 'seconds',
    websocket:
      'When a target is deregistered (deploy, scale-in), the load balancer stops sending it new connections but lets open ones continue for this long; then the target becomes unused and can be terminated, so WebSockets still open at that moment end without a close frame. Either raise it toward the typical connection lifetime, or have the application close its sockets with code 1001 before it elapses.',
    note: 'The ALB page says the target becomes `unused` when the delay elapses; it does not describe what happens to a still-open WebSocket. wslb assumes it is cut (the target is stopped or replaced then).',
    doc: AWS_DOC_PAGES.deregistrationDelay,
    section: 'Health checks and connection draining',
  },
  {
    id: 'tg.slow_start',
    title: 'Slow start duration',
    terraform: { resource: TG, key: 'slow_start' },
    cloudformation: { resource: CFN_TG, attributeKey: 'slow_start.duration_seconds' },
    default: 0,
    defaultText: '0 (off)',
    range: { min: 30, max: 900 },
    unit: 'seconds',
    websocket:
      'A target that becomes healthy starts with a small share of new connections and gets a linearly growing share until the duration ends. Without it, a target that joins during a reconnect storm (after a deploy or a failure) takes its full share of handshakes at once.',
    note: 'Slow start works only with `round_robin`: AWS documents that it cannot be enabled together with `least_outstanding_requests`, and its API refuses it with `weighted_random` (InvalidConfigurationRequest). Allowed values: 0 (off) or 30–900.',
    doc: AWS_DOC_PAGES.slowStart,
    section: 'Health checks and connection draining',
  },
  {
    id: 'tg.algorithm',
    title: 'Routing algorithm',
    terraform: { resource: TG, key: 'load_balancing_algorithm_type' },
    cloudformation: { resource: CFN_TG, attributeKey: 'load_balancing.algorithm.type' },
    default: 'round_robin',
    values: ['round_robin', 'least_outstanding_requests', 'weighted_random'],
    websocket:
      'The algorithm picks a target once per WebSocket, at the upgrade request; every later message follows that connection. `round_robin` spreads new connections evenly in turn, whatever each target already holds; `least_outstanding_requests` sends the upgrade to the target with the fewest in-progress requests; `weighted_random` picks at random (with optional anomaly mitigation).',
    note: 'AWS documents that with WebSockets the target is chosen by least outstanding requests and all messages then use that connection; whether an open WebSocket keeps counting as an outstanding request for later choices is not documented.',
    doc: AWS_DOC_PAGES.routingAlgorithm,
    section: 'Sticky sessions and balancing algorithms',
  },
  {
    id: 'tg.stickiness.enabled',
    title: 'Sticky sessions',
    // The Terraform provider defaults `enabled` to true inside a written `stickiness` block.
    terraform: { resource: TG, key: 'enabled', block: 'stickiness', blockDefault: true },
    cloudformation: { resource: CFN_TG, attributeKey: 'stickiness.enabled' },
    default: false,
    values: ['true', 'false'],
    websocket:
      'The WebSocket handshake is an HTTP request, so an ALB stickiness cookie sent with it routes a reconnecting client back to its previous target (while that target is healthy). It matters when per-connection state lives in process memory; with shared state (Redis, a database) any target will do.',
    ...STICKINESS_DOCS,
  },
  {
    id: 'tg.stickiness.type',
    title: 'Stickiness type',
    terraform: { resource: TG, key: 'type', block: 'stickiness' },
    cloudformation: { resource: CFN_TG, attributeKey: 'stickiness.type' },
    values: ['lb_cookie', 'app_cookie', 'source_ip', 'source_ip_dest_ip', 'source_ip_dest_ip_proto'],
    websocket:
      "`lb_cookie` (ALB-generated cookie) and `app_cookie` (your application's cookie) work for browsers that send cookies on the handshake; `source_ip` (NLB) keys on the client address, so many clients behind one NAT land on the same target.",
    ...STICKINESS_DOCS,
  },
  {
    id: 'tg.stickiness.duration',
    title: 'Stickiness cookie duration',
    terraform: { resource: TG, key: 'cookie_duration', block: 'stickiness' },
    cloudformation: { resource: CFN_TG, attributeKey: 'stickiness.lb_cookie.duration_seconds' },
    default: 86400,
    range: { min: 1, max: 604800 },
    unit: 'seconds',
    websocket:
      'How long a reconnecting client keeps going back to the same target. It should cover the time a client may stay away and reconnect.',
    ...STICKINESS_DOCS,
  },
  {
    id: 'tg.health_check.interval',
    title: 'Health check interval',
    ...healthCheckSetting('interval', 'HealthCheckIntervalSeconds'),
    default: 30,
    range: { min: 5, max: 300 },
    unit: 'seconds',
    websocket:
      'Health checks are plain HTTP requests (they do not open WebSockets), so a target can pass them while refusing new upgrades. With the unhealthy threshold, this sets how long new connections keep going to a dead target.',
    ...HEALTH_CHECK_DOCS,
  },
  {
    id: 'tg.health_check.healthy_threshold',
    title: 'Healthy threshold',
    ...healthCheckSetting('healthy_threshold', 'HealthyThresholdCount'),
    default: 5,
    range: { min: 2, max: 10 },
    unit: 'count',
    websocket:
      'Consecutive passed checks before an unhealthy target takes connections again (a newly registered target needs one passed check).',
    ...HEALTH_CHECK_DOCS,
  },
  {
    id: 'tg.health_check.unhealthy_threshold',
    title: 'Unhealthy threshold',
    ...healthCheckSetting('unhealthy_threshold', 'UnhealthyThresholdCount'),
    default: 2,
    range: { min: 2, max: 10 },
    unit: 'count',
    websocket:
      'Consecutive failed checks before a target stops receiving new connections; interval × this is how long a dead target keeps being chosen.',
    ...HEALTH_CHECK_DOCS,
  },
  {
    id: 'tg.health_check.timeout',
    title: 'Health check timeout',
    ...healthCheckSetting('timeout', 'HealthCheckTimeoutSeconds'),
    default: 5,
    range: { min: 2, max: 120 },
    unit: 'seconds',
    websocket:
      'How long one health check may take. A target busy with a reconnect storm may answer slowly and be marked unhealthy, which moves its clients again.',
    ...HEALTH_CHECK_DOCS,
  },
  {
    id: 'tg.health_check.path',
    title: 'Health check path',
    ...healthCheckSetting('path', 'HealthCheckPath'),
    default: '/',
    websocket:
      'Point it at an endpoint that reports whether the process still accepts new WebSockets (memory, file descriptors), not just that it answers HTTP; return non-2xx while draining.',
    ...HEALTH_CHECK_DOCS,
  },
  {
    id: 'tg.target_type',
    title: 'Target type',
    terraform: { resource: TG, key: 'target_type' },
    cloudformation: { resource: CFN_TG, property: 'TargetType' },
    default: 'instance',
    values: ['instance', 'ip', 'lambda', 'alb'],
    websocket:
      'What a registered target is: an instance ID, an IP address, a Lambda function, or (behind a Network Load Balancer) an Application Load Balancer. It does not change how the load balancer picks a target for a new WebSocket.',
    doc: AWS_DOC_PAGES.createTargetGroup,
    section: 'Sticky sessions and balancing algorithms',
  },
  {
    id: 'lb.type',
    title: 'Load balancer type',
    terraform: { resource: LB, key: 'load_balancer_type' },
    cloudformation: { resource: CFN_LB, property: 'Type' },
    default: 'application',
    values: ['application', 'network', 'gateway'],
    websocket:
      "`application` (ALB, L7) reads the upgrade request, can route `/ws` by path and use cookies; its idle timeout is `idle_timeout`. `network` (NLB, L4) forwards TCP flows untouched; its idle limit is the TCP listener's `tcp_idle_timeout_seconds`.",
    doc: AWS_DOC_PAGES.loadBalancerType,
    section: 'L4 vs L7 for WebSocket',
  },
];

const BY_ID = new Map<AwsAttributeId, AwsAttributeFact>(AWS_ATTRIBUTES.map((f) => [f.id, f]));

export function awsFact(id: AwsAttributeId): AwsAttributeFact | undefined {
  return BY_ID.get(id);
}

/** The fact for `id`, which the table must have (a missing one is a bug in the table). */
export function awsFactOf(id: AwsAttributeId): AwsAttributeFact {
  const f = BY_ID.get(id);
  if (!f) throw new Error(`knowledge/aws.ts has no fact for ${id}`);
  return f;
}

/** AWS's default for `id`, read from the table at each call. */
export function awsDefault<T extends number | string | boolean>(id: AwsAttributeId): T {
  const d = awsFactOf(id).default;
  if (d === undefined) throw new Error(`knowledge/aws.ts gives no default for ${id}`);
  return d as T;
}

/** The allowed numeric range of `id`, read from the table at each call. */
export function awsRange(id: AwsAttributeId): { min: number; max: number } {
  const r = awsFactOf(id).range;
  if (!r) throw new Error(`knowledge/aws.ts gives no range for ${id}`);
  return r;
}

/** Is `value` inside the allowed range of `id`? */
export function awsInRange(id: AwsAttributeId, value: number): boolean {
  const r = awsRange(id);
  return value >= r.min && value <= r.max;
}

/** The fact for a Terraform argument in a resource of `resourceType` (inside `block` for nested blocks). */
export function awsFactForTerraform(resourceType: string, key: string, block?: string): AwsAttributeFact | undefined {
  return AWS_ATTRIBUTES.find(
    (f) =>
      f.terraform &&
      f.terraform.resource.includes(resourceType) &&
      f.terraform.key === key &&
      (f.terraform.block ?? undefined) === (block ?? undefined),
  );
}

/** The fact for a CloudFormation attribute-list Key (`idle_timeout.timeout_seconds`) or property (`Type`). */
export function awsFactForCloudFormation(resourceType: string, keyOrProperty: string): AwsAttributeFact | undefined {
  return AWS_ATTRIBUTES.find(
    (f) =>
      f.cloudformation &&
      f.cloudformation.resource === resourceType &&
      (f.cloudformation.attributeKey === keyOrProperty || f.cloudformation.property === keyOrProperty),
  );
}

/** "60 s", "1–4000 s", "round_robin": a fact's default and range as text. */
export function awsDefaultText(f: AwsAttributeFact): string {
  if (f.defaultText) return f.defaultText;
  if (f.default === undefined) return 'none';
  return f.unit === 'seconds' ? `${f.default} s` : String(f.default);
}

export function awsRangeText(f: AwsAttributeFact): string | undefined {
  if (f.range) return `${f.range.min}–${f.range.max}${f.unit === 'seconds' ? ' s' : ''}`;
  if (f.values) return f.values.map((v) => `\`${v}\``).join(', ');
  return undefined;
}
