/**
 * Protocol tests for AWS load balancers in Terraform and CloudFormation: the built server decides
 * by content (files that declare ALB/NLB resources), waits for the Terraform grammar to load,
 * publishes the AWS rules' findings, offers their fixes, hovers the attributes, and offers the
 * "Simulate balancing" CodeLens / wslb/pools on target groups (labelled as a model).
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CodeAction, CodeLens, Diagnostic, Hover, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { TestClient, fileUri, applyTextEdits } from './client';

const TF = `resource "aws_lb" "main" {
  name               = "chat"
  load_balancer_type = "application"
  idle_timeout       = 30
}

resource "aws_lb_target_group" "ws" {
  name                 = "chat-ws"
  port                 = 8080
  protocol             = "HTTP"
  deregistration_delay = var.delay
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.main.arn
  port              = 443
  protocol          = "HTTPS"
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.ws.arn
  }
}
`;

const VARS = `variable "delay" {
  default = 40
}
`;

const CFN_JSON = `{
  "Resources": {
    "ChatLb": {
      "Type": "AWS::ElasticLoadBalancingV2::LoadBalancer",
      "Properties": {
        "LoadBalancerAttributes": [{ "Key": "idle_timeout.timeout_seconds", "Value": "20" }]
      }
    },
    "WsTargetGroup": {
      "Type": "AWS::ElasticLoadBalancingV2::TargetGroup",
      "Properties": { "Name": "chat-ws", "Protocol": "HTTP", "Port": 8080 }
    },
    "Listener": {
      "Type": "AWS::ElasticLoadBalancingV2::Listener",
      "Properties": {
        "LoadBalancerArn": { "Ref": "ChatLb" },
        "Protocol": "HTTP",
        "Port": 80,
        "DefaultActions": [{ "Type": "forward", "TargetGroupArn": { "Ref": "WsTargetGroup" } }]
      }
    }
  }
}
`;

const OTHER_TF = `resource "aws_s3_bucket" "logs" {
  bucket = "chat-logs"
}
`;

let tmp = '';
function tmpFile(rel: string, text: string): string {
  const p = path.join(tmp, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text);
  return p;
}

const codes = (d: Diagnostic[]) => d.map((x) => String(x.code));

describe('language server: AWS load balancers (Terraform, CloudFormation)', function () {
  this.timeout(30_000);
  let c: TestClient;
  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wslb-lsp-aws-'));
    c = new TestClient();
    await c.initialize();
  });
  after(async () => {
    await c.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  const tfPath = () => path.join(tmp, 'infra', 'main.tf');

  it("checks a .tf that declares load balancers as soon as it opens (the grammar loads first), with the module's variables", async () => {
    tmpFile('infra/variables.tf', VARS);
    const uri = fileUri(tmpFile('infra/main.tf', TF));
    c.open(uri, 'terraform', TF);
    const d = await c.waitDiagnostics(
      uri,
      (x) => codes(x).includes('aws/alb-idle-timeout') && codes(x).includes('aws/ws-deregistration-delay'),
    );
    const idle = d.find((x) => x.code === 'aws/alb-idle-timeout')!;
    assert.equal(idle.severity, 1);
    assert.equal(idle.range.start.line, 3);
    const dereg = d.find((x) => x.code === 'aws/ws-deregistration-delay')!;
    assert.match(typeof dereg.message === 'string' ? dereg.message : dereg.message.value, /\b40 s\b/);
  });

  it("hovers an attribute with the AWS facts and this config's value against the heartbeat", async () => {
    const uri = fileUri(tfPath());
    const h = await c.request<Hover | null>('textDocument/hover', {
      textDocument: { uri },
      position: { line: 3, character: 4 },
    });
    const md = (h!.contents as { value: string }).value;
    assert.match(md, /### `idle_timeout` — Connection idle timeout/);
    assert.match(md, /\*\*AWS default:\*\* 60 s · \*\*Allowed:\*\* 1–4000 s/);
    assert.match(md, /`30` — written here/);
    assert.match(md, /at or below the 30 s heartbeat/);
    assert.match(md, /docs\.aws\.amazon\.com/);
    assert.deepEqual(h!.range, { start: { line: 3, character: 2 }, end: { line: 3, character: 25 } });
    const v = await c.request<Hover | null>('textDocument/hover', {
      textDocument: { uri },
      position: { line: 10, character: 4 },
    });
    assert.match((v!.contents as { value: string }).value, /`40` — the default of `var\.delay` \(variables\.tf:2\)/);
  });

  it('offers a CodeLens and wslb/pools on the target group, labelled as a model', async () => {
    const uri = fileUri(tfPath());
    const lenses = await c.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    assert.equal(lenses.length, 1);
    assert.equal(lenses[0].range.start.line, 6);
    assert.equal(lenses[0].command?.command, 'wslb.simulate');
    assert.match(lenses[0].command.title, /^Simulate balancing \(model of AWS round_robin, 3 placeholder targets\)$/);
    assert.deepEqual(lenses[0].command.arguments, [{ uri, pool: 'chat-ws' }]);
    const pools = await c.request<{
      pools: {
        name: string;
        system: string;
        algorithm: string;
        servers: unknown[];
        aws?: { deregistrationDelayMs?: number; placeholderTargets?: boolean };
        range: { start: { line: number } };
      }[];
    }>('wslb/pools', { uri });
    assert.equal(pools.pools.length, 1);
    const p = pools.pools[0];
    assert.deepEqual(
      [
        p.name,
        p.system,
        p.algorithm,
        p.servers.length,
        p.aws?.deregistrationDelayMs,
        p.aws?.placeholderTargets,
        p.range.start.line,
      ],
      ['chat-ws', 'aws', 'round_robin', 3, 40_000, true, 6],
    );
  });

  it('quick fix edits the HCL in place; the finding goes away', async () => {
    const uri = fileUri(tfPath());
    const d = (await c.waitDiagnostics(uri)).find((x) => x.code === 'aws/alb-idle-timeout')!;
    const actions = await c.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: d.range,
      context: { diagnostics: [d] },
    });
    const fix = actions.find((a) => a.isPreferred && a.diagnostics?.[0]?.code === 'aws/alb-idle-timeout');
    assert.ok(fix?.edit, JSON.stringify(actions.map((a) => a.title)));
    assert.ok(
      actions.some((a) => a.title === 'Disable aws/alb-idle-timeout for this line'),
      'HCL has # comments',
    );
    const after = applyTextEdits(TF, fix.edit.changes![uri]);
    assert.doesNotMatch(after, /idle_timeout\s*=\s*30\b/);
    assert.equal(after.split('\n').length, TF.split('\n').length, 'layout kept');
    c.replace(uri, after, TF);
    await c.waitDiagnostics(uri, (x) => !codes(x).includes('aws/alb-idle-timeout'));
  });

  it('re-checks the module when a variable file that is not ours changes', async () => {
    const main = fileUri(tfPath());
    const vars = fileUri(path.join(tmp, 'infra', 'variables.tf'));
    c.open(vars, 'terraform', VARS);
    const more = VARS.replace('40', '3600');
    c.replace(vars, more, VARS);
    await c.waitDiagnostics(main, (x) => !codes(x).includes('aws/ws-deregistration-delay'));
    const varDiags = c.diagnostics.get(vars)?.diagnostics ?? [];
    assert.deepEqual(varDiags, []);
  });

  it('leaves other Terraform alone: no diagnostics, hover or lens for a file without load balancers', async () => {
    const uri = fileUri(tmpFile('other/s3.tf', OTHER_TF));
    c.open(uri, 'terraform', OTHER_TF);
    // Give the server a moment, then make sure it said nothing about the file.
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(c.diagnostics.get(uri)?.diagnostics.length ?? 0, 0);
    assert.equal(
      await c.request<Hover | null>('textDocument/hover', {
        textDocument: { uri },
        position: { line: 1, character: 4 },
      }),
      null,
    );
    assert.deepEqual(await c.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } }), []);
  });

  it('a file that gains a load balancer while edited becomes ours', async () => {
    const uri = fileUri(path.join(tmp, 'other', 's3.tf'));
    const text = OTHER_TF + `# wslb: websocket\nresource "aws_alb" "x" {\n  idle_timeout = 10\n}\n`;
    c.replace(uri, text, OTHER_TF);
    await c.waitDiagnostics(uri, (x) => codes(x).includes('aws/alb-idle-timeout'));
  });

  it('CloudFormation JSON: diagnostics and fixes, but no "disable" comment actions (JSON has no comments)', async () => {
    const uri = fileUri(tmpFile('cfn/stack.json', CFN_JSON));
    c.open(uri, 'json', CFN_JSON);
    const d = await c.waitDiagnostics(uri, (x) => codes(x).includes('aws/alb-idle-timeout'));
    const f = d.find((x) => x.code === 'aws/alb-idle-timeout')!;
    const actions = await c.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: f.range,
      context: { diagnostics: [f] },
    });
    assert.ok(actions.some((a) => a.isPreferred));
    assert.ok(!actions.some((a) => /^Disable /.test(a.title)), JSON.stringify(actions.map((a) => a.title)));
    const after = applyTextEdits(CFN_JSON, (actions.find((a) => a.isPreferred)!.edit as WorkspaceEdit).changes![uri]);
    assert.doesNotThrow(() => JSON.parse(after));
  });
});
