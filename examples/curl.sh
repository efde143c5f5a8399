#!/usr/bin/env bash
# `hearth serve` from the shell: its OpenAI-compatible API with nothing but curl.
#
#   hearth serve --model MODEL.gguf --mcp-config examples/mcp-config.stdio.json
#   bash examples/curl.sh "What's the weather in Paris?"
#
# Environment:
#   HEARTH_URL      the server (default http://127.0.0.1:1234)
#   HEARTH_API_KEY  sent as "Authorization: Bearer ..." when set (needed when the server has a key)
#   HEARTH_MODEL    the model id (default: the first one GET /v1/models lists)
#
# The model calls the MCP tools of the server's mcp-config.json by itself: the answer's
# choices[0].message.tool_calls lists the calls that ran, and Hearth's extension
# choices[0].message.mcp_tool_results their results. A request may pick tools and the
# approval policy with Hearth's extension field, for example
#   "mcp": {"allowed_tools": ["get_weather"], "approval": "deny"}
# Everything is printed raw, so what the server sends is what you see.
set -euo pipefail

url="${HEARTH_URL:-http://127.0.0.1:1234}"
url="${url%/}"
default_question="What's the weather in Paris?"
question="${1:-$default_question}"

# Every request carries the API key when there is one.
auth=()
if [[ -n "${HEARTH_API_KEY:-}" ]]; then
  auth=(-H "Authorization: Bearer ${HEARTH_API_KEY}")
fi

# curl with the key, quiet but showing errors; an HTTP error status prints the body and fails.
call() {
  curl -sS --fail-with-body ${auth[@]+"${auth[@]}"} "$@"
}

# A string as a JSON string literal (backslashes, quotes and control characters escaped).
json_string() {
  local s="$1"
  s="${s//\\/\\\\}"
  s="${s//\"/\\\"}"
  s="${s//$'\n'/\\n}"
  s="${s//$'\r'/\\r}"
  s="${s//$'\t'/\\t}"
  printf '"%s"' "$s"
}

# 1. GET /health: whether the server is up, and the state of its model and MCP servers.
echo "### GET /health"
call "$url/health"
echo

# The model: HEARTH_MODEL, or the first "id" in GET /v1/models ({"object":"list","data":[{"id":...}]}).
model="${HEARTH_MODEL:-}"
if [[ -z "$model" ]]; then
  models="$(call "$url/v1/models")"
  ids="$(grep -o '"id"[[:space:]]*:[[:space:]]*"[^"]*"' <<<"$models" || true)"
  first="${ids%%$'\n'*}"  # the first match
  first="${first%\"}"     # drop the closing quote...
  model="${first##*\"}"   # ...and everything up to the opening one
  if [[ -z "$model" ]]; then
    echo "no model in GET $url/v1/models: $models" >&2
    exit 1
  fi
fi

# The request body; $1 is extra fields (the streamed one asks for token usage at the end).
body() {
  printf '{"model":%s,"messages":[{"role":"user","content":%s}]%s}' \
    "$(json_string "$model")" "$(json_string "$question")" "$1"
}

# 2. POST /v1/chat/completions, not streamed: one JSON object once the model is done,
#    MCP tool calls included (message.tool_calls, message.mcp_tool_results).
echo "### POST /v1/chat/completions"
call "$url/v1/chat/completions" -H "Content-Type: application/json" -d "$(body ',"stream":false')"
echo

# 3. The same, streamed: Server-Sent Events as they come (-N turns off curl's buffering).
#    Each "data: {...}" line is a chat.completion.chunk: text in choices[0].delta.content,
#    tool calls in choices[0].delta.tool_calls, each MCP result in a chunk with the
#    extension field mcp_tool_result, the token usage in the last chunk before the
#    final "data: [DONE]".
echo "### POST /v1/chat/completions (stream)"
call -N "$url/v1/chat/completions" -H "Content-Type: application/json" -d "$(body ',"stream":true,"stream_options":{"include_usage":true}')"
