import type { ToolContent, ToolResult } from "../../../app/contract/chat.js";
import { prettyJson } from "./format.js";

/** A tool result as text, for the copy button: the text items, else the whole result as JSON. */
export function resultAsText(result: ToolResult): string {
  const texts = result.content.flatMap((item) => (item.type === "text" ? [item.text] : []));
  return texts.length === result.content.length && result.structuredContent === undefined ? texts.join("\n\n") : prettyJson(result);
}

/** Each item of a tool result: text, images, resource links and resources, then the structured content. */
export function ToolResultView({ result }: { result: ToolResult }) {
  return (
    <div className="tool-result">
      {result.content.length === 0 && result.structuredContent === undefined ? <p className="muted">The tool returned nothing.</p> : null}
      {result.content.map((item, index) => (
        <ContentItem key={index} item={item} />
      ))}
      {result.structuredContent !== undefined ? (
        <div className="tool-result-structured">
          <h5>Structured content</h5>
          <pre className="code-block">{prettyJson(result.structuredContent)}</pre>
        </div>
      ) : null}
    </div>
  );
}

const isWebLink = (uri: string) => /^https?:\/\//i.test(uri);

function ContentItem({ item }: { item: ToolContent }) {
  switch (item.type) {
    case "text":
      return <pre className="code-block tool-result-text">{item.text}</pre>;
    case "image":
      return <img className="tool-result-image" src={`data:${item.mimeType};base64,${item.data}`} alt={`Image from the tool (${item.mimeType})`} />;
    case "audio":
      return <p className="muted">Audio ({item.mimeType}, {Math.round((item.data.length * 3) / 4 / 1024)} KiB)</p>;
    case "resource_link":
      return (
        <div className="tool-result-link">
          <span className="tag">Link</span>{" "}
          {isWebLink(item.uri) ? (
            <a href={item.uri} target="_blank" rel="noreferrer noopener">
              {item.title ?? item.name}
            </a>
          ) : (
            <strong>{item.title ?? item.name}</strong>
          )}{" "}
          <code>{item.uri}</code>
          {item.description !== undefined ? <p className="muted">{item.description}</p> : null}
        </div>
      );
    case "resource":
      return (
        <div className="tool-result-resource">
          <p>
            <span className="tag">Resource</span> <code>{item.resource.uri}</code>
          </p>
          {item.resource.text !== undefined ? (
            <pre className="code-block">{item.resource.text}</pre>
          ) : (
            <p className="muted">Binary content{item.resource.mimeType !== undefined ? ` (${item.resource.mimeType})` : ""}.</p>
          )}
        </div>
      );
  }
}
