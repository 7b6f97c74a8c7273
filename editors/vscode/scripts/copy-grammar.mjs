// Copies the repository's TextMate grammar (grammar/evaldsl.tmLanguage.json, the one source) into the extension,
// so the packaged extension highlights exactly as the grammar tests check. Run by vscode:prepublish.
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const source = join(here, "..", "..", "..", "grammar", "evaldsl.tmLanguage.json");
const target = join(here, "..", "syntaxes", "evaldsl.tmLanguage.json");
mkdirSync(dirname(target), { recursive: true });
copyFileSync(source, target);
