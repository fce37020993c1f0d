/** The AWS model: Terraform and CloudFormation parsing, values (known/unknown/origin), references, WebSocket detection, errors. */
import { strict as assert } from 'node:assert';
import { initAwsParsers } from '../../server/src/service';
import { buildAwsConfig } from '../../server/src/service/model/aws-build';
import { detectConfigLanguage, detectLanguage } from '../../server/src/service/detect';
import { LineIndex } from '../../server/src/service/text';
import { CFN_TAGS, parseCfn } from '../../server/src/service/syntax/aws/cfn';

before(() => initAwsParsers());

const TF = `variable "drain" {
  default = "45"
}
variable "opaque" {}

resource "aws_lb" "main" {
  idle_timeout = 120
}

# wslb: websocket
resource "aws_alb_target_group" "marked" {
  deregistration_delay = var.drain
  slow_start           = var.opaque
  stickiness {
    type    = "lb_cookie"
    enabled = false
  }
}

resource "aws_lb_target_group" "plain" {
  name                 = "api-\${var.env}"
  deregistration_delay = max(10, 20)
}

resource "aws_lb_listener" "l" {
  load_balancer_arn = aws_lb.main.arn
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.plain.arn
  }
}

resource "aws_lb_listener_rule" "r" {
  listener_arn = aws_lb_listener.l.arn
  action {
    type             = "forward"
    target_group_arn = aws_alb_target_group.marked.arn
  }
  condition {
    path_pattern {
      values = ["/cable", var.more]
    }
  }
}
`;

describe('AWS model: Terraform', () => {
  const config = () => buildAwsConfig([{ path: '/m/main.tf', text: TF }]);

  it('finds the resources, old aws_alb* names included, with logical names and name spans', () => {
    const c = config();
    assert.deepEqual(
      c.loadBalancers.map((r) => r.logicalName),
      ['aws_lb.main'],
    );
    assert.deepEqual(
      c.targetGroups.map((r) => r.logicalName),
      ['aws_alb_target_group.marked', 'aws_lb_target_group.plain'],
    );
    assert.deepEqual(
      c.listeners.map((r) => r.logicalName),
      ['aws_lb_listener.l'],
    );
    assert.deepEqual(
      c.listenerRules.map((r) => r.logicalName),
      ['aws_lb_listener_rule.r'],
    );
    const tg = c.targetGroups[0];
    assert.equal(TF.slice(tg.nameSpan.start, tg.nameSpan.end), '"marked"');
    assert.ok(TF.slice(tg.span.start, tg.span.end).startsWith('resource "aws_alb_target_group"'));
    assert.deepEqual(c.diagnostics, []);
  });

  it('values: literal, variable default (with the variable), AWS default, and unknown (never guessed)', () => {
    const c = config();
    const lb = c.loadBalancers[0];
    assert.deepEqual(
      {
        known: lb.idleTimeout?.known,
        value: lb.idleTimeout?.known && lb.idleTimeout.value,
        origin: lb.idleTimeout?.known && lb.idleTimeout.origin,
      },
      { known: true, value: 120, origin: 'literal' },
    );
    const [marked, plain] = c.targetGroups;
    const dd = marked.deregistrationDelay;
    assert.ok(dd.known && dd.value === 45 && dd.origin === 'variable-default');
    assert.equal(dd.variable?.name, 'var.drain');
    assert.equal(TF.slice(dd.variable.span.start, dd.variable.span.end), '"45"');
    assert.equal(TF.slice(dd.written!.keySpan.start, dd.written!.keySpan.end), 'deregistration_delay');
    assert.equal(TF.slice(dd.written!.valueSpan.start, dd.written!.valueSpan.end), 'var.drain');
    assert.equal(marked.slowStart.known, false);
    assert.match(!marked.slowStart.known ? marked.slowStart.reason : '', /var\.opaque.*no default/);
    assert.equal(plain.deregistrationDelay.known, false);
    assert.ok(
      plain.algorithm.known &&
        plain.algorithm.value === 'round_robin' &&
        plain.algorithm.origin === 'aws-default' &&
        !plain.algorithm.written,
    );
    assert.equal(plain.name?.known, false, 'an interpolated name is unknown');
    assert.ok(
      marked.stickiness.enabled.known &&
        marked.stickiness.enabled.value === false &&
        marked.stickiness.enabled.origin === 'literal',
    );
  });

  it('resolves references and decides which target groups carry WebSocket, saying why', () => {
    const c = config();
    const [lb] = c.loadBalancers;
    const [l] = c.listeners;
    const [r] = c.listenerRules;
    const [marked, plain] = c.targetGroups;
    assert.equal(l.loadBalancer, lb);
    assert.deepEqual(lb.listeners, [l]);
    assert.equal(l.targetGroupRefs[0].target, plain);
    assert.equal(r.listener, l);
    assert.equal(r.targetGroupRefs[0].target, marked);
    assert.deepEqual(marked.loadBalancers, [lb]);
    assert.deepEqual(marked.rules, [r]);
    assert.deepEqual(
      r.pathPatterns.map((p) => p.known),
      [true, false],
    );
    assert.equal(marked.websocket.carries, true);
    assert.deepEqual(marked.websocket.reasons, [
      'marked with `# wslb: websocket`',
      'listener rule aws_lb_listener_rule.r routes /cable here',
    ]);
    assert.deepEqual(plain.websocket, { carries: false, reasons: [] });
  });

  it('takes variables from the other .tf files of the same directory only', () => {
    const res = `resource "aws_lb_target_group" "ws" {\n  deregistration_delay = var.d\n}\n`;
    const same = buildAwsConfig([
      { path: '/m/lb.tf', text: res },
      { path: '/m/variables.tf', text: 'variable "d" {\n  default = 10\n}\n' },
    ]);
    assert.ok(same.targetGroups[0].deregistrationDelay.known && same.targetGroups[0].deregistrationDelay.value === 10);
    const other = buildAwsConfig([
      { path: '/m/lb.tf', text: res },
      { path: '/other/variables.tf', text: 'variable "d" {\n  default = 10\n}\n' },
    ]);
    assert.equal(other.targetGroups[0].deregistrationDelay.known, false);
  });

  it('reports syntax errors with a position and keeps going', () => {
    const text = 'resource "aws_lb" "x" {\n  idle_timeout = \n  name = "a"\n';
    const c = buildAwsConfig([{ path: '/m/bad.tf', text }]);
    assert.ok(c.diagnostics.length > 0);
    for (const d of c.diagnostics) {
      assert.equal(d.code, 'aws/syntax');
      assert.match(d.message, /^Terraform syntax error/);
      assert.ok(d.start >= 0 && d.end <= text.length);
    }
    assert.equal(
      new LineIndex(text).positionAt(c.diagnostics[0].start).line > 0,
      true,
      'points into the file, not at 0:0',
    );
  });

  it('survives garbage without throwing', () => {
    for (const text of ['{{{{', '"unterminated', 'resource "aws_lb" {', '\u0000\u0001', '}'.repeat(1000)]) {
      const c = buildAwsConfig([{ path: '/m/x.tf', text }]);
      assert.ok(Array.isArray(c.diagnostics));
    }
  });
});

