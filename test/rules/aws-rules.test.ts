/**
 * AWS rules beyond the fixtures: every fixed golden still parses (Terraform without syntax errors,
 * CloudFormation as a template, JSON as strict JSON) and declares the same resources; the heartbeat
 * setting drives the idle-timeout rules; fixes that add attributes (Terraform line, CloudFormation
 * entry or list) compose under fix-all; unknown values never fire.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseDocument } from 'yaml';
import { parse as hcl2json } from '@cdktf/hcl2json';
import { initAwsParsers } from '../../server/src/service';
import { awsResources } from '../../server/src/service/model/aws';
import { buildAwsConfig } from '../../server/src/service/model/aws-build';
import { CFN_TAGS } from '../../server/src/service/syntax/aws/cfn';
import { analyzeText, fixUntilStable, fmtRange } from '../helpers/analyze';

before(() => initAwsParsers());

const FIXTURES = path.join(__dirname, 'fixtures', 'aws');

function resourcesOf(p: string, text: string): string[] {
  return awsResources(buildAwsConfig([{ path: p, text }])).map((r) => `${r.kind} ${r.logicalName}`);
}

/** CloudFormation's view: the Resources keys and their Type, read with a generic YAML reader. */
function cfnTypes(text: string): Record<string, string> {
  const tags = CFN_TAGS.flatMap((tag) => [
    { tag, resolve: (s: string) => s },
    { tag, collection: 'seq' as const, resolve: (s: unknown) => s },
    { tag, collection: 'map' as const, resolve: (s: unknown) => s },
  ]);
  const doc = parseDocument(text, { customTags: tags as never });
  assert.deepEqual(
    doc.errors.map((e) => e.message),
    [],
  );
  const js = doc.toJS() as { Resources: Record<string, { Type: string }> };
  return Object.fromEntries(Object.entries(js.Resources).map(([k, v]) => [k, v.Type]));
}

describe('AWS fixed goldens still parse, with the same resources', () => {
  const fixed: string[] = [];
  for (const rule of fs.readdirSync(FIXTURES))
    for (const f of fs.readdirSync(path.join(FIXTURES, rule)))
      if (/\.fixed\.(tf|yaml|json)$/.test(f)) fixed.push(path.join(rule, f));
  it('there are goldens in each format', () => {
    for (const ext of ['tf', 'yaml', 'json'])
      assert.ok(
        fixed.some((f) => f.endsWith('.' + ext)),
        ext,
      );
  });
  for (const f of fixed) {
    it(f, () => {
      const after = fs.readFileSync(path.join(FIXTURES, f), 'utf8');
      const before = fs.readFileSync(path.join(FIXTURES, f.replace('.fixed', '')), 'utf8');
      const ext = path.extname(f);
      const p = `/infra/main${ext}`;
      const config = buildAwsConfig([{ path: p, text: after }]);
      assert.deepEqual(
        config.diagnostics.map((d) => d.message),
        [],
        'no syntax errors after the fix',
      );
      assert.deepEqual(resourcesOf(p, after), resourcesOf(p, before));
      if (ext !== '.tf') assert.deepEqual(cfnTypes(after), cfnTypes(before));
      if (ext === '.json') assert.doesNotThrow(() => JSON.parse(after), 'strict JSON');
    });
  }
});

