// The EvalDsl extension's client: starts `evaldsl lsp` (the language server that ships in the evaldsl tool) over
// stdio for .eval files. Highlighting, snippets and the language configuration are declarative (package.json).
import * as vscode from "vscode";
import {
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  State,
  TransportKind,
} from "vscode-languageclient/node";

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  context.subscriptions.push(
    vscode.commands.registerCommand("evaldsl.restartServer", async () => {
      await stop();
      await start(context);
    }),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration("evaldsl.server")) {
        await stop();
        await start(context);
      }
    }),
  );
  await start(context);
}

export async function deactivate(): Promise<void> {
  await stop();
}

/** The command and arguments that start the server, from the settings. */
export function serverCommand(configuration: vscode.WorkspaceConfiguration): { command: string; args: string[] } {
  const path = configuration.get<string>("server.path", "evaldsl").trim() || "evaldsl";
  const extra = configuration.get<string[]>("server.args", []);
  return { command: path, args: ["lsp", ...extra] };
}

async function start(context: vscode.ExtensionContext): Promise<void> {
  const { command, args } = serverCommand(vscode.workspace.getConfiguration("evaldsl"));
  const serverOptions: ServerOptions = {
    run: { command, args, transport: TransportKind.stdio },
    debug: { command, args, transport: TransportKind.stdio },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "evaldsl" },
      { scheme: "untitled", language: "evaldsl" },
    ],
    synchronize: {
      // Specs bind together, and .editorconfig / evaldsl.json change severities and data roots.
      fileEvents: [
        vscode.workspace.createFileSystemWatcher("**/*.eval"),
        vscode.workspace.createFileSystemWatcher("**/.editorconfig"),
        vscode.workspace.createFileSystemWatcher("**/evaldsl.json"),
      ],
    },
  };

  const created = new LanguageClient("evaldsl", "EvalDsl Language Server", serverOptions, clientOptions);
  client = created;
  try {
    await created.start();
  } catch (error) {
    client = undefined;
    const message = error instanceof Error ? error.message : String(error);
    const choice = await vscode.window.showErrorMessage(
      `EvalDsl: could not start '${command} ${args.join(" ")}' (${message}). Install the evaldsl tool ` +
        "(dotnet tool install -g EvalDsl.Cli) or set evaldsl.server.path to its full path.",
      "Open Settings",
    );
    if (choice === "Open Settings") {
      await vscode.commands.executeCommand("workbench.action.openSettings", "evaldsl.server.path");
    }
    return;
  }
  context.subscriptions.push({ dispose: () => void stop() });
}

async function stop(): Promise<void> {
  const running = client;
  client = undefined;
  if (running && running.state !== State.Stopped) {
    await running.stop();
  }
}
