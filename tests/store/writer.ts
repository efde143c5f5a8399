/**
 * The child process of kill.test.ts: opens a ChatStore on the file named by its first
 * argument and adds messages as fast as it can, printing each one (JSON: id and content)
 * on stdout right after `addMessage` returns, that is after its transaction committed.
 * The parent kills it with SIGKILL mid-stream. It stops by itself after `maxMessages`, or
 * when stdout is gone (the parent died), so it can never outlive a broken test for long.
 */
import { ChatStore } from "../../app/store/index.js";

/** The conversation and the turn the writer uses (kill.test.ts reads them back by these ids). */
const writerConversationId = "kill-test";
const writerTurnId = "kill-turn";

const maxMessages = 200_000;

function main(path: string): void {
  const store = ChatStore.open(path);
  store.createConversation({ id: writerConversationId, title: "Killed mid-write" });
  store.beginTurn(writerConversationId, writerTurnId, "writer");
  for (let index = 0; index < maxMessages; index++) {
    // Sizes vary from a few bytes to a few pages, so commits end at every kind of offset.
    const content = `message ${index} ${"lorem ipsum ".repeat((index * 37) % 900)}`.trim();
    const message = store.addMessage(writerConversationId, {
      turnId: writerTurnId,
      role: index % 2 === 0 ? "user" : "assistant",
      content,
    });
    // Synchronous on a pipe (Linux): the line is out before the next write begins.
    process.stdout.write(`${JSON.stringify({ id: message.id, content })}\n`);
  }
  store.close();
}

const path = process.argv[2];
if (path === undefined) {
  process.stderr.write("usage: writer.ts <database file>\n");
  process.exit(2);
}
main(path);