describe("fixed Terraform, second opinion: HashiCorp's HCL parser (@cdktf/hcl2json)", () => {
  const tfGoldens: string[] = [];
  for (const rule of fs.readdirSync(FIXTURES))
    for (const f of fs.readdirSync(path.join(FIXTURES, rule)))
      if (/\.fixed\.tf$/.test(f)) tfGoldens.push(path.join(rule, f));
  /** Attributes whose values the fixes write, as HashiCorp's parser reads them. */
  const WRITTEN = ['idle_timeout', 'deregistration_delay', 'slow_start', 'tcp_idle_timeout_seconds'];
  let compared = 0;
  for (const f of tfGoldens) {
    it(f, async function () {
      this.timeout(60_000);
      const after = fs.readFileSync(path.join(FIXTURES, f), 'utf8');
      const before = fs.readFileSync(path.join(FIXTURES, f.replace('.fixed', '')), 'utf8');
      const jsonAfter = (await hcl2json('main.tf', after)) as {
        resource?: Record<string, Record<string, Record<string, unknown>[]>>;
      };
      const jsonBefore = (await hcl2json('main.tf', before)) as typeof jsonAfter;
      const names = (j: typeof jsonAfter) =>
        Object.entries(j.resource ?? {})
          .flatMap(([t, byName]) => Object.keys(byName).map((n) => `${t}.${n}`))
          .sort();
      assert.deepEqual(names(jsonAfter), names(jsonBefore));
      // Our model reads the same values as HashiCorp's parser for what the fixes write.
      const config = buildAwsConfig([{ path: '/infra/main.tf', text: after }]);
      for (const r of awsResources(config)) {
        const [type, name] = r.logicalName.split('.');
        const body = jsonAfter.resource?.[type]?.[name]?.[0] ?? {};
        for (const key of WRITTEN) {
          if (!(key in body)) continue;
          const v = (r as unknown as Record<string, unknown>)[
            {
              idle_timeout: 'idleTimeout',
              deregistration_delay: 'deregistrationDelay',
              slow_start: 'slowStart',
              tcp_idle_timeout_seconds: 'tcpIdleTimeout',
            }[key]!
          ] as { known: boolean; value?: number; origin?: string } | null;
          if (!v?.known || v.origin !== 'literal') continue;
          assert.equal(Number(body[key]), v.value, `${r.logicalName}.${key}`);
          compared++;
        }
      }
    });
  }
  it('the values compared were not vacuous', () => {
    assert.ok(compared >= 5, `only ${compared} values compared`);
  });
  it('and it rejects what our parser reports as broken', async () => {
    const text = 'resource "aws_lb" "x" {\n  idle_timeout = \n}\n';
    assert.ok(buildAwsConfig([{ path: '/i/b.tf', text }]).diagnostics.length > 0);
    await assert.rejects(() => hcl2json('b.tf', text));
  });
});

const ALB_TF = `resource "aws_lb" "main" {
  name = "chat"
}

resource "aws_lb_target_group" "ws" {
  port     = 8080
  protocol = "HTTP"
}

resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.main.arn
  port              = 80
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.ws.arn
  }
}
`;

const ALB_YAML = `Resources:
  Alb:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties:
      Scheme: internal  # comment kept
  WsTargetGroup:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties:
      Port: 80
      Protocol: HTTP
  Listener:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      LoadBalancerArn: !Ref Alb
      DefaultActions:
        - Type: forward
          TargetGroupArn: !Ref WsTargetGroup
`;

const ALB_JSON = `{
  "Resources": {
    "Alb": {
      "Type": "AWS::ElasticLoadBalancingV2::LoadBalancer",
      "Properties": {
        "Scheme": "internal"
      }
    },
    "WsTargetGroup": { "Type": "AWS::ElasticLoadBalancingV2::TargetGroup", "Properties": { "Port": 80, "Protocol": "HTTP" } },
    "Listener": {
      "Type": "AWS::ElasticLoadBalancingV2::Listener",
      "Properties": { "LoadBalancerArn": { "Ref": "Alb" }, "DefaultActions": [{ "Type": "forward", "TargetGroupArn": { "Ref": "WsTargetGroup" } }] }
    }
  }
}
`;

