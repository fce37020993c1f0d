-- Headless Neovim (0.7+) as a third-party LSP client of the wslb server.
-- Environment: WSLB_SERVER (path of dist/server/server.js), WSLB_FIXTURE (config to open),
-- WSLB_FILETYPE (nginx|haproxy), WSLB_OUT (where to write the result as JSON),
-- WSLB_TIMEOUT_MS (default 15000).
-- Writes { diagnostics = [...], attached = bool, error = string|nil } and quits.
local server = os.getenv('WSLB_SERVER')
local fixture = os.getenv('WSLB_FIXTURE')
local filetype = os.getenv('WSLB_FILETYPE') or 'nginx'
local out = os.getenv('WSLB_OUT')
local timeout = tonumber(os.getenv('WSLB_TIMEOUT_MS') or '15000')

local function finish(result)
  local f = io.open(out, 'w')
  f:write(vim.fn.json_encode(result))
  f:close()
  vim.cmd('qall!')
end

local ok, err = pcall(function()
  vim.cmd('edit ' .. vim.fn.fnameescape(fixture))
  local bufnr = vim.api.nvim_get_current_buf()
  vim.bo[bufnr].filetype = filetype
  local client_id = vim.lsp.start_client({
    name = 'wslb',
    cmd = { 'node', server, '--stdio' },
    root_dir = vim.fn.fnamemodify(fixture, ':p:h'),
    -- answered by Neovim's workspace/configuration handler (section "wslb")
    settings = { wslb = { debounceMs = 20, checkWorkspace = false } },
  })
  if not client_id then
    finish({ attached = false, diagnostics = {}, error = 'start_client failed' })
    return
  end
  local attached = vim.lsp.buf_attach_client(bufnr, client_id)
  vim.wait(timeout, function()
    return #vim.diagnostic.get(bufnr) > 0
  end, 50)
  local diags = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    local lsp = (d.user_data and d.user_data.lsp) or {}
    table.insert(diags, {
      lnum = d.lnum,
      col = d.col,
      end_lnum = d.end_lnum,
      end_col = d.end_col,
      severity = d.severity,
      message = d.message,
      source = d.source,
      code = d.code or lsp.code,
    })
  end
  local client = vim.lsp.get_client_by_id(client_id)
  local name = client and client.server_capabilities and 'wslb' or nil
  vim.lsp.stop_client(client_id)
  finish({ attached = attached, server = name, diagnostics = diags })
end)
if not ok then
  finish({ attached = false, diagnostics = {}, error = tostring(err) })
end
