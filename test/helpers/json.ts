/**
 * Typed reads of the JSON files and outputs tests look at. `JSON.parse` gives `any`; these give
 * the shape the test relies on, so a typo in a field name is a type error rather than `undefined`.
 * The shapes are what the test reads, not a validation: a test still asserts what it cares about.
 */
import * as fs from 'node:fs';

/** `text` parsed as JSON, typed as `T`. */
export function parseJson<T>(text: string): T {
  return JSON.parse(text) as T;
}

/** The JSON file at `file`, typed as `T`. */
export function readJson<T>(file: string): T {
  return parseJson<T>(fs.readFileSync(file, 'utf8'));
}

export interface LanguageContribution {
  id: string;
  aliases?: string[];
  extensions?: string[];
  filenames?: string[];
  filenamePatterns?: string[];
  firstLine?: string;
  configuration?: string;
}

export interface GrammarContribution {
  language?: string;
  scopeName: string;
  injectTo?: string[];
  path: string;
  embeddedLanguages?: Record<string, string>;
}

export interface SettingContribution {
  default: unknown;
  markdownDescription?: string;
  description?: string;
  type: string;
}

/** The fields of the extension manifest (package.json) the tests read. */
export interface Manifest {
  name: string;
  version: string;
  main: string;
  icon: string;
  publisher?: string;
  license?: string;
  categories: string[];
  keywords: string[];
  repository?: { url?: string };
  activationEvents: string[];
  engines: { vscode: string; node?: string };
  scripts: Record<string, string>;
  capabilities: {
    untrustedWorkspaces: { supported: boolean | 'limited'; description?: string };
    virtualWorkspaces: { supported: boolean | 'limited'; description: string };
  };
  contributes: {
    languages: LanguageContribution[];
    grammars: GrammarContribution[];
    commands: { command: string; title: string; category?: string }[];
    menus: Record<string, { command: string; when?: string }[]>;
    configuration: { properties: Record<string, SettingContribution> };
    configurationDefaults?: unknown;
    codeActions?: { languages: string[]; actions: { kind: string; title: string; description?: string }[] }[];
  };
}

/** A package.json of a dependency: the fields the tests read. */
export interface PackageJson {
  name: string;
  version: string;
  engines?: Record<string, string>;
}

/** A TextMate grammar file: the fields the tests read. */
export interface TextMateGrammar {
  scopeName: string;
  patterns: unknown[];
}

/** A VS Code language-configuration.json: the fields the tests read. */
export interface LanguageConfiguration {
  comments?: { lineComment?: string };
  brackets: [string, string][];
  autoClosingPairs: { open: string; close: string }[];
  wordPattern: string;
  indentationRules: { increaseIndentPattern: string; decreaseIndentPattern: string };
}

/** A SARIF 2.1.0 region (1-based lines and columns). */
export interface SarifRegion {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

/** The parts of a SARIF 2.1.0 log (`wslb check --format sarif`) the tests read. */
export interface SarifLog {
  version: string;
  runs: {
    tool: { driver: { name: string; rules: { id: string }[] } };
    results: {
      ruleId: string;
      ruleIndex: number;
      level: string;
      message: { text: string };
      locations: { physicalLocation: { artifactLocation: { uri: string }; region: SarifRegion } }[];
      relatedLocations?: {
        id: number;
        physicalLocation: { artifactLocation: { uri: string }; region: SarifRegion };
        message: { text: string };
      }[];
      fixes?: {
        description: { text: string };
        artifactChanges: {
          artifactLocation: { uri: string };
          replacements: { deletedRegion: SarifRegion; insertedContent: { text: string } }[];
        }[];
      }[];
    }[];
  }[];
}
