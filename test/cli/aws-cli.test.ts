/** `wslb check` over Terraform and CloudFormation: what it picks up, exit codes, JSON fixes, the built binary. */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO, runCli, tmpdirWith } from '../helpers/cli';
import { initAwsParsers } from '../../server/src/service';
import { readsTerraform } from '../../server/src/cli/wslb';

const run = runCli;
const tmpdir = (files: Record<string, string>): string => tmpdirWith(files, 'wslb-aws-');

const MAIN_TF = `resource "aws_lb" "main" {
  idle_timeout = var.idle
}

resource "aws_lb_target_group" "ws" {
  port                 = 8080
  protocol             = "HTTP"
  deregistration_delay = 3600
  slow_start           = 60
  stickiness {
    type = "lb_cookie"
  }
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

const FILES = {
  'infra/main.tf': MAIN_TF,
  'infra/variables.tf': 'variable "idle" {\n  default = 50\n}\n',
  'infra/s3.tf': 'resource "aws_s3_bucket" "b" {\n  bucket = "x"\n}\n',
  'stack/realtime.yaml':
    'Resources:\n  WsTargetGroup:\n    Type: AWS::ElasticLoadBalancingV2::TargetGroup\n    Properties:\n      Protocol: HTTP\n      TargetGroupAttributes:\n        - Key: deregistration_delay.timeout_seconds\n          Value: "10"\n        - Key: slow_start.duration_seconds\n          Value: "30"\n        - Key: stickiness.enabled\n          Value: "true"\n',
  'k8s/service.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: ws\n',
  'package.json': '{ "name": "x", "version": "1.0.0" }\n',
};

describe('wslb check on AWS configs', () => {
  before(() => initAwsParsers());

  it('checking one .tf file reports that file only: its siblings are context (variables), not the report', () => {
    const dir = tmpdir({
      'm/main.tf': 'resource "aws_lb" "main" {\n  idle_timeout = var.idle\n}\n',
      'm/variables.tf': 'variable "idle" {\n  default = 50\n}\n',
      'm/tg.tf':
        '# wslb: websocket\nresource "aws_lb_target_group" "ws" {\n  protocol             = "HTTP"\n  deregistration_delay = 10\n}\n',
    });
    const files = (args: string[]) =>
      (JSON.parse(run(['check', ...args, '--format', 'json']).out) as { file: string; code: string }[]).map(
        (f) => `${path.relative(dir, f.file)} ${f.code}`,
      );
    assert.deepEqual(files([path.join(dir, 'm/tg.tf')]).sort(), [
      'm/tg.tf aws/ws-deregistration-delay',
      'm/tg.tf aws/ws-no-slow-start',
    ]);
    assert.deepEqual(
      files([path.join(dir, 'm')]).filter((f) => !f.startsWith('m/tg.tf')),
      [],
    );
    assert.ok(files([path.join(dir, 'm')]).includes('m/tg.tf aws/ws-deregistration-delay'));
  });

  it('checks only files that declare ALB/NLB resources, with module variables, and exits by severity', () => {
    const dir = tmpdir(FILES);
    const r = run(['check', dir, '--format', 'json']);
    assert.equal(r.code, 0, r.err);
    const findings = JSON.parse(r.out) as {
      file: string;
      code: string;
      severity: string;
      fixes: { edits: { newText: string }[] }[];
    }[];
    assert.deepEqual(
      findings.map((f) => `${path.relative(dir, f.file)} ${f.code} ${f.severity}`),
      ['infra/main.tf aws/alb-idle-timeout warning', 'stack/realtime.yaml aws/ws-deregistration-delay warning'],
    );
    assert.ok(findings.every((f) => f.fixes.length === 1 && f.fixes[0].edits.length === 1));
    assert.equal(findings[0].fixes[0].edits[0].newText, '3600');
    const strict = run(['check', dir, '--heartbeat', '50s']);
    assert.equal(strict.code, 1);
    assert.match(
      strict.out,
      /main\.tf:2:3 error aws\/alb-idle-timeout ALB aws_lb\.main idle timeout 50 s \(var\.idle\)/,
    );
  });

  it('a single .tf file still takes its module variables from the directory', () => {
    const dir = tmpdir(FILES);
    const r = run(['check', path.join(dir, 'infra/main.tf'), '--format', 'json']);
    assert.deepEqual(
      (JSON.parse(r.out) as { code: string }[]).map((f) => f.code),
      ['aws/alb-idle-timeout'],
    );
  });

  it('broken Terraform gives a positioned syntax error, not a crash', () => {
    const dir = tmpdir({ 'main.tf': 'resource "aws_lb" "x" {\n  idle_timeout = \n' });
    const r = run(['check', dir]);
    assert.equal(r.code, 1, r.err);
    assert.match(r.out, /main\.tf:\d+:\d+ error aws\/syntax Terraform syntax error/);
  });

  it('--language aws ignores nginx files; nothing found is said on stderr', () => {
    const dir = tmpdir({ 'nginx.conf': 'events {}\nhttp { server { listen 80; } }\n' });
    const r = run(['check', dir, '--language', 'aws']);
    assert.equal(r.code, 0);
    assert.match(r.err, /nor Terraform\/CloudFormation/);
    assert.equal(run(['check', dir, '--language', 'terraform']).code, 2);
  });

  it('analysing Terraform before initAwsParsers() fails with a clear message', () => {
    const code = `const { createLanguageService } = require('./server/src/service');