describe('aws/alb-idle-timeout and the heartbeat', () => {
  const hits = (text: string, p: string, heartbeat: number) =>
    analyzeText('aws', text, { heartbeatMs: heartbeat * 1000 }, p).filter((f) => f.code === 'aws/alb-idle-timeout');

  it('the 60 s default: silent at a 30 s heartbeat, warning at 45 s, error at 60 s (the real case)', () => {
    assert.deepEqual(hits(ALB_TF, '/i/main.tf', 30), []);
    assert.deepEqual(
      hits(ALB_TF, '/i/main.tf', 45).map((f) => f.severity),
      ['warning'],
    );
    const err = hits(ALB_TF, '/i/main.tf', 60);
    assert.deepEqual(
      err.map((f) => f.severity),
      ['error'],
    );
    assert.match(err[0].message, /60 s \(AWS default, not set\) is not above the 60 s( \(1 min\))? heartbeat/);
    assert.equal(fmtRange(err[0]), '1:19-1:25', 'reported at the resource name when the attribute is absent');
  });

  for (const [name, text, p] of [
    ['Terraform', ALB_TF, '/i/main.tf'],
    ['YAML', ALB_YAML, '/i/stack.yaml'],
    ['JSON', ALB_JSON, '/i/stack.json'],
  ] as const) {
    it(`${name}: the fix adds the attribute (3600 s) and the result parses and is quiet`, () => {
      const fixed = fixUntilStable(
        'aws',
        text,
        (f) => f.code === 'aws/alb-idle-timeout',
        { heartbeatMs: 60_000 },
        p,
      ).text;
      assert.notEqual(fixed, text);
      const lb = buildAwsConfig([{ path: p, text: fixed }]);
      assert.deepEqual(lb.diagnostics, []);
      const idle = lb.loadBalancers[0].idleTimeout;
      assert.ok(idle?.known && idle.value === 3600 && idle.origin === 'literal');
      assert.deepEqual(hits(fixed, p, 60), []);
      if (p.endsWith('.json')) JSON.parse(fixed);
      if (p.endsWith('.yaml'))
        assert.match(
          fixed,
          /Scheme: internal {2}# comment kept\n {6}LoadBalancerAttributes:\n {8}- Key: idle_timeout\.timeout_seconds\n {10}Value: "3600"\n/,
        );
      if (p.endsWith('.tf'))
        assert.match(fixed, /resource "aws_lb" "main" \{\n {2}name = "chat"\n {2}idle_timeout = 3600\n\}/);
    });
  }

  it('a heartbeat above the largest settable value gives an error without a fix', () => {
    const f = hits(ALB_TF, '/i/main.tf', 5000);
    assert.equal(f.length, 1);
    assert.deepEqual(f[0].fixes, []);
  });
});

describe('aws/nlb-idle-timeout and the heartbeat', () => {
  const nlb = (protocol: string, attr = '') => `resource "aws_lb" "n" {
  load_balancer_type = "network"
}
resource "aws_lb_target_group" "ws" {
  port     = 8080
  protocol = "TCP"
}
resource "aws_lb_listener" "l" {
  load_balancer_arn = aws_lb.n.arn
  protocol          = "${protocol}"
  port              = 443${attr}
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.ws.arn
  }
}
`;
  const hits = (text: string, heartbeat: number) =>
    analyzeText('aws', text, { heartbeatMs: heartbeat * 1000 }, '/i/nlb.tf').filter(
      (f) => f.code === 'aws/nlb-idle-timeout',
    );

  it('TCP listener: the 350 s default against a long heartbeat, fixed by adding tcp_idle_timeout_seconds', () => {
    assert.deepEqual(hits(nlb('TCP'), 30), []);
    assert.deepEqual(
      hits(nlb('TCP'), 200).map((f) => f.severity),
      ['warning'],
    );
    const text = nlb('TCP');
    const fixed = fixUntilStable(
      'aws',
      text,
      (f) => f.code === 'aws/nlb-idle-timeout',
      { heartbeatMs: 400_000 },
      '/i/nlb.tf',
    ).text;
    // Longer than the aligned names: a group of its own after a blank line (terraform fmt aligns groups separately).
    assert.match(fixed, /port {14}= 443\n\n {2}tcp_idle_timeout_seconds = 3600\n {2}default_action/);
    assert.deepEqual(hits(fixed, 400), []);
  });

  it('a realistic settable value (60 s, the minimum) against a 45 s heartbeat is a warning', () => {
    assert.deepEqual(
      hits(nlb('TCP', '\n  tcp_idle_timeout_seconds = 60'), 45).map((f) => f.severity),
      ['warning'],
    );
  });

  it('TLS listener: fixed 350 s, reported without a fix when the heartbeat reaches it', () => {
    assert.deepEqual(hits(nlb('TLS'), 30), []);
    const f = hits(nlb('TLS'), 400);
    assert.deepEqual(
      f.map((x) => x.severity),
      ['error'],
    );
    assert.match(f[0].message, /fixed for TLS listeners/);
    assert.deepEqual(f[0].fixes, []);
  });

  it('an unknown protocol or timeout never fires', () => {
    assert.deepEqual(hits(nlb('TCP', '\n  tcp_idle_timeout_seconds = var.t'), 400), []);
  });
});

