/**
 * Hearth as a library: a local model with the tools of an mcp-config.json, one question.
 *
 *   npx tsx examples/library/ask.ts MODEL.gguf examples/mcp-config.json "What's the weather in Paris?"
 *
 * MODEL may also be an hf: URI (downloaded once into Hearth's models folder). Calls that
 * need approval are allowed here ("auto"); pass a function to withApprovals to ask.
 */
import { createAssistant } from "hearth";

const [model, config, question = "What's the weather in Paris?"] = process.argv.slice(2);
if (model === undefined || config === undefined) {
  console.error("usage: ask.ts MODEL.gguf mcp-config.json [question]");
  process.exit(2);
}

const assistant = await createAssistant({ model, sampling: { temperature: 0 } })
  .withMcpClient(config)
  .withApprovals("auto")
  .build();
try {
  const reply = await assistant.send(question, {
    onEvent: (event) => {
      if (event.type === "toolCallRequested") console.error(`calling ${event.name} on ${event.serverId}…`);
    },
  });
  for (const call of reply.tool_calls) console.log(`tool ${call.function.name}(${call.function.arguments}): ${call.record.status}`);
  console.log(reply.content);
} finally {
  await assistant.close();
}