try { createLanguageService().analyzeAws([{ path: '/m/a.tf', text: 'resource "aws_lb" "x" {}\\n' }]); console.log('no error'); }
catch (e) { console.log(e.message); }`;
    const r = spawnSync(process.execPath, ['-r', 'tsx/cjs', '-e', code], {
      cwd: REPO,
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.match(r.stdout, /not initialised; await initAwsParsers\(\)/, r.stderr);
  });

  it('the Terraform grammar is loaded only for a run that reads a .tf file', () => {
    const dir = tmpdir({ ...FILES, 'nginx/nginx.conf': 'events {}\n' });
    const io = { out: () => undefined, err: () => undefined, cwd: dir, isTTY: false };
    assert.equal(readsTerraform(['check'], io), true);
    assert.equal(readsTerraform(['check', 'infra'], io), true);
    assert.equal(readsTerraform(['check', '--format', 'json', 'infra/main.tf'], io), true);
    assert.equal(readsTerraform(['check', 'nginx'], io), false);
    assert.equal(readsTerraform(['check', '--format', 'json', 'nginx/nginx.conf'], io), false);
    assert.equal(readsTerraform(['simulate', 'infra/main.tf', '--pool', 'x'], io), true);
    assert.equal(readsTerraform(['simulate', 'nginx/nginx.conf'], io), false);
    assert.equal(readsTerraform(['check', '--no-such-flag', 'infra'], io), false);
    assert.equal(readsTerraform(['rules'], io), false);
  });

  it('the built binary loads the wasm grammar from dist/wasm and checks the AWS examples', function () {
    this.timeout(180_000);
    const bin = path.join(REPO, 'dist/cli/wslb.js');
    if (!fs.existsSync(bin) || !fs.existsSync(path.join(REPO, 'dist/wasm/tree-sitter-terraform.wasm')))
      spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO });
    const r = spawnSync(process.execPath, [bin, 'check', 'examples/aws'], { cwd: REPO, encoding: 'utf8' });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stdout, /examples\/aws\/terraform\/main\.tf:\d+:\d+ error aws\/alb-idle-timeout/);
    assert.doesNotMatch(r.stdout + r.stderr, /internal error|not initialised/);
    // The CloudFormation example silences its deregistration finding with a YAML comment.
    assert.doesNotMatch(r.stdout, /realtime\.yaml.*aws\/ws-deregistration-delay/);
  });
});
