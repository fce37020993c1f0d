/**
 * The AWS facts are written once, in knowledge/aws.ts: the model's defaults, the rules' messages,
 * references and fix bounds, the hover and the simulator read them from there. Two kinds of check:
 * - agreement: every value the model fills in as AWS's default equals the table's default, and
 *   every AWS page a rule cites is one of the table's pages;
 * - following: with a table entry changed for the duration of a test, the model, the rules, the
 *   hover and the simulator change with it (a number copied elsewhere would not).
 */
import { strict as assert } from 'node:assert';
import { initAwsParsers } from '../../server/src/service';
import {
  AWS_ATTRIBUTES,
  AWS_DOC_PAGES,
  awsFactOf,
  type AwsAttributeFact,
} from '../../server/src/service/knowledge/aws';
import { awsResources, type AwsAttributeId, type AwsValue } from '../../server/src/service/model/aws';
import { buildAwsConfig } from '../../server/src/service/model/aws-build';
import { awsRules } from '../../server/src/service/rules/aws';
import { longDocs } from '../../server/src/service/rules/long-docs';
import { awsTargetGroupPool } from '../../server/src/service/features/aws-pools';
import { simulate } from '../../server/src/service/simulate/engine';
import { doHover } from '../../server/src/service/features/hover';
import { withDefaults } from '../../server/src/service/options';
import type { Finding } from '../../server/src/service/types';
import { analyzeText } from '../helpers/analyze';

before(() => initAwsParsers());

/** Run `fn` with some fields of table entries replaced, then put the table back. */
function withFacts(changes: Partial<Record<AwsAttributeId, Partial<AwsAttributeFact>>>, fn: () => void): void {
  const saved: [AwsAttributeFact, Partial<AwsAttributeFact>][] = [];
  try {
    for (const [id, patch] of Object.entries(changes) as [AwsAttributeId, Partial<AwsAttributeFact>][]) {
      const f = awsFactOf(id);
      saved.push([f, Object.fromEntries(Object.keys(patch).map((k) => [k, f[k as keyof AwsAttributeFact]]))]);
      Object.assign(f, patch);
    }
    fn();
  } finally {
    for (const [f, old] of saved.reverse()) Object.assign(f, old);
  }
}

/** Every attribute value of every resource (including nested stickiness and health check values). */
function valuesOf(config: ReturnType<typeof buildAwsConfig>): AwsValue<unknown>[] {
  const out: AwsValue<unknown>[] = [];
  const visit = (o: unknown, depth: number): void => {
    if (!o || typeof o !== 'object' || depth > 2) return;
    if ('known' in o && 'id' in o) {
      out.push(o as AwsValue<unknown>);
      return;
    }
    for (const [k, v] of Object.entries(o))
      if (
        !['listeners', 'rules', 'loadBalancers', 'targetGroupRefs', 'loadBalancer', 'anchor', 'websocket'].includes(k)
      )
        visit(v, depth + 1);
  };
  for (const r of awsResources(config)) visit(r, 0);
  return out;
}

const BARE_TF = `resource "aws_lb" "main" {
  name = "chat"
}

resource "aws_lb" "net" {
  load_balancer_type = "network"
}

resource "aws_lb_target_group" "ws" {
  port     = 8080
  protocol = "HTTP"
}

resource "aws_lb_target_group" "ws_sticky" {
  port     = 8081
  protocol = "HTTP"
  stickiness {
    type = "lb_cookie"
  }
}

resource "aws_lb_target_group" "ws_tcp" {
  port     = 9000
  protocol = "TCP"
}

resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.main.arn
  port              = 80
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.ws.arn
  }
}

resource "aws_lb_listener" "tcp" {
  load_balancer_arn = aws_lb.net.arn
  port              = 9000
  protocol          = "TCP"
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.ws_tcp.arn
  }
}

resource "aws_lb_listener" "tls" {
  load_balancer_arn = aws_lb.net.arn
  port              = 443
  protocol          = "TLS"
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.ws_tcp.arn
  }
}
`;

