/**
 * Which documents are wslb's: nginx/HAProxy by language id, Terraform/CloudFormation files that
 * declare AWS load balancers by content (client/src/logic.ts isAwsDocument), and .conf/.cfg files
 * no other extension claimed, recognised by content and given the nginx or HAProxy language.
 */
import * as vscode from 'vscode';
import { detectLanguage } from '../../../server/src/service/detect';
import { declaresAwsLoadBalancer } from '../../../server/src/service/aws-detect';
import { settingDefault } from '../../../common/settings';
import { detectionTarget, isAwsDocument } from '../logic';
import { LANGUAGES } from './status';

const AWS_CHANGE_LANGUAGES = new Set(['terraform', 'yaml', 'json', 'plaintext']);

/**
 * AWS documents: a .tf/.yaml/.json that declares load balancers (two regular expressions; the
 * first 200k characters are enough). Any other Terraform/YAML/JSON never starts the server.
 */
export const isAws = (d: vscode.TextDocument): boolean =>
  isAwsDocument(d.uri.path, d.languageId, d.getText().slice(0, 200_000), declaresAwsLoadBalancer);

export const isOurs = (d: vscode.TextDocument): boolean => LANGUAGES.includes(d.languageId) || isAws(d);

const setAwsContext = (): void =>
  void vscode.commands.executeCommand(
    'setContext',
    'wslb.awsDocument',
    !!vscode.window.activeTextEditor && isAws(vscode.window.activeTextEditor.document),
  );

/** Starts the server for the first document of ours, and keeps the `wslb.awsDocument` context. */
export function startForDocuments(server: { started: boolean; ensureStarted(): Promise<void> }): vscode.Disposable[] {
  const listeners = [
    vscode.workspace.onDidOpenTextDocument((d) => {
      if (isOurs(d)) void server.ensureStarted();
    }),
    // A resource typed into a YAML/Terraform file makes it ours.
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (!AWS_CHANGE_LANGUAGES.has(e.document.languageId) || !e.contentChanges.some((c) => /aws/i.test(c.text)))
        return;
      if (!server.started && isAws(e.document)) void server.ensureStarted();
      if (e.document === vscode.window.activeTextEditor?.document) setAwsContext();
    }),
    vscode.window.onDidChangeActiveTextEditor(() => setAwsContext()),
  ];
  setAwsContext();
  if (vscode.workspace.textDocuments.some(isOurs)) void server.ensureStarted();
  return listeners;
}

/** Content detection for the .conf / .cfg files open now and opened later. */
export function detectContent(log: (s: string) => void): vscode.Disposable {
  const detect = (doc: vscode.TextDocument) => {
    if (
      !vscode.workspace.getConfiguration('wslb', doc.uri).get<boolean>('detectContent', settingDefault('detectContent'))
    )
      return;
    const sample = doc.lineCount > 5000 ? doc.getText(new vscode.Range(0, 0, 5000, 0)) : doc.getText();
    const target = detectionTarget(doc.uri.path, doc.languageId, sample, detectLanguage);
    if (!target) return;
    log(`${vscode.workspace.asRelativePath(doc.uri)} looks like ${target}; treating it as ${target}`);
    void vscode.languages
      .setTextDocumentLanguage(doc, target)
      .then(undefined, (e) => log(`setTextDocumentLanguage: ${String(e)}`));
  };
  const listener = vscode.workspace.onDidOpenTextDocument(detect);
  for (const doc of vscode.workspace.textDocuments) detect(doc);
  return listener;
}