const YAML_TEMPLATE = `Parameters:
  Delay:
    Type: Number
    Default: 20
  NoDefault:
    Type: Number
Resources:
  Alb:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties:
      Name: !Sub "\${AWS::StackName}-alb"
  Tg:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties:
      Name: realtime
      Protocol: HTTP
      TargetGroupAttributes:
        - Key: deregistration_delay.timeout_seconds
          Value: !Ref Delay
        - Key: slow_start.duration_seconds
          Value: !Ref NoDefault
        - Key: load_balancing.algorithm.type
          Value: !If [Cond, round_robin, least_outstanding_requests]
  Listener:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      LoadBalancerArn: !GetAtt Alb.LoadBalancerArn
      DefaultActions:
        - Type: forward
          ForwardConfig:
            TargetGroups:
              - TargetGroupArn: !Ref Tg
  Rule:
    Type: AWS::ElasticLoadBalancingV2::ListenerRule
    Properties:
      ListenerArn: !Ref Listener
      Conditions:
        - Field: path-pattern
          Values: [/socket.io/*]
      Actions:
        - Type: forward
          TargetGroupArn: !Ref Tg
  Bucket:
    Type: AWS::S3::Bucket
`;

describe('AWS model: CloudFormation', () => {
  it('YAML with short-form intrinsics: parameter defaults known, other intrinsics unknown, references resolved', () => {
    const c = buildAwsConfig([{ path: '/t/stack.yaml', text: YAML_TEMPLATE }]);
    assert.deepEqual(c.diagnostics, []);
    assert.deepEqual(
      [c.loadBalancers.length, c.targetGroups.length, c.listeners.length, c.listenerRules.length],
      [1, 1, 1, 1],
    );
    const tg = c.targetGroups[0];
    assert.ok(
      tg.deregistrationDelay.known &&
        tg.deregistrationDelay.value === 20 &&
        tg.deregistrationDelay.origin === 'variable-default',
    );
    assert.equal(tg.slowStart.known, false);
    assert.equal(tg.algorithm.known, false);
    assert.equal(c.loadBalancers[0].name?.known, false);
    assert.equal(c.listeners[0].loadBalancer, c.loadBalancers[0], '!GetAtt X.Attr names X');
    assert.equal(c.listeners[0].targetGroupRefs[0].target, tg, 'ForwardConfig target groups');
    assert.equal(c.listenerRules[0].listener, c.listeners[0]);
    assert.equal(tg.websocket.carries, true);
    assert.equal(YAML_TEMPLATE.slice(tg.nameSpan.start, tg.nameSpan.end), 'Tg');
  });

  it('JSON templates with long-form intrinsics', () => {
    const json = JSON.stringify(
      {
        Parameters: { Idle: { Type: 'Number', Default: '75' } },
        Resources: {
          Lb: {
            Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
            Properties: { LoadBalancerAttributes: [{ Key: 'idle_timeout.timeout_seconds', Value: { Ref: 'Idle' } }] },
          },
          Nlb: { Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', Properties: { Type: 'network' } },
          L: {
            Type: 'AWS::ElasticLoadBalancingV2::Listener',
            Properties: { LoadBalancerArn: { 'Fn::GetAtt': ['Nlb', 'LoadBalancerArn'] }, Protocol: 'TCP' },
          },
        },
      },
      null,
      2,
    );
    const c = buildAwsConfig([{ path: '/t/stack.json', text: json }]);
    assert.equal(c.files[0].format, 'cloudformation-json');
    const lb = c.loadBalancers.find((x) => x.logicalName === 'Lb')!;
    assert.ok(lb.idleTimeout?.known && lb.idleTimeout.value === 75);
    const nlb = c.loadBalancers.find((x) => x.logicalName === 'Nlb')!;
    assert.equal(nlb.idleTimeout, null, 'no ALB idle timeout on an NLB');
    const l = c.listeners[0];
    assert.equal(l.loadBalancer, nlb);
    assert.ok(l.tcpIdleTimeout?.known && l.tcpIdleTimeout.value === 350 && l.tcpIdleTimeout.origin === 'aws-default');
  });

  it('broken YAML and JSON give positioned diagnostics, never a crash', () => {
    for (const [path, text] of [
      ['/t/a.yaml', 'Resources:\n  Tg:\n    Type: AWS::ElasticLoadBalancingV2::TargetGroup\n    Properties: [\n'],
      ['/t/b.json', '{ "Resources": { "Tg": { "Type": "AWS::ElasticLoadBalancingV2::TargetGroup", } '],
    ] as const) {
      const c = buildAwsConfig([{ path, text }]);
      assert.ok(c.diagnostics.length > 0, path);
      for (const d of c.diagnostics) {
        assert.equal(d.code, 'aws/syntax');
        assert.ok(d.start >= 0 && d.start <= text.length, `${path}: ${d.start}`);
      }
    }
  });

  it('accepts every CloudFormation short-form tag without errors or warnings', () => {
    const text = CFN_TAGS.map((t, i) => `K${i}: ${t} x\nS${i}: ${t} [a, b]\n`).join('');
    const f = parseCfn(text, false);
    assert.deepEqual(f.diagnostics, []);
    assert.deepEqual(f.doc.warnings, []);
  });
});

describe('AWS detection', () => {
  it('claims only files that declare ALB/NLB resources', () => {
    assert.equal(detectConfigLanguage('/x/main.tf', TF), 'aws');
    assert.equal(detectConfigLanguage('/x/s3.tf', 'resource "aws_s3_bucket" "b" {\n  bucket = "x"\n}\n'), undefined);
    assert.equal(detectConfigLanguage('/x/stack.yaml', YAML_TEMPLATE), 'aws');
    assert.equal(detectConfigLanguage('/x/k8s.yaml', 'apiVersion: v1\nkind: Service\n'), undefined);
    assert.equal(detectConfigLanguage('/x/package.json', '{ "name": "x" }'), undefined);
    assert.equal(
      detectConfigLanguage(
        '/x/default.conf.template',
        'server {\n  listen 80;\n  location / {\n    proxy_pass http://a;\n  }\n}\n',
      ),
      'nginx',
    );
  });

  it('Terraform/JSON with many braces is never taken for nginx', () => {
    const tf = 'resource "aws_s3_bucket" "b" {\n  x = {\n  }\n}\nlocals {\n  y = {}\n}\n';
    assert.equal(detectLanguage('/x/a.tf', tf), undefined);
    assert.equal(detectLanguage('/x/a.json', '{\n "a": {\n }\n}\n'), undefined);
  });
});