const BARE_CFN = `Resources:
  Alb:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties:
      Scheme: internal
  WsTargetGroup:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties:
      Port: 8080
      Protocol: HTTP
  Http:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      LoadBalancerArn: !Ref Alb
      Port: 80
      Protocol: HTTP
      DefaultActions:
        - Type: forward
          TargetGroupArn: !Ref WsTargetGroup
`;

const codes = (fs: Finding[], code: string) => fs.filter((f) => f.code === code);

describe('knowledge: AWS facts written once', () => {
  describe('agreement with the table', () => {
    for (const [file, text] of [
      ['/infra/main.tf', BARE_TF],
      ['/infra/template.yaml', BARE_CFN],
    ] as const) {
      it(`${file}: every AWS default the model fills in is the table's default`, () => {
        const config = buildAwsConfig([{ path: file, text }]);
        const defaults = valuesOf(config).filter(
          (v): v is AwsValue<unknown> & { known: true } => v.known && v.origin === 'aws-default',
        );
        const seen = new Set(defaults.map((v) => v.id));
        for (const id of [
          'lb.type',
          'lb.idle_timeout',
          'tg.target_type',
          'tg.deregistration_delay',
          'tg.slow_start',
          'tg.algorithm',
          'tg.stickiness.enabled',
        ] as AwsAttributeId[]) {
          assert.ok(seen.has(id), `${id} is filled in from AWS's default`);
        }
        if (file.endsWith('.tf')) assert.ok(seen.has('listener.tcp_idle_timeout'));
        for (const v of defaults) {
          const f = awsFactOf(v.id);
          // Inside a written Terraform block, the provider's default for a left-out argument applies.
          const inBlock =
            file.endsWith('.tf') && v.id === 'tg.stickiness.enabled' && v.value === f.terraform?.blockDefault;
          assert.ok(v.value === f.default || inBlock, `${v.id}: model ${String(v.value)}, table ${String(f.default)}`);
        }
      });
    }

    it('rules cite AWS pages only through the table (current page paths, no stale anchors)', () => {
      const pages = new Set<string>(Object.values(AWS_DOC_PAGES));
      for (const f of AWS_ATTRIBUTES) assert.ok(pages.has(f.doc), f.id);
      for (const rule of awsRules) {
        const urls = rule.meta.docs.references.filter((r) => /^https?:/.test(r));
        assert.ok(urls.length > 0, rule.meta.id);
        // AWS pages come from the table; a rule may also cite a protocol's own docs (Socket.IO, ...).
        for (const u of urls.filter((x) => /amazon\.com|aws\.amazon/.test(x)))
          assert.ok(pages.has(u), `${rule.meta.id} cites ${u}, which is not in AWS_DOC_PAGES`);
      }
      // Pages whose attribute sections moved to the "Edit ... attributes" pages.
      for (const u of pages)
        assert.doesNotMatch(
          u,
          /application-load-balancers\.html#|load-balancer-target-groups\.html#|\/sticky-sessions\.html/,
          u,
        );
    });

    it("the rules' docs quote the table's defaults and ranges", () => {
      const doc = (id: string) => {
        const r = awsRules.find((x) => x.meta.id === id)!;
        return `${r.meta.docs.short}\n${longDocs(r.meta)}`;
      };
      const idle = awsFactOf('lb.idle_timeout');
      assert.ok(
        doc('aws/alb-idle-timeout').includes(
          `${idle.default} seconds, and it can be set from ${idle.range!.min} to ${idle.range!.max} seconds`,
        ),
      );
      const nlb = awsFactOf('listener.tcp_idle_timeout');
      assert.ok(doc('aws/nlb-idle-timeout').includes(`from ${nlb.range!.min} to ${nlb.range!.max} seconds`));
      assert.ok(doc('aws/nlb-idle-timeout').includes(`On TLS listeners it is ${nlb.fixed!.value} seconds`));
      const dd = awsFactOf('tg.deregistration_delay');
      assert.ok(
        doc('aws/ws-deregistration-delay').includes(
          `${dd.default} seconds unless you set it, at most ${dd.range!.max}`,
        ),
      );
      const ss = awsFactOf('tg.slow_start');
      assert.ok(doc('aws/ws-no-slow-start').includes(`${ss.range!.min} to ${ss.range!.max} seconds`));
    });
  });

  describe('following the table', () => {
    it("ALB idle timeout: the model's default, the message, and the fix bound", () => {
      withFacts({ 'lb.idle_timeout': { default: 45, range: { min: 1, max: 4000 } } }, () => {
        const lb = buildAwsConfig([{ path: '/infra/main.tf', text: BARE_TF }]).loadBalancers.find(
          (l) => l.logicalName === 'aws_lb.main',
        )!;
        assert.deepEqual(lb.idleTimeout && lb.idleTimeout.known && [lb.idleTimeout.value, lb.idleTimeout.origin], [
          45,
          'aws-default',
        ]);
        const [f] = codes(analyzeText('aws', BARE_TF, { heartbeatMs: 30_000 }), 'aws/alb-idle-timeout');
        assert.ok(f, 'fires at 45 s against a 30 s heartbeat');
        assert.match(f.message, /idle timeout 45 s \(AWS default, not set\)/);
        assert.equal(f.fixes.length, 1);
      });
      withFacts({ 'lb.idle_timeout': { range: { min: 1, max: 3000 } } }, () => {
        const [f] = codes(analyzeText('aws', BARE_TF, { heartbeatMs: 60_000 }), 'aws/alb-idle-timeout');
        assert.ok(f);
        assert.deepEqual(f.fixes, [], 'wslb writes 3600 s, which is outside a 1-3000 s range: no fix');
      });
    });

    it('NLB TCP idle timeout: default, fixed TLS value and range', () => {
      withFacts({ 'listener.tcp_idle_timeout': { default: 100, fixed: { value: 50, when: 'TLS' } } }, () => {
        const fs = codes(analyzeText('aws', BARE_TF, { heartbeatMs: 60_000 }), 'aws/nlb-idle-timeout');
        const tcp = fs.find((f) => f.message.includes('listener aws_lb_listener.tcp '));
        const tls = fs.find((f) => f.message.includes('TLS listener aws_lb_listener.tls '));
        assert.ok(tcp && tls, fs.map((f) => f.message).join('\n'));
        assert.match(tcp.message, /TCP idle timeout 100 s \(AWS default, not set\)/);
        assert.equal(tcp.severity, 'warning');
        assert.match(tls.message, /after 50 s \(fixed for TLS listeners\)/);
        assert.equal(tls.severity, 'error');
      });
      withFacts({ 'listener.tcp_idle_timeout': { default: 100, range: { min: 60, max: 1000 } } }, () => {
        const tcp = codes(analyzeText('aws', BARE_TF, { heartbeatMs: 60_000 }), 'aws/nlb-idle-timeout').find((f) =>
          f.message.includes('listener aws_lb_listener.tcp '),
        );
        assert.ok(tcp);
        assert.deepEqual(tcp.fixes, [], 'wslb writes 3600 s, outside a 60-1000 s range: no fix');
      });
    });

    it("deregistration delay: the table's default in the model and the message, its range bounds the fix", () => {
      // A default below two heartbeats (30 s each) fires, and the fix (two heartbeats) stays in range.
      withFacts({ 'tg.deregistration_delay': { default: 40, range: { min: 0, max: 50 } } }, () => {
        for (const [p, text] of [
          ['/infra/main.tf', BARE_TF],
          ['/infra/template.yaml', BARE_CFN],
        ]) {
          const [f] = codes(analyzeText('aws', text, {}, p), 'aws/ws-deregistration-delay');
          assert.ok(f, p);
          assert.match(f.message, /drains for 40 s \(AWS default, not set\)/);
          assert.match(f.fixes[0].title, /^Set the deregistration delay to 50 s/);
          assert.ok(
            f.fixes[0].edits.some((e) => e.newText.includes('50')),
            p,
          );
        }
      });
      // The table's real default (300 s) is well above two heartbeats: no finding on a bare group.
      assert.equal(codes(analyzeText('aws', BARE_TF), 'aws/ws-deregistration-delay').length, 0);
      // A written value follows the same line: 40 s fires, 60 s (two heartbeats) does not.
      const tf = (v: number) =>
        BARE_TF.replace('  port     = 8080\n', `  port     = 8080\n  deregistration_delay = ${v}\n`);
      assert.equal(codes(analyzeText('aws', tf(40)), 'aws/ws-deregistration-delay').length, 1);
      assert.equal(codes(analyzeText('aws', tf(60)), 'aws/ws-deregistration-delay').length, 0);
    });

    it('slow start: "off" is the table\'s default and the fix stays inside its range', () => {
      withFacts({ 'tg.slow_start': { range: { min: 90, max: 900 } } }, () => {
        const [f] = codes(analyzeText('aws', BARE_TF), 'aws/ws-no-slow-start');
        assert.ok(f);
        assert.match(f.fixes[0].title, /^Set slow start to 90 s /);
      });
    });

    it('the routing algorithm, target type and stickiness defaults of the model', () => {
      withFacts(
        {
          'tg.algorithm': { default: 'least_outstanding_requests' },
          'tg.target_type': { default: 'ip' },
          'tg.stickiness.enabled': { default: true },
        },
        () => {
          const tg = buildAwsConfig([{ path: '/infra/template.yaml', text: BARE_CFN }]).targetGroups[0];
          assert.deepEqual(
            [tg.algorithm, tg.targetType, tg.stickiness.enabled].map((v) => v.known && v.value),
            ['least_outstanding_requests', 'ip', true],
          );
          assert.equal(awsTargetGroupPool(tg).pool.algorithm, 'least_outstanding_requests');
        },
      );
    });

    it("the hover shows the table's default and range", () => {
      const text = BARE_TF.replace('  name = "chat"\n', '  name = "chat"\n  idle_timeout = 120\n');
      withFacts({ 'lb.idle_timeout': { default: 45, range: { min: 2, max: 3000 } } }, () => {
        const path = '/proj/main.tf';
        const r = doHover({
          language: 'aws',
          path,
          offset: text.indexOf('idle_timeout') + 2,
          aws: buildAwsConfig([{ path, text }]),
          findings: [],
          options: withDefaults({}),
        });
        assert.ok(r);
        assert.match(r.markdown, /\*\*AWS default:\*\* 45 s · \*\*Allowed:\*\* 2–3000 s/);
      });
    });

    it("the simulator's deregistration delay default", () => {
      withFacts({ 'tg.deregistration_delay': { default: 120 } }, () => {
        const tg = buildAwsConfig([{ path: '/infra/template.yaml', text: BARE_CFN }]).targetGroups[0];
        const pool = awsTargetGroupPool(tg).pool;
        pool.aws = { ...pool.aws, deregistrationDelayMs: undefined, healthCheckIntervalMs: 10_000 };
        const r = simulate(pool, {
          seed: 3,
          durationSec: 600,
          sampleSec: 1,
          clients: {
            count: 300,
            rampSec: 10,
            lifetime: { kind: 'fixed', hours: 10 },
            reconnect: { kind: 'immediate' },
          },
          scenario: { kind: 'deploy', atSec: 100, drain: false, drainSec: 30, restartSec: 20, intervalSec: 60 },
        });
        const firstCut = r.series.find((s) => s.dropped > 0);
        assert.equal(firstCut?.tSec, 100 + 120 + 1, "the first target is cut when the table's 120 s delay elapses");
      });
    });
  });
});
