"""`hearth serve` from Python with the standard library only: a question, answered once
whole and once streamed, while the model calls the server's MCP tools by itself.

    hearth serve --model MODEL.gguf --mcp-config examples/mcp-config.stdio.json
    python3 examples/python_client.py "What's the weather in Paris?"

Environment: HEARTH_URL (default http://127.0.0.1:1234), HEARTH_API_KEY (when the
server has one), HEARTH_MODEL (default: the first model the server lists).

Prints `tool: NAME(ARGUMENTS)` per MCP call that ran and `answer: TEXT`; then, streamed,
the text as it comes, `streamed tool: NAME` per tool call and `usage: P + C tokens`.
"""

import json
import os
import sys
import urllib.error
import urllib.request

ORIGIN = (os.environ.get("HEARTH_URL") or "http://127.0.0.1:1234").rstrip("/")
API_KEY = os.environ.get("HEARTH_API_KEY")
QUESTION = sys.argv[1] if len(sys.argv) > 1 else "What's the weather in Paris?"


def request(method, path, body=None):
    """Opens a request to the server; the caller reads (and closes) the response."""
    headers = {"Accept": "application/json"}
    if API_KEY:
        headers["Authorization"] = "Bearer " + API_KEY
    data = None
    if body is not None:
        headers["Content-Type"] = "application/json"
        data = json.dumps(body).encode("utf-8")
    req = urllib.request.Request(ORIGIN + path, data=data, headers=headers, method=method)
    try:
        return urllib.request.urlopen(req, timeout=300)
    except urllib.error.HTTPError as error:
        detail = error.read().decode("utf-8", "replace")
        sys.exit("{} {}: HTTP {}: {}".format(method, path, error.code, detail))
    except urllib.error.URLError as error:
        sys.exit("{} {}: {} (is `hearth serve` running?)".format(method, ORIGIN + path, error.reason))


def get_json(method, path, body=None):
    with request(method, path, body) as response:
        return json.loads(response.read().decode("utf-8"))


def main():
    # GET /v1/models: the server's model(s); any listed id will do.
    model = os.environ.get("HEARTH_MODEL")
    if not model:
        models = get_json("GET", "/v1/models").get("data") or []
        if not models:
            sys.exit(ORIGIN + "/v1/models lists no model")
        model = models[0]["id"]
    messages = [{"role": "user", "content": QUESTION}]

    # Not streamed: the whole answer at once. message.tool_calls lists the MCP calls the
    # server already ran (nothing is left for the client to execute), and Hearth's
    # extension message.mcp_tool_results their results. Hearth's request field
    # "mcp": {"allowed_tools": [...], "approval": "auto" | "deny"} picks tools and the
    # approval policy per request.
    completion = get_json("POST", "/v1/chat/completions", {"model": model, "messages": messages})
    message = completion["choices"][0]["message"]
    for call in message.get("tool_calls") or []:
        function = call.get("function") or {}
        print("tool: {}({})".format(function.get("name"), function.get("arguments")))
    print("answer: {}".format(message.get("content") or ""))

    # Streamed: Server-Sent Events, one `data: {...}` line per chunk, until `data: [DONE]`.
    # Text comes in choices[0].delta.content, tool calls in choices[0].delta.tool_calls,
    # each MCP result in a chunk with the extension field mcp_tool_result, and (asked for
    # with include_usage) the token counts in a last chunk without choices.
    body = {"model": model, "messages": messages, "stream": True, "stream_options": {"include_usage": True}}
    mid_line = False  # whether streamed text is waiting for its line to end

    def print_line(line):
        nonlocal mid_line
        sys.stdout.write(("\n" if mid_line else "") + line + "\n")
        sys.stdout.flush()
        mid_line = False

    with request("POST", "/v1/chat/completions", body) as response:
        for raw in response:  # one line at a time, as it arrives
            line = raw.decode("utf-8").rstrip("\r\n")
            if not line.startswith("data:"):
                continue  # blank separators, comments (": ping"), `event:` lines
            data = line[len("data:"):].strip()
            if data == "[DONE]":
                break
            chunk = json.loads(data)
            if "error" in chunk:
                sys.exit("stream error: {}".format(json.dumps(chunk["error"])))
            choices = chunk.get("choices") or []
            delta = (choices[0].get("delta") or {}) if choices else {}
            for call in delta.get("tool_calls") or []:
                # A call's first chunk names it; later ones only add to its arguments.
                name = (call.get("function") or {}).get("name")
                if name:
                    print_line("streamed tool: " + name)
            text = delta.get("content")
            if text:
                sys.stdout.write(text)
                sys.stdout.flush()
                mid_line = not text.endswith("\n")
            usage = chunk.get("usage")
            if usage:
                print_line("usage: {} + {} tokens".format(usage.get("prompt_tokens"), usage.get("completion_tokens")))
    if mid_line:
        sys.stdout.write("\n")


if __name__ == "__main__":
    main()
