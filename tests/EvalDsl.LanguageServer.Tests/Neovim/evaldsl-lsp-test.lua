-- Drives Neovim's built-in LSP client against `evaldsl lsp`, headless, the way docs/LSP.md configures it:
-- opens a spec with mistakes, waits for the diagnostics, asks for a hover, a completion and a code action,
-- applies the code action, waits for the diagnostics to follow, and writes what it saw to a file that the
-- xunit test (NeovimTests.cs) asserts whole. Inputs come from the environment:
--   NVIM_TEST_SERVER  the evaldsl.dll to run (`dotnet evaldsl.dll lsp`)
--   NVIM_TEST_SPEC    the spec to open
--   NVIM_TEST_RESULT  where to write the results
local server = assert(os.getenv("NVIM_TEST_SERVER"), "NVIM_TEST_SERVER is not set")
local spec = assert(os.getenv("NVIM_TEST_SPEC"), "NVIM_TEST_SPEC is not set")
local result_path = assert(os.getenv("NVIM_TEST_RESULT"), "NVIM_TEST_RESULT is not set")
local out = {}
local function say(line) table.insert(out, line) end
local function finish(code)
  local file = assert(io.open(result_path, "w"))
  file:write(table.concat(out, "\n") .. "\n")
  file:close()
  vim.cmd((code == 0) and "qa!" or "cquit " .. code)
end
local function fail(message)
  say("FAILED: " .. message)
  finish(1)
end

vim.cmd("edit " .. vim.fn.fnameescape(spec))
local buf = vim.api.nvim_get_current_buf()
vim.bo[buf].filetype = "evaldsl"

-- The configuration of docs/LSP.md. vim.lsp.start (Neovim 0.8 and later) finds or starts the client and attaches
-- the buffer; on Neovim 0.7 (Debian 12's package) start_client and buf_attach_client do the same.
local config = {
  name = "evaldsl",
  cmd = { "dotnet", server, "lsp" },
  root_dir = vim.fn.fnamemodify(spec, ":p:h"),
}
local client_id
if vim.lsp.start then
  client_id = vim.lsp.start(config)
else
  client_id = vim.lsp.start_client(config)
  vim.lsp.buf_attach_client(buf, client_id)
end
if not client_id then return fail("the client did not start") end

local function diagnostics()
  local list = vim.diagnostic.get(buf)
  table.sort(list, function(a, b) return a.lnum == b.lnum and a.col < b.col or a.lnum < b.lnum end)
  return list
end
if not vim.wait(60000, function() return #diagnostics() > 0 end, 50) then return fail("no diagnostics within 60 s") end
for _, d in ipairs(diagnostics()) do
  say(string.format("diagnostic %d:%d-%d:%d %s %s: %s", d.lnum + 1, d.col + 1, d.end_lnum + 1, d.end_col + 1,
    vim.diagnostic.severity[d.severity], d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code) or "?", d.message))
end

local uri = vim.uri_from_bufnr(buf)
local function request(method, params)
  local responses, err = vim.lsp.buf_request_sync(buf, method, params, 30000)
  if not responses then return nil, err end
  for _, response in pairs(responses) do
    if response.err then return nil, vim.inspect(response.err) end
    return response.result
  end
end
local function find(pattern)
  for i, line in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
    local col = line:find(pattern, 1, true)
    if col then return i - 1, col - 1 end
  end
  error("not in the buffer: " .. pattern)
end

-- Hover on the data set after `for each`: its declaration.
local line, col = find("for each claims")
local hover, err = request("textDocument/hover", { textDocument = { uri = uri }, position = { line = line, character = col + 9 } })
if not hover then return fail("no hover: " .. tostring(err)) end
say("hover " .. hover.contents.value:gsub("\n", "\\n"))

-- Completion after `with an`: the persona declared in the other file, replacing what was typed.
line, col = find("with anxius")
local completion, err2 = request("textDocument/completion", { textDocument = { uri = uri }, position = { line = line, character = col + 7 } })
if not completion then return fail("no completion: " .. tostring(err2)) end
for _, item in ipairs(completion.items or completion) do
  local r = item.textEdit.range
  say(string.format("completion %s (%s) replaces %d:%d-%d:%d", item.label, item.detail, r.start.line + 1, r.start.character + 1, r["end"].line + 1, r["end"].character + 1))
end

-- Code actions on the persona's line; the preferred one ("Did you mean") is applied to the buffer.
line = find("with anxius")
local actions, err3 = request("textDocument/codeAction", {
  textDocument = { uri = uri },
  range = { start = { line = line, character = 0 }, ["end"] = { line = line, character = 0 } },
  context = { diagnostics = {} },
})
if not actions then return fail("no code actions: " .. tostring(err3)) end
local preferred
for _, action in ipairs(actions) do
  say("code action " .. action.title .. (action.isPreferred and " (preferred)" or ""))
  if action.isPreferred then preferred = preferred or action end
end
if not preferred then return fail("no preferred code action") end
vim.lsp.util.apply_workspace_edit(preferred.edit, "utf-16")

-- The edit reaches the server as an incremental didChange; the persona's diagnostic goes.
local function has_persona_diagnostic()
  for _, d in ipairs(diagnostics()) do
    if d.code == "EVAL0103" then return true end
  end
  return false
end
if not vim.wait(60000, function() return not has_persona_diagnostic() end, 50) then return fail("EVAL0103 still reported after the fix") end
for _, d in ipairs(diagnostics()) do
  say(string.format("after the fix %d:%d %s", d.lnum + 1, d.col + 1, d.code or "?"))
end
say("buffer:")
for _, l in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do say(l) end

vim.lsp.stop_client(client_id)
finish(0)