describe('AWS fixes compose (fix-all)', () => {
  const TG_YAML = `Resources:
  WsTargetGroup:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties:
      Port: 80
      Protocol: HTTP
      TargetGroupAttributes:
        - Key: deregistration_delay.timeout_seconds
          Value: '10'
`;
  const TG_JSON = `{
  "Resources": {
    "WsTargetGroup": {
      "Type": "AWS::ElasticLoadBalancingV2::TargetGroup",
      "Properties": {
        "Port": 80,
        "Protocol": "HTTP",
        "TargetGroupAttributes": [{ "Key": "deregistration_delay.timeout_seconds", "Value": "10" }]
      }
    }
  }
}
`;
  const TG_TF = `resource "aws_lb_target_group" "ws" {
  port                 = 80
  protocol             = "HTTP"
  deregistration_delay = 10
}
`;
  for (const [name, text, p] of [
    ['YAML', TG_YAML, '/i/s.yaml'],
    ['JSON', TG_JSON, '/i/s.json'],
    ['Terraform', TG_TF, '/i/main.tf'],
  ] as const) {
    // (stickiness is not reported here: no Socket.IO/SockJS path shows that sessions need it)
    it(`${name}: deregistration delay and slow start fixed together keep one attribute list`, () => {
      const ids = ['aws/ws-deregistration-delay', 'aws/ws-no-slow-start'];
      assert.deepEqual(
        analyzeText('aws', text, {}, p)
          .map((f) => f.code)
          .sort(),
        [...ids].sort(),
      );
      const fixed = fixUntilStable('aws', text, (f) => ids.includes(f.code), {}, p).text;
      assert.deepEqual(
        analyzeText('aws', fixed, {}, p).map((f) => `${f.code} ${f.message}`),
        [],
      );
      const tg = buildAwsConfig([{ path: p, text: fixed }]).targetGroups[0];
      // two 30 s heartbeats, not AWS's one-hour maximum
      assert.ok(tg.deregistrationDelay.known && tg.deregistrationDelay.value === 60);
      assert.ok(tg.slowStart.known && tg.slowStart.value === 60);
      if (p !== '/i/main.tf') {
        assert.equal(fixed.split('TargetGroupAttributes').length, 2, 'one list');
        cfnTypes(fixed);
      }
      if (p.endsWith('.json')) JSON.parse(fixed);
    });
  }
});

describe('AWS suppression comments', () => {
  it('work in HCL and YAML (JSON has no comments)', () => {
    const tf = `resource "aws_lb_target_group" "ws" {\n  protocol = "HTTP"\n  # wslb-disable-next-line aws/ws-deregistration-delay -- drains with 1001\n  deregistration_delay = 30\n}\n`;
    assert.deepEqual(
      analyzeText('aws', tf, {}, '/i/a.tf').filter((f) => f.code === 'aws/ws-deregistration-delay'),
      [],
    );
    const yaml = `# wslb-disable-file aws/ws-no-slow-start -- warms up in a second\nResources:\n  WsTg:\n    Type: AWS::ElasticLoadBalancingV2::TargetGroup\n    Properties:\n      Protocol: HTTP\n      TargetGroupAttributes:\n        - Key: deregistration_delay.timeout_seconds\n          Value: '10'\n`;
    const codes = analyzeText('aws', yaml, {}, '/i/a.yaml').map((f) => f.code);
    assert.ok(!codes.includes('aws/ws-no-slow-start'));
    assert.ok(codes.includes('aws/ws-deregistration-delay'));
  });
});
